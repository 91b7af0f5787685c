// SQL for cards' text fingerprints (card/text_fingerprint.h; migration 14):
// card_text_minhash keeps each card's MinHash signature, card_text_bands its
// band keys, indexed by key, so the cards whose prose is near-identical to a
// card's are an index lookup per band, checked against their signatures, and
// the archive-wide groups one pass over the keys shared by two or more cards.
// Written with the card's content (Insert, UpdateContent), gone with its row.
//
// Thread safety: stateless; the Database's rules apply.
#pragma once

#include <vector>

#include "store/card_record.h"
#include "store/card_row.h"
#include "store/sqlite.h"

namespace charchive::text_fingerprints {

// Replaces the card's fingerprint with the row's (none for too little prose).
Status Write(Database& db, CardId id, const CardRow& row);
// Migration 14: the tables, and every card's fingerprint from its current JSON.
Status CreateAndFill(Database& db);
// The cards outside the trash whose prose is near-identical to `id`'s, by id.
Result<std::vector<CardId>> NearIdentical(Database& db, CardId id);
// Groups of two or more cards outside the trash with near-identical prose,
// largest first, at most `limit`; a group whose cards all have one content
// hash is left to the same-content groups.
Result<std::vector<std::vector<CardId>>> NearIdenticalGroups(Database& db, int64_t limit);

}  // namespace charchive::text_fingerprints
