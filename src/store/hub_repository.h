// SQL for the archive's ActivityPub node (migrations 4 and 7, docs/storage.md):
// node settings, what the outbox publishes, followers and followings, cached
// remote keys, seen signatures (replay defence), the delivery queue and
// peers' suggested edits of the archive's own cards.
//
// Thread safety: stateless; the Database's rules apply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/card_record.h"
#include "store/sqlite.h"

namespace charchive::hub_repository {

Result<std::optional<std::string>> GetSetting(Database& db, const std::string& key);
Status SetSetting(Database& db, const std::string& key, const std::string& value);

// A card's latest activity as the outbox lists it.
struct Publication {
  CardId card_id = 0;
  bool published = false;  // chosen explicitly
  std::string activity;    // Create | Update | Delete
  int64_t seq = 0;         // bumps with each activity: part of the activity id
  std::string content_hash;
  std::string first_published_at;
  std::string updated_at;
  int64_t forks = 0;
  int64_t installs = 0;
};

// Marks a card published (or not); the next RefreshPublications turns the
// choice into activities.
Status SetPublished(Database& db, CardId card_id, bool published);
// A value that changes whenever a refresh could find something to do: a card
// added, changed, trashed, restored or deleted (even from the trash), or a
// publish flag set. Cheap: two rows (card_count.changes, kept by triggers, and
// the publish epoch).
Result<std::string> ChangeMark(Database& db);
// Brings every publication in line with the cards, in one transaction: cards
// newly shared get a Create, changed ones an Update, deleted or unshared ones
// a Delete; a card in the trash is left as it was published until the trash
// is emptied (then its Delete goes). Returns the publications that changed.
Result<std::vector<Publication>> RefreshPublications(Database& db, bool publish_all);
// The card's row; seq 0 means published but not announced yet.
Result<std::optional<Publication>> GetPublication(Database& db, CardId card_id);
// Newest first; `since` (ISO time) keeps those updated after it.
Result<std::vector<Publication>> ListPublications(Database& db, const std::optional<std::string>& since, int64_t limit,
                                                  int64_t offset);
// Live (not deleted) publications, and all rows when `since` is set.
Result<int64_t> CountPublications(Database& db, const std::optional<std::string>& since);
// Counts a Fork or an Install notification; false when the card is not published.
Result<bool> CountNotification(Database& db, CardId card_id, const std::string& kind);

struct Relation {
  std::string actor_id;
  std::string inbox;
  std::string state;  // pending | accepted (| rejected for followings)
  std::string follow_id;
  std::string created_at;
};

Status PutFollower(Database& db, const Relation& follower);
Status PutFollowing(Database& db, const Relation& following);
// Returns whether a row was removed.
Result<bool> RemoveFollower(Database& db, const std::string& actor_id);
Result<bool> RemoveFollowing(Database& db, const std::string& actor_id);
Result<std::vector<Relation>> Followers(Database& db);
Result<std::vector<Relation>> Followings(Database& db);
Result<std::optional<Relation>> Follower(Database& db, const std::string& actor_id);
Result<std::optional<Relation>> Following(Database& db, const std::string& actor_id);

struct RemoteActor {
  std::string key_id;
  std::string actor_id;
  std::string inbox;
  std::string public_key_pem;
};

Result<std::optional<RemoteActor>> GetActorKey(Database& db, const std::string& key_id);
Status PutActorKey(Database& db, const RemoteActor& actor);

// Records a signature; false when it was seen before (a replay). Forgets
// those older than `keep_seconds`.
Result<bool> RememberSignature(Database& db, const std::string& digest, int64_t now, int64_t keep_seconds);

// A peer's Update of a card this archive owns, kept for the owner instead of
// applied: one per card and actor (a newer one replaces it).
struct Suggestion {
  int64_t id = 0;
  CardId card_id = 0;
  std::string actor_id;
  std::string activity_id;
  std::string content_json;  // the card JSON the peer sent
  std::string received_at;
};

Status PutSuggestion(Database& db, const Suggestion& suggestion);
// Newest first; all cards' or one card's.
Result<std::vector<Suggestion>> ListSuggestions(Database& db, std::optional<CardId> card_id);
// Returns whether a row was removed.
Result<bool> RemoveSuggestion(Database& db, int64_t id);

struct Delivery {
  int64_t id = 0;
  std::string inbox;
  std::string activity_json;
  std::string state;  // queued | delivered | failed
  int64_t attempts = 0;
  int64_t next_attempt_at = 0;  // unix seconds
  std::string last_error;
};

Status EnqueueDelivery(Database& db, const std::string& inbox, const std::string& activity_json);
Result<std::vector<Delivery>> DueDeliveries(Database& db, int64_t now, int64_t limit);
Status MarkDelivered(Database& db, int64_t id);
// Another attempt at `next_attempt_at`, or `failed` for good when it is null.
Status MarkAttemptFailed(Database& db, int64_t id, const std::string& error, std::optional<int64_t> next_attempt_at);
// Deliveries per state.
Result<std::vector<std::pair<std::string, int64_t>>> DeliveryCounts(Database& db);

}  // namespace charchive::hub_repository
