// HubNode: this archive as an ActivityPub node, for hub federation between
// archives (docs/federation.md "Hub federation").
// - Public documents: WebFinger, NodeInfo 2.1, the actor (a Service with its
//   RSA key), the outbox (the latest Create/Update/Delete of every card the
//   owner publishes, newest first, paged, `since` for incremental pulls), the
//   card objects and their images, followers and following.
// - The inbox: every POST must carry a valid HTTP Signature over
//   `(request-target) host date digest` (Digest checked, Date within 5
//   minutes, key fetched from the actor and cached, a request seen before is
//   a replay, a signed `host` that is not this node's public host); anything
//   else is kUnauthenticated, the sender is told only "signature not
//   verified" and the operator log says why. Follow (held for the owner
//   unless auto-accept is on), Undo, Accept/Reject of this node's follow,
//   Create/Update/Delete of cards as the trust model decides (hub_trust.h:
//   content only from followed actors that own the object, through
//   FederationService's sync engine, platform `hub`; an Update of a card
//   this archive owns becomes a suggestion), and the ecosystem's Fork and
//   Install notifications (counted).
// - Deliveries: a change to a published card becomes an activity queued for
//   each follower's inbox, signed, retried with exponential backoff.
// - The owner's side: settings, publish flags, follow/unfollow the hub
//   platform's actor, accept/reject followers, read and dismiss suggestions.
//
// Time (the delivery loop's tick, deliveries' back-off, the Date window and
// the replay memory, activities' timestamps) comes from the injected Clock.
//
// Thread safety: every public method may be called from any thread; the
// delivery loop runs on a PeriodicWorker between Start and Stop.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "federation/address_policy.h"
#include "federation/federation_service.h"
#include "federation/hub_identity.h"
#include "store/archive.h"
#include "store/hub_repository.h"
#include "util/clock.h"
#include "util/periodic_worker.h"

namespace charchive::federation {

struct HubSettings {
  bool enabled = false;
  std::string public_url;  // empty: not set
  bool publish_all = false;
  bool auto_accept = false;  // followers are accepted without asking the owner
};

struct HubSettingsUpdate {
  std::optional<bool> enabled;
  std::optional<std::string> public_url;
  std::optional<bool> publish_all;
  std::optional<bool> auto_accept;
};

struct HubNodeOptions {
  std::chrono::milliseconds tick{500};  // how often the delivery loop looks for work
  int max_delivery_attempts = 8;
  std::chrono::seconds first_retry{2};
  std::chrono::seconds max_clock_skew{300};
  size_t outbox_page_size = 20;
  size_t delivery_concurrency = 4;
  // Actor, key and inbox URLs a peer sends may point to non-public addresses
  // (loopback, LAN). Off by default: only the archive platform's own origin, which
  // the owner typed, may (address_policy.h). Tests on loopback turn it on.
  bool allow_private_peers = false;
};

// An inbox POST as it arrived.
struct InboxRequest {
  std::string method = "POST";
  std::string target;                                                    // path and query as sent
  std::function<std::optional<std::string>(const std::string&)> header;  // by lower-case name
  std::string body;
};

struct InboxOutcome {
  int http_status = 202;
  Json body;  // {id} for a card that was created or updated, else {status}
};

class HubNode {
 public:
  HubNode(Archive& archive, FederationService& federation, HubNodeOptions options = {}, Clock& clock = Clock::Real());
  ~HubNode();

  Result<HubSettings> Settings();
  // Validates and applies; kInvalidInput "bad_field" naming the field.
  Result<HubSettings> UpdateSettings(const HubSettingsUpdate& update);
  // kNotFound "federation_disabled" unless the node is enabled with a public URL.
  Result<std::shared_ptr<const HubIdentity>> Identity();

  // Public documents; kNotFound when the node is disabled or the thing is not shared.
  Result<Json> WebFinger(const std::string& resource);
  Result<Json> NodeInfoLinks();
  Result<Json> NodeInfo();
  Result<Json> Actor();
  // No page: the collection; page >= 1: that page. `since`: ISO time.
  Result<Json> Outbox(std::optional<int64_t> page, const std::optional<std::string>& since);
  Result<Json> Followers();
  Result<Json> Following();
  // kNotFound for a card never shared; kConflict "gone" (HTTP 410) with a
  // Tombstone for one deleted or unpublished.
  Result<Json> CardObject(CardId card_id);
  Result<std::string> CardImage(CardId card_id);

  Result<InboxOutcome> Receive(const InboxRequest& request);

  // The owner's side.
  Status SetPublished(CardId card_id, bool published);
  // {published, shared, activity, forks, installs} of one card.
  Result<Json> Publication(CardId card_id);
  Result<Json> Overview();  // settings, actor, relations, publication and delivery counts
  // Follows the archive platform's actor (found by WebFinger from its base URL).
  Result<hub_repository::Relation> Follow();
  Status Unfollow();
  Status AnswerFollower(const std::string& actor_id, bool accept);
  // Peers' edits of cards this archive owns, kept instead of applied:
  // {suggestions: [{id, cardId, actor, activity, receivedAt, card}]}, newest
  // first; all cards' or one's.
  Result<Json> Suggestions(std::optional<CardId> card_id);
  // kNotFound "unknown_suggestion" when there is no such suggestion.
  Status DismissSuggestion(int64_t suggestion_id);

  // Publishes what changed and delivers what is due, once (the loop's body;
  // tests call it directly).
  Status RunOnce();
  void Start();
  void Stop();

 private:
  Result<Json> OutboxItem(const HubIdentity& me, const hub_repository::Publication& publication);
  Result<Json> CardObjectFor(const HubIdentity& me, CardId card_id, const hub_repository::Publication* publication);
  // The verified signer (its actor and inbox), or why not.
  Result<hub_repository::RemoteActor> Verify(const HubIdentity& me, const InboxRequest& request, const Json& activity);
  Result<hub_repository::RemoteActor> FetchActorKey(const std::string& key_id, bool refresh);
  Result<InboxOutcome> Dispatch(const HubIdentity& me, const hub_repository::RemoteActor& signer, const Json& activity);
  Result<InboxOutcome> ReceiveCardActivity(const HubIdentity& me, const std::string& actor,
                                           const std::string& activity_id, const std::string& type, const Json& object);
  Result<InboxOutcome> ReceiveCard(const HubIdentity& me, const std::string& actor, const std::string& type,
                                   const Json& object);
  Result<InboxOutcome> KeepSuggestion(const std::string& actor, const std::string& activity_id, CardId card_id,
                                      const Json& object);
  Status Enqueue(const std::string& inbox, const Json& activity);
  // kAnyAddress for the owner-configured archive platform's origin (or when
  // allow_private_peers), kPublicOnly for every other URL a peer gave us.
  AddressPolicy PolicyFor(const std::string& url);
  // Turns card changes into outbox activities and queues them for followers.
  Status Publish(const HubIdentity& me);
  Status Deliver(const HubIdentity& me, const hub_repository::Delivery& delivery);
  int64_t UnixNow() const;
  std::string IsoNow() const;

  Archive& archive_;
  FederationService& federation_;
  HubNodeOptions options_;
  Clock& clock_;
  std::mutex identity_mu_;
  std::shared_ptr<const HubIdentity> identity_;
  std::mutex publish_mu_;       // one Publish at a time; guards published_mark_
  std::string published_mark_;  // repo::ChangeMark at the last refresh
  std::mutex deliver_mu_;       // one delivery pass at a time
  PeriodicWorker worker_;       // last: stopped before the rest goes
};

}  // namespace charchive::federation
