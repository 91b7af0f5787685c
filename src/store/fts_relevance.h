// `relevance(cards_fts)`: an FTS5 ranking function, Okapi BM25 as FTS5's own
// `bm25()` scores it (k1 = 1.2, b = 0.75, every column weighted 1, lower is
// better), except for how it learns how many rows hold each phrase. bm25()
// reads each phrase's whole doclist for that count: a word in every card costs
// a scan of every card on each query (26 ms at 480,000 cards, 0.5 ms for the
// rest of the page). relevance() counts up to kCountedMatches rows and past
// that estimates the count from how far into the rowids that many matches
// reached. Below the cap its scores are bm25()'s.
//
// Thread safety: registered per connection; runs on the connection's thread.
#pragma once

#include <cstdint>

#include "util/result.h"

struct sqlite3;
struct fts5_api;

namespace charchive {

inline constexpr int64_t kCountedMatches = 1000;

// Makes `relevance()` available to FTS5 tables on `db`.
Status RegisterFtsRelevance(sqlite3* db);

// The connection's FTS5 extension API (its tokenizers and functions), or
// nullptr when this SQLite has no FTS5.
fts5_api* Fts5Api(sqlite3* db);

}  // namespace charchive
