// PlatformAdapter: how the sync service talks to one kind of peer. An adapter
// pushes a card (creating it, or overwriting it in place when it has a
// platform id), reads a card back as the peer stores it, and tests the
// connection. Adapters never touch the archive: the service records what they
// report. Every failure is a Status with code kRemoteError and a message a
// user can act on.
//
// Thread safety: an adapter may be used by several threads at once (bulk
// pushes share one, so a peer session is set up once).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "card/card.h"
#include "store/federation_records.h"
#include "util/result.h"

namespace charchive::federation {

struct HubIdentity;
class SessionCookies;

// CardsHub: the visibility a first push publishes with, and which cards a
// pull lists besides the account's own (docs/federation.md "CardsHub").
struct CardsHubOptions {
  std::string visibility = "private";  // public | private | nsfw_only | unlisted
  bool pull_public = false;            // also others' public cards, filtered below
  std::string pull_search;
  std::string pull_tags;     // comma-separated tags
  int pull_max_cards = 100;  // of others' cards, per pull
};

// A platform's settings as the adapter needs them (secret decrypted).
struct PlatformConfig {
  std::string platform;  // its name; ParsePlatformKind tells the kind of peer
  std::string display_name;
  std::string base_url;
  std::string api_key;  // empty: none
  AuthKind auth_kind = AuthKind::kNone;
  std::string username;
  bool use_cforge = false;  // SillyTavern: prefer the CForge plugin when it answers
  std::chrono::milliseconds request_timeout{30000};
  // Hub: this archive's own actor and key, which sign its pushes; null when
  // the archive has no public URL yet.
  std::shared_ptr<const HubIdentity> hub_identity;
  CardsHubOptions cardshub;
  // Where logged-in sessions are kept between adapters (CardsHub); null: each
  // adapter logs in for itself.
  std::shared_ptr<SessionCookies> session_cookies;
};

struct OutgoingCard {
  int64_t card_id = 0;
  Card card;                               // the current content
  std::string png;                         // the card's image with the card embedded
  std::optional<std::string> platform_id;  // set when pushed before: overwrite in place
};

struct RemoteCard {
  std::string platform_id;
  std::string raw_json;                   // the card JSON as the peer stores it
  std::optional<std::string> updated_at;  // the peer's change clock, when it has one
  bool deleted = false;                   // in a change list: the peer deleted it (raw_json empty)
};

// What a peer with public pages says about its copy of a card (CardsHub's
// card detail), read without downloading the card.
struct RemoteCardStats {
  std::string platform_id;  // the slug
  std::string visibility;   // public | private | nsfw_only | unlisted
  int64_t downloads = 0;
  int64_t favorites = 0;
};

class PlatformAdapter {
 public:
  virtual ~PlatformAdapter() = default;

  // What the peer says about itself when reachable with these settings.
  virtual Result<Json> TestConnection() = 0;
  // For peers where the client names the card (SillyTavern: the file name):
  // an id for a card pushed for the first time that is free on the peer and
  // not `taken` by the archive's other cards. Choosing it before the push
  // makes the push repeatable: a retried or resumed push overwrites the same
  // id instead of making a second copy. nullopt: the peer assigns ids.
  virtual Result<std::optional<std::string>> FreeIdFor(const Card& card,
                                                       const std::function<bool(const std::string&)>& taken) = 0;
  // Creates the card, or overwrites `platform_id` in place (creating it when
  // absent); returns the id the peer now knows it by.
  virtual Result<std::string> Push(const OutgoingCard& card) = 0;
  // The card as stored on the peer; kNotFound "remote_missing" when gone.
  virtual Result<RemoteCard> Fetch(const std::string& platform_id) = 0;
  // Every card on the peer, with its JSON (for pulls of cards the archive
  // does not have yet, and for polling).
  virtual Result<std::vector<RemoteCard>> List() = 0;
  // Peers with a change feed (a hub's outbox): the cards created, changed or
  // deleted after `since` (the peer's clock; nullopt: everything), oldest
  // first. nullopt when the peer has no such feed.
  virtual std::optional<Result<std::vector<RemoteCard>>> ChangesSince(const std::optional<std::string>& /*since*/) {
    return std::nullopt;
  }
  // The card's image as the peer stores it (a PNG, which may embed the
  // card); kNotFound "remote_missing" when the peer has none.
  virtual Result<std::string> FetchImage(const std::string& platform_id) = 0;

  // False for peers that cannot change a card once it is there (CardsHub): a
  // later push is refused unless the user publishes the card as a new one,
  // and a card gone from the peer is `remote_deleted`, never pushed again.
  virtual bool UpdatesInPlace() const { return true; }
  // True for peers whose id for a card is a name their user can change
  // (SillyTavern's file name, renamed with the character): a copy can move to
  // another id, and is found again by its identity marker. A push, even with
  // overwrite, looks for the copy first, so it replaces a moved copy instead
  // of writing a second one under the old id.
  virtual bool CopiesMove() const { return false; }
  // nullopt when the card's change clock is still `known_clock` (the
  // RemoteCard::updated_at of the last exchange), read without downloading
  // the card; otherwise the card as Fetch reads it. Peers without a cheap
  // clock always fetch.
  virtual Result<std::optional<RemoteCard>> FetchIfChanged(const std::string& platform_id,
                                                           const std::optional<std::string>& /*known_clock*/) {
    CHARCHIVE_ASSIGN_OR_RETURN(RemoteCard card, Fetch(platform_id));
    return std::optional<RemoteCard>(std::move(card));
  }
  // True for peers whose List() carries every card's content in a few
  // requests (SillyTavern's /api/characters/all, Architect's pages of 100):
  // a sync of many cards reads the listing once and each card again only
  // when its listed copy is not the one of the last sync (SyncAll).
  virtual bool ListsContent() const { return false; }
  // Peers whose listing carries no card content: the ids of the cards a pull
  // looks at, each read with Fetch only when the archive lacks it. nullopt:
  // List() is the listing.
  virtual std::optional<Result<std::vector<std::string>>> ListIds() { return std::nullopt; }
  // Peers that can tell a copy of exactly these bytes: the ids of their cards
  // that hold `card`'s PNG as sent (a first push that landed unanswered).
  // nullopt: the service compares the content of List() instead.
  virtual std::optional<Result<std::vector<std::string>>> CopiesOf(const OutgoingCard& /*card*/) {
    return std::nullopt;
  }
  // Who may see the card on the peer; kConflict "platform_unsupported" for
  // peers without per-card visibility.
  virtual Status SetVisibility(const std::string& platform_id, const std::string& visibility);
  // The peer's public counts for its copy (a read that is no download);
  // kConflict "platform_unsupported" for peers without them.
  virtual Result<RemoteCardStats> Stats(const std::string& platform_id);
  // Deletes the peer's copy (an explicit unpublish); kConflict
  // "platform_unsupported" for peers where the archive does not delete.
  virtual Status Remove(const std::string& platform_id);
};

// The adapter for a platform's settings; kConflict when the platform has no
// adapter yet or its settings are incomplete.
Result<std::unique_ptr<PlatformAdapter>> MakeAdapter(const PlatformConfig& config);

}  // namespace charchive::federation
