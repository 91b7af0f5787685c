// FakeCardsHub: CardsHub's REST API on loopback, as docs/peers.md "CardsHub"
// describes the real one, unkind parts included:
// - cookie logins only (POST /api/auth/login sets `cardshub_session`; an
//   `Authorization` header is ignored), GET /api/auth/session, logout; logins
//   are rate limited (10 a minute per client unless SetLoginLimit says
//   otherwise: 429 with Retry-After);
// - every card route keyed by slug (slugified name + 6 random characters);
//   GET /api/cards (public cards, filters, {items, total, page, limit,
//   hasMore}, 400 {error, details} for a bad sort or limit) and
//   GET /api/users/:name/cards (the owner also sees private and unlisted
//   cards), items without versionId or contentHash;
// - GET /api/cards/:slug with versionId and contentHash (SHA-256 of the exact
//   bytes uploaded), 404 for others' private cards; /versions (always one);
// - GET …/download?format=original|png|json: original byte-exact, json the
//   stored cardData rewritten as CardsHub rewrites it (V2 to V3, V1 mirror
//   fields dropped, group_only_greetings added, non-standard lorebook keys
//   dropped, entries given id and selective: false); every download counts;
// - POST /api/cards (multipart file, visibility, tags): the same bytes
//   uploaded twice make two cards; PUT/PATCH /api/cards/:slug and
//   POST …/versions are 405; DELETE is a hard delete; PUT …/visibility.
// Faults beyond FakeHubServer's: an upload that is stored and then not
// answered (HangUploads), listings the archive cannot read (SetBadListing).
// Control for the shell suites (besides FakeHubServer's):
//   POST /_control/users {username, password}    adds an account
//   POST /_control/cards {uploader, name, description?, visibility?}   another user's upload of a V2 PNG card
//   POST /_control/delete {slug}                 a deletion on the hub
//   POST /_control/favorite {slug}               another user favorites the card
//   GET  /_control/cards                         every card with its downloads
//
// Thread safety: all methods may be called while the server runs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>

#include "tests/fakes/fake_hub_server.h"
#include "tests/fakes/fixed_window_rate_limit.h"

namespace charchive::testing {

class FakeCardsHub : public FakeHubServer {
 public:
  explicit FakeCardsHub(int port = 0);
  ~FakeCardsHub() override;

  void AddUser(const std::string& username, const std::string& password);
  // Stores a card as `uploader` would upload it from the site; returns its slug.
  std::string Upload(const std::string& uploader, const std::string& bytes, const std::string& file_name,
                     const std::string& visibility = "public");
  // The hub deletes a card (moderation, or its owner on the site).
  void DeleteCard(const std::string& slug);
  // Another user favorites the card (favoritesCount + 1).
  void Favorite(const std::string& slug);
  // Every session is forgotten: the next request with a cookie is 401.
  void ForgetSessions();
  // The next `count` uploads are stored, then left unanswered until the
  // client gives up (at most 20 s, or until the fake stops).
  void HangUploads(int count);
  // Listings answer a shape the archive cannot read ({cards: […]}, items without slugs).
  void SetBadListing(bool bad);
  void SetLoginLimit(int limit, std::chrono::milliseconds window) { login_limit_.Configure(limit, window); }

  size_t CardCount();
  std::vector<std::string> Slugs();
  // The card's detail as GET /api/cards/:slug answers its owner; null when absent.
  nlohmann::json Card(const std::string& slug);
  int64_t Downloads(const std::string& slug);
  size_t Logins();
  size_t LoginsRefused() { return login_limit_.refused(); }

  nlohmann::json PutCard(const nlohmann::json& upload) override;

 private:
  struct StoredCard {
    int64_t id = 0;
    std::string slug;
    std::string name;
    std::string uploader;
    std::string visibility;
    std::string file_name;
    std::string bytes;         // as uploaded
    std::string content_hash;  // SHA-256 hex of bytes
    std::string version_id;
    nlohmann::json card_data;  // the stored cardData (CardsHub's rewrite)
    nlohmann::json tags = nlohmann::json::array();
    int64_t created_at = 0;
    int64_t updated_at = 0;
    int64_t downloads = 0;
    int64_t favorites = 0;
  };

  void Routes();
  // The user a request's cookie names; empty without a live session. The caller holds mu_.
  std::string SessionUser(const httplib::Request& req);
  // A user as the login and session routes describe them. The caller holds mu_.
  nlohmann::json UserJson(const std::string& user);
  // Stores an upload; the card, or an error {status, error}. The caller holds mu_.
  nlohmann::json Store(const std::string& uploader, const std::string& bytes, const std::string& file_name,
                       const std::string& visibility, const nlohmann::json& tags);
  nlohmann::json ListItem(const StoredCard& card) const;
  void Listing(const httplib::Request& req, httplib::Response& res, const std::string& owner);

  FixedWindowRateLimit login_limit_{10, std::chrono::minutes(1)};
  std::map<std::string, std::string> passwords_;  // username -> password
  std::map<std::string, int64_t> user_ids_;
  std::map<std::string, std::string> sessions_;  // cookie value -> username
  std::map<std::string, StoredCard> cards_;      // by slug
  int64_t next_id_ = 1;
  size_t logins_ = 0;
  int hang_uploads_ = 0;
  bool bad_listing_ = false;
  bool stopping_ = false;
  std::condition_variable released_;
};

}  // namespace charchive::testing
