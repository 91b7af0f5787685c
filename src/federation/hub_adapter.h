// HubAdapter: the `hub` platform — another Character Archive (or a node that
// speaks the same ActivityPub dialect, docs/federation.md "Hub federation"):
// - test: WebFinger (acct:<username or "archive">@host) to the actor, which
//   must publish an inbox and a key;
// - push: a Create (first push; the object is this archive's card URL) or an
//   Update (the object is the hub's card URL) signed with this archive's key
//   and POSTed to the hub's inbox, which answers the hub's id for the card;
// - fetch: GET of the hub's card object (application/activity+json); 404 or
//   410 mean the hub deleted it;
// - list: the hub's outbox, page by page; fetch image: the object's image.
// Only URLs on the hub's own origin are followed.
//
// Thread safety: the discovered inbox is cached under a mutex; safe from any
// thread.
#pragma once

#include <mutex>

#include "federation/hub_identity.h"
#include "federation/peer_http.h"
#include "federation/platform_adapter.h"

namespace charchive::federation {

class HubAdapter : public PlatformAdapter {
 public:
  HubAdapter(PeerHttp http, const PlatformConfig& config);

  Result<Json> TestConnection() override;
  Result<std::optional<std::string>> FreeIdFor(const Card&, const std::function<bool(const std::string&)>&) override {
    return std::optional<std::string>();
  }
  Result<std::string> Push(const OutgoingCard& card) override;
  Result<RemoteCard> Fetch(const std::string& platform_id) override;
  Result<std::vector<RemoteCard>> List() override;
  // The outbox with `?since=`, Deletes included.
  std::optional<Result<std::vector<RemoteCard>>> ChangesSince(const std::optional<std::string>& since) override;
  Result<std::string> FetchImage(const std::string& platform_id) override;

  // The hub's actor document (WebFinger, then the actor), cached.
  Result<Json> Actor();

 private:
  // GET of a URL on the hub's origin, as ActivityPub JSON.
  Result<Json> GetJson(const std::string& url, const std::string& what);
  Result<PeerResponse> Get(const std::string& url, const std::string& accept);
  // The outbox's items (first page to last), starting at `collection_url`.
  Result<std::vector<RemoteCard>> ReadOutbox(const std::string& collection_url, bool with_deletes);
  // The path below the hub's origin; kRemoteError when `url` is elsewhere.
  Result<std::string> PathOnHub(const std::string& url) const;

  PeerHttp http_;
  PlatformConfig config_;
  std::string origin_;     // scheme://host[:port] of the base URL
  std::string authority_;  // its host[:port], as the Host header says it
  std::mutex mu_;
  std::optional<Json> actor_;
};

}  // namespace charchive::federation
