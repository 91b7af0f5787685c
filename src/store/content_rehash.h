// RehashContent: recomputes every stored content hash with this build's
// projection (card/content_projection.h), for a migration that follows a
// change of the hash. Cards and their versions are hashed again from their
// JSON; every hash stored elsewhere for a card (federation links' local and
// remote hashes, card sources' hashes, the hub's announced hash) that equals
// the old hash of one of the card's contents becomes that content's new hash,
// so an unchanged link still reads as unchanged. A stored hash that matches
// none of the card's contents (a peer's copy the archive never held) is kept:
// the archive cannot compute it (docs/storage.md, "Migration 6").
//
// Runs inside the caller's transaction; same threading as Database.
#pragma once

#include "store/sqlite.h"

namespace charchive {

Status RehashContent(Database& db);

}  // namespace charchive
