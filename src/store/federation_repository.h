// SQL for federation: platform settings, per-card sync state and the sync
// history (federation_platforms, federation_sync, federation_events; see
// docs/storage.md). Sealed secrets pass through untouched: encryption is the
// federation service's job.
//
// Thread safety: stateless; the Database's rules apply.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/federation_records.h"
#include "store/sqlite.h"

namespace charchive::federation_repository {

Result<std::vector<PlatformRecord>> ListPlatforms(Database& db);
// kNotFound "unknown_platform" when there is no such platform.
Result<PlatformRecord> GetPlatform(Database& db, const std::string& platform);
Status UpdatePlatform(Database& db, const std::string& platform, const PlatformUpdate& update);
Status MarkConnected(Database& db, const std::string& platform);

Result<std::optional<SyncRecord>> GetSync(Database& db, CardId card_id, const std::string& platform);
Result<std::vector<SyncRecord>> CardSyncs(Database& db, CardId card_id);
// Inserts or replaces the card's sync state on the platform after an
// exchange that reached the peer.
Status RecordSuccess(Database& db, CardId card_id, const std::string& platform, const SyncSuccess& success);
// The peer's copy (card JSON) as read back at the card's last successful sync
// on the platform, if recorded.
Result<std::optional<std::string>> RemoteBase(Database& db, CardId card_id, const std::string& platform);
// Marks the state `status` (error, conflict, pending, remote_deleted) with a message, creating
// it when the card was never synced; platform id and hashes are kept.
Status RecordFailure(Database& db, CardId card_id, const std::string& platform, SyncState status,
                     const std::string& message);
// Records the id a first push is about to create on the peer (status
// "pending"), so an interrupted push is redone in place.
Status RecordIntent(Database& db, CardId card_id, const std::string& platform, const std::string& platform_id);
// The peer moved its copy of the card to another id (a SillyTavern rename):
// the link follows it; hashes, bases and state are kept.
Status RecordMove(Database& db, CardId card_id, const std::string& platform, const std::string& platform_id);
// The newest change clock recorded for the platform's cards (the cursor of
// an incremental pull), if any.
Result<std::optional<std::string>> NewestRemoteUpdate(Database& db, const std::string& platform);
// The platform's ids that pushes from this archive created, per the history
// (on a peer that cannot update, a copy superseded by "publish as new" is one).
Result<std::set<std::string>> PushedPlatformIds(Database& db, const std::string& platform);
// The card linked to this id on the platform, if any.
Result<std::optional<CardId>> CardWithPlatformId(Database& db, const std::string& platform,
                                                 const std::string& platform_id);
// Whether a card of the archive already has this id on the platform.
Result<bool> PlatformIdTaken(Database& db, const std::string& platform, const std::string& platform_id);
// Forgets the card's state on one platform, or on all when platform is empty.
// Returns how many states were removed.
Result<int> DeleteSync(Database& db, CardId card_id, const std::string& platform);
// Tracked cards of a platform outside the trash, newest sync first; status
// filters when set.
Result<std::vector<PlatformCard>> PlatformCards(Database& db, const std::string& platform,
                                                const std::optional<SyncState>& status);
// Linked cards (synced or pending, outside the trash) whose content changed
// since their last sync.
Result<std::vector<CardId>> LocallyChanged(Database& db, const std::string& platform);
// Cards that do not exist are left out.
Result<std::vector<BulkSyncStatus>> BulkStatus(Database& db, const std::vector<CardId>& card_ids);
// Tracked states per status for a platform (or every platform when empty).
Result<std::vector<std::pair<std::string, int64_t>>> StatusCounts(Database& db, const std::string& platform);

Result<int64_t> InsertEvent(Database& db, const EventRecord& event);
Result<std::vector<EventRecord>> ListEvents(Database& db, const EventFilter& filter);

}  // namespace charchive::federation_repository
