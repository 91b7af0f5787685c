#include "store/fts_relevance.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "store/errors.h"

namespace charchive {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// What a query's scores share: computed at its first row, kept as the
// function's aux data until the query ends.
struct QueryStats {
  double average_length = 1;
  std::vector<double> idf;  // per phrase
};

struct PhraseCount {
  int64_t matches = 0;
  int64_t last_rowid = 0;  // of the match past the cap
};

int CountUpToTheCap(const Fts5ExtensionApi* api, Fts5Context* phrase, void* user) {
  auto* count = static_cast<PhraseCount*>(user);
  if (++count->matches <= kCountedMatches) return SQLITE_OK;
  count->last_rowid = api->xRowid(phrase);
  return SQLITE_DONE;  // xQueryPhrase stops and reports SQLITE_OK
}

// Rows holding phrase `i`: counted, or past the cap estimated from the density
// of its matches over the rowids so far (rowids are about 1..rows).
int PhraseRows(const Fts5ExtensionApi* api, Fts5Context* ctx, int i, int64_t rows, double* out) {
  PhraseCount count;
  int rc = api->xQueryPhrase(ctx, i, &count, &CountUpToTheCap);
  if (rc != SQLITE_OK) return rc;
  double n = static_cast<double>(count.matches);
  if (count.matches > kCountedMatches && count.last_rowid > 0) {
    n = std::min<double>(static_cast<double>(rows),
                         n * static_cast<double>(rows) / static_cast<double>(count.last_rowid));
  }
  *out = n;
  return SQLITE_OK;
}

int ComputeStats(const Fts5ExtensionApi* api, Fts5Context* ctx, QueryStats* stats) {
  sqlite3_int64 rows = 0, tokens = 0;
  int rc = api->xRowCount(ctx, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(ctx, -1, &tokens);
  if (rc != SQLITE_OK) return rc;
  stats->average_length = rows > 0 ? static_cast<double>(tokens) / static_cast<double>(rows) : 1;
  int phrases = api->xPhraseCount(ctx);
  stats->idf.resize(static_cast<size_t>(phrases));
  for (int i = 0; i < phrases; ++i) {
    double n = 0;
    rc = PhraseRows(api, ctx, i, rows, &n);
    if (rc != SQLITE_OK) return rc;
    double idf = std::log((static_cast<double>(rows) - n + 0.5) / (n + 0.5));
    stats->idf[static_cast<size_t>(i)] =
        idf <= 0 ? 1e-6 : idf;  // as bm25(): a very common phrase still counts a little
  }
  return SQLITE_OK;
}

void Relevance(const Fts5ExtensionApi* api, Fts5Context* ctx, sqlite3_context* result, int, sqlite3_value**) {
  auto* stats = static_cast<QueryStats*>(api->xGetAuxdata(ctx, 0));
  if (stats == nullptr) {
    auto fresh = std::make_unique<QueryStats>();
    int rc = ComputeStats(api, ctx, fresh.get());
    if (rc == SQLITE_OK) {
      stats = fresh.get();
      rc = api->xSetAuxdata(ctx, fresh.release(), [](void* p) { delete static_cast<QueryStats*>(p); });
    }
    if (rc != SQLITE_OK) return sqlite3_result_error_code(result, rc);
  }
  std::vector<double> hits(stats->idf.size());
  int instances = 0;
  int rc = api->xInstCount(ctx, &instances);
  for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
    int phrase = 0, column = 0, offset = 0;
    rc = api->xInst(ctx, i, &phrase, &column, &offset);
    if (rc == SQLITE_OK && phrase >= 0 && static_cast<size_t>(phrase) < hits.size()) hits[phrase] += 1;
  }
  int length = 0;
  if (rc == SQLITE_OK) rc = api->xColumnSize(ctx, -1, &length);
  if (rc != SQLITE_OK) return sqlite3_result_error_code(result, rc);
  double norm = kK1 * (1 - kB + kB * static_cast<double>(length) / stats->average_length);
  double score = 0;
  for (size_t i = 0; i < hits.size(); ++i) score += stats->idf[i] * hits[i] * (kK1 + 1) / (hits[i] + norm);
  sqlite3_result_double(result, -score);
}

}  // namespace

fts5_api* Fts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  return api != nullptr && api->iVersion >= 2 ? api : nullptr;
}

Status RegisterFtsRelevance(sqlite3* db) {
  fts5_api* fts5 = Fts5Api(db);
  if (fts5 == nullptr)
    return Status::Internal(store_error::kSqlite, "this SQLite has no FTS5: full-text search needs it");
  if (fts5->xCreateFunction(fts5, "relevance", nullptr, &Relevance, nullptr) != SQLITE_OK) {
    return Status::Internal(store_error::kSqlite, "cannot register the relevance() ranking function");
  }
  return Status::Ok();
}

}  // namespace charchive
