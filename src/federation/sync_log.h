// The operator log's line for an entry of the sync history (event
// `sync_event`, docs/logging.md): every push, pull, sync, conflict, resolution,
// delete, unlink and connection test that FederationService or SourceSync
// records in federation_events is also one log line, with the same fields.
// Never a key: an event's message is the text the history shows.
//
// Thread safety: any thread.
#pragma once

#include "store/federation_records.h"

namespace charchive::federation {

void LogSyncEvent(const EventRecord& event);

}  // namespace charchive::federation
