// The archive's own id: a random UUID made on the first start and kept in
// <data dir>/archive-id. Pushes write it, with the card's id, into the
// identity marker of every card they send (card/archive_marker.h), so the
// archive recognises its own cards among a peer's, and tells them from cards
// another archive pushed to the same peer. A copy of the data dir (a backup
// restored) is the same archive and keeps the id.
//
// Thread safety: call it once, at start-up (FederationService::Open).
#pragma once

#include <string>

#include "util/result.h"

namespace charchive::federation {

// The id in <data_dir>/archive-id, made (atomically) when the file is absent.
// Fails with kIoError when the file cannot be written or holds no id.
Result<std::string> LoadOrCreateArchiveId(const std::string& data_dir);

}  // namespace charchive::federation
