// SQL for card sources (`source_settings`, `source_cards`, `source_blocks`,
// `source_runs`; docs/sources.md). Deleting a card moves its source state to
// the block list inside the same statement (a trigger), so a deleted card is
// never imported again by accident.
//
// Thread safety: stateless; the Database's rules apply.
#pragma once

#include <vector>

#include "store/source_records.h"
#include "store/sqlite.h"

namespace charchive::source_repository {

Result<std::vector<SourceRecord>> ListSources(Database& db);
// kNotFound "unknown_source".
Result<SourceRecord> GetSource(Database& db, const std::string& source);
Status UpdateSource(Database& db, const std::string& source, const SourceUpdate& update);
Status SetCursor(Database& db, const std::string& source, const std::string& cursor_json);

Result<std::optional<SourceCardState>> GetCardState(Database& db, const std::string& source,
                                                    const std::string& source_id);
Result<std::optional<SourceCardState>> CardStateFor(Database& db, CardId card_id);
// Inserts or replaces the state of (source, source_id).
Status PutCardState(Database& db, const SourceCardState& state);
Result<int64_t> CountCards(Database& db, const std::string& source, const std::string& status);

Result<bool> IsBlocked(Database& db, const std::string& source, const std::string& source_id);
Result<std::vector<SourceBlock>> ListBlocks(Database& db, const std::string& source);
// kNotFound "not_blocked" when (source, source_id) is not on the list.
Status Unblock(Database& db, const std::string& source, const std::string& source_id);

Result<int64_t> CreateRun(Database& db, const std::string& source, bool full, const std::string& trigger,
                          const std::string& status);
Result<SourceRun> GetRun(Database& db, int64_t id);
Result<std::vector<SourceRun>> ListRuns(Database& db, const std::string& source, int64_t limit);
// Counters and status as they are now (progress), touching updated_at.
Status SaveRun(Database& db, const SourceRun& run);
// Moves a queued run to running; false when someone else took it first.
Result<bool> ClaimQueuedRun(Database& db, int64_t id);
// The oldest queued run of any source.
Result<std::optional<SourceRun>> NextQueuedRun(Database& db);
// A run of the source queued or running (updated within `stale_seconds`).
Result<std::optional<SourceRun>> ActiveRun(Database& db, const std::string& source, int64_t stale_seconds);
// Runs left `running` by a process that died: marked failed.
Status FailStaleRuns(Database& db, int64_t stale_seconds);

}  // namespace charchive::source_repository
