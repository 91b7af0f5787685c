// The content projection: a card's meaning as V3 `data`, with every value that
// means the same written one way. It is the one place where "these two values
// are equivalent" is decided: the content hash is computed over it, and the
// sync core (src/sync/) compares fields, lorebook entries and greetings on it.
// The rules and the reason for each are in docs/content-hash.md: platform noise
// removed (SillyTavern's fav and its editor's defaults, peers' timestamps, the
// main icon asset, the archive's identity marker), numbers a peer stores as strings made numbers, and
// default-equivalent values (null, "" and absent nickname; absent and empty
// arrays; a depth_prompt without role and one with role "system") unified.
//
// Invariant the sync core relies on: the projection never reorders, drops or
// adds elements of alternate_greetings, group_only_greetings or
// character_book.entries; element i of a projected list is element i of the
// card's list.
//
// Pure functions; safe from any thread.
#pragma once

#include "card/card.h"

namespace charchive {

// The projection of V3 `data` as Card::V3Data returns it.
Json ProjectV3Data(Json data);

// ProjectV3Data(card.V3Data()).
Json ContentProjection(const Card& card);

}  // namespace charchive
