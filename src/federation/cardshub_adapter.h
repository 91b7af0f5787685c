// CardsHubAdapter: the `hub` platform, CardsHub's REST API (docs/peers.md
// "CardsHub", docs/federation.md "CardsHub"), through a CardsHubSession
// (cookie login):
// - test: a login, then GET /api/auth/session, which must name the user;
// - push: a first push is multipart POST /api/cards with the card's PNG, its
//   tags and the configured visibility; the slug it answers is the platform
//   id. CardsHub cannot update a card (PUT/PATCH are 405), so a push of a card
//   that has a slug is refused (UpdatesInPlace() is false; the service offers
//   "publish as a new card");
// - fetch: GET /api/cards/:slug for versionId and contentHash (the change
//   clock, "<versionId>:<contentHash>"), then, only when the archive has not
//   got those bytes, GET …/download?format=original (the uploaded bytes;
//   `json` rewrites V2 cards, and every download counts on the hub), checked
//   against contentHash; 404 is "remote_missing";
// - stats: the same detail's visibility, downloadsCount and favoritesCount
//   (reading the detail is no download);
// - list: the account's own cards (GET /api/users/:me/cards, private ones
//   included) and, when configured, others' public cards (GET /api/cards
//   with search and tags), as slugs;
// - copies of a push: the own cards whose contentHash is the SHA-256 of the
//   PNG sent (an interrupted first push is adopted, never uploaded twice);
// - visibility: PUT /api/cards/:slug/visibility; remove: DELETE /api/cards/:slug.
// Any answer the adapter cannot read is "peer_bad_response" naming the route.
//
// Thread safety: the session and the download cache are guarded; safe from
// any thread.
#pragma once

#include <deque>
#include <map>
#include <mutex>

#include "federation/cardshub_session.h"
#include "federation/platform_adapter.h"

namespace charchive::federation {

class CardsHubAdapter : public PlatformAdapter {
 public:
  CardsHubAdapter(PeerHttp http, const PlatformConfig& config);

  // {software, user: {id, username, displayName}}.
  Result<Json> TestConnection() override;
  // CardsHub names cards itself (slugs).
  Result<std::optional<std::string>> FreeIdFor(const Card&, const std::function<bool(const std::string&)>&) override {
    return std::optional<std::string>();
  }
  Result<std::string> Push(const OutgoingCard& card) override;
  Result<RemoteCard> Fetch(const std::string& platform_id) override;
  Result<std::optional<RemoteCard>> FetchIfChanged(const std::string& platform_id,
                                                   const std::optional<std::string>& known_clock) override;
  // Every listed card, downloaded (ListIds is what pulls use).
  Result<std::vector<RemoteCard>> List() override;
  // The card's file as uploaded (a PNG for cards the archive pushed).
  Result<std::string> FetchImage(const std::string& platform_id) override;
  bool UpdatesInPlace() const override { return false; }
  std::optional<Result<std::vector<std::string>>> ListIds() override;
  std::optional<Result<std::vector<std::string>>> CopiesOf(const OutgoingCard& card) override;
  Status SetVisibility(const std::string& platform_id, const std::string& visibility) override;
  Result<RemoteCardStats> Stats(const std::string& platform_id) override;
  Status Remove(const std::string& platform_id) override;

 private:
  // A card's detail: the fields the adapter reads from GET /api/cards/:slug.
  struct Detail {
    std::string slug;
    std::string clock;         // "<versionId>:<contentHash>"
    std::string content_hash;  // SHA-256 hex of the uploaded bytes
    std::string visibility;
    int64_t downloads = 0;
    int64_t favorites = 0;
  };
  // A card's uploaded bytes and their card JSON, as read or sent.
  struct Original {
    std::string bytes;
    std::string card_json;
  };
  Result<Detail> ReadDetail(const std::string& slug);
  // The uploaded bytes of `detail`: from the cache when the archive sent or
  // read exactly them, else downloaded once.
  Result<Original> OriginalOf(const Detail& detail);
  // Slugs from a paged listing at `path` (with its query, without page/limit), at most `max`.
  Result<std::vector<std::string>> ListSlugs(const std::string& path, size_t max);
  Result<std::vector<std::string>> OwnSlugs();
  Status ExpectSuccess(const PeerResponse& res, const std::string& what);
  // A request about one card: a 404 is sent once more after the session was
  // found expired and renewed (CardsHubSession::RenewIfExpired).
  Result<PeerResponse> SendForCard(const PeerRequest& request, const std::string& what);
  void Remember(const std::string& content_hash, Original original);
  // The PNG of a push, as the hub will hold it.
  void RememberSent(const std::string& content_hash, const std::string& png);

  CardsHubSession session_;
  CardsHubOptions options_;
  std::mutex mu_;
  // The last few originals sent or read, by content hash (a push's read-back
  // and a pull's image need no second download).
  std::map<std::string, Original> originals_;
  std::deque<std::string> remembered_;  // their hashes, oldest first
};

}  // namespace charchive::federation
