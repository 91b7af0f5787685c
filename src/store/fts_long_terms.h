// The long words of the full-text index: every distinct term of more than
// kPrefixIndexChars characters in the cards' searchable text, as the index's
// own tokenizer makes it (unicode61, diacritics removed), kept in the table
// fts_long_terms (migration 16, docs/storage.md).
//
// Why: a search word is a prefix search ("guardian" finds "guardians").
// FTS5 answers a prefix of up to 6 characters from its prefix indexes, but a
// longer one by merging the whole doclist of every term it begins before the
// first row comes out: "guardian"* took 23 ms at 480,000 cards, "guardian"
// alone 0.5 ms. With this table such a word becomes an OR of the terms it
// begins, which FTS5 walks row by row and stops with the page.
//
// Terms are added as cards are indexed and never removed: one no card holds
// any more expands to a phrase that matches nothing.
//
// Thread safety: functions of a Database, on its thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite.h"
#include "util/result.h"

namespace charchive::fts_long_terms {

inline constexpr size_t kPrefixIndexChars = 6;  // cards_fts's longest prefix index
inline constexpr size_t kMaxExpansion = 32;

// Adds the long terms of `texts` (one card's searchable columns).
Status Add(Database& db, const std::vector<std::string_view>& texts);

// The terms a search word begins, for a word that is one token longer than
// kPrefixIndexChars characters and begins at most kMaxExpansion terms;
// otherwise nullopt (and the word stays a prefix search, which finds the same
// cards, more slowly).
std::optional<std::vector<std::string>> Expand(Database& db, std::string_view word);

}  // namespace charchive::fts_long_terms
