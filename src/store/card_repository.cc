#include "store/card_repository.h"

#include <nlohmann/json.hpp>

#include "store/errors.h"
#include "store/fts_long_terms.h"
#include "store/search_query.h"
#include "store/text_fingerprints.h"

namespace charchive::card_repository {
namespace {

constexpr char kNow[] = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
constexpr int64_t kRelevanceCandidates = 250;

constexpr char kSummaryColumns[] =
    "c.id, c.name, c.creator, c.tags_json, c.spec, c.format, c.source, c.favorite, c.image_hash IS NOT NULL, "
    "c.token_estimate, c.has_lorebook, c.greetings_count, c.content_hash, c.created_at, c.updated_at, "
    "c.trashed_at";
constexpr int kSummaryColumnCount = 16;

std::string TagsJson(const std::vector<std::string>& tags) { return nlohmann::json(tags).dump(); }

void ReadSummary(const Statement& s, CardSummary& c) {
  c.id = s.Int(0);
  c.name = s.Text(1);
  c.creator = s.Text(2);
  c.tags = ParseTagsJson(s.Text(3));
  c.spec = s.Text(4);
  c.format = s.Text(5);
  c.source = s.Text(6);
  c.favorite = s.Int(7) != 0;
  c.has_image = s.Int(8) != 0;
  c.token_estimate = s.Int(9);
  c.has_lorebook = s.Int(10) != 0;
  c.greetings_count = s.Int(11);
  c.content_hash = s.Text(12);
  c.created_at = s.Text(13);
  c.updated_at = s.Text(14);
  c.trashed_at = s.OptionalText(15);
}

// Appends every row the statement still yields, read as ReadSummary reads one.
Status ReadSummaries(Statement& s, std::vector<CardSummary>& out) {
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return Status::Ok();
    ReadSummary(s, out.emplace_back());
  }
}

Status InsertTagsAndFts(Database& db, CardId id, const CardRow& row) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement tag, db.Prepare("INSERT OR IGNORE INTO card_tags(card_id, tag) VALUES (?, ?)"));
  for (const auto& t : row.tags) {
    CHARCHIVE_RETURN_IF_ERROR(tag.Bind(1, id).Bind(2, t).Run());
    tag.Reset();
  }
  CHARCHIVE_ASSIGN_OR_RETURN(Statement fts, db.Prepare("INSERT INTO cards_fts(rowid, name, creator, description, tags, "
                                                       "creator_notes, personality, scenario, first_mes) "
                                                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  std::string tags;
  for (const auto& t : row.tags) tags += t + " ";
  CHARCHIVE_RETURN_IF_ERROR(fts_long_terms::Add(db, {row.name, row.creator, row.description, tags, row.creator_notes,
                                                     row.personality, row.scenario, row.first_mes}));
  return fts.Bind(1, id)
      .Bind(2, row.name)
      .Bind(3, row.creator)
      .Bind(4, row.description)
      .Bind(5, tags)
      .Bind(6, row.creator_notes)
      .Bind(7, row.personality)
      .Bind(8, row.scenario)
      .Bind(9, row.first_mes)
      .Run();
}

// A new card has no tag or FTS rows yet; a changed one has them replaced.
Status ReplaceTagsAndFts(Database& db, CardId id, const CardRow& row) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement clear, db.Prepare("DELETE FROM card_tags WHERE card_id = ?"));
  CHARCHIVE_RETURN_IF_ERROR(clear.Bind(1, id).Run());
  CHARCHIVE_ASSIGN_OR_RETURN(Statement del, db.Prepare("DELETE FROM cards_fts WHERE rowid = ?"));
  CHARCHIVE_RETURN_IF_ERROR(del.Bind(1, id).Run());
  return InsertTagsAndFts(db, id, row);
}

// Records the newest version; its JSON is the card's current JSON in card_json.
Status AddVersion(Database& db, CardId id, const CardRow& row, const std::string& reason) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement v,
                             db.Prepare(std::string("INSERT INTO card_versions(card_id, raw_json, content_hash, "
                                                    "reason, created_at) VALUES (?, NULL, ?, ?, ") +
                                        kNow + ")"));
  return v.Bind(1, id).Bind(2, row.content_hash).Bind(3, reason).Run();
}

// Before card_json changes: the version that held the current JSON keeps a copy.
Status FreezeNewestVersion(Database& db, CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement v, db.Prepare("UPDATE card_versions SET raw_json = (SELECT raw_json FROM card_json WHERE card_id = ?) "
                              "WHERE card_id = ? AND raw_json IS NULL"));
  return v.Bind(1, id).Bind(2, id).Run();
}

Status NotFound(CardId id) { return Status::NotFound(store_error::kNotFound, "no card with id " + std::to_string(id)); }

Status InTrash(CardId id) {
  return Status::Conflict(store_error::kTrashed, "card " + std::to_string(id) + " is in the trash: restore it first");
}

// Why an UPDATE of a card outside the trash changed no row: no such card, or it is in the trash.
Status NotChanged(Database& db, CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s, db.Prepare("SELECT trashed_at IS NOT NULL FROM cards WHERE id = ?"));
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Bind(1, id).Step());
  return !row ? NotFound(id) : InTrash(id);
}

Status DeleteTagsAndFts(Database& db, CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement tags, db.Prepare("DELETE FROM card_tags WHERE card_id = ?"));
  CHARCHIVE_RETURN_IF_ERROR(tags.Bind(1, id).Run());
  CHARCHIVE_ASSIGN_OR_RETURN(Statement fts, db.Prepare("DELETE FROM cards_fts WHERE rowid = ?"));
  return fts.Bind(1, id).Run();
}

const char* OrderBy(const ListQuery& q) {
  bool desc = q.descending;
  switch (q.sort) {
    case SortKey::kCreated:
      return desc ? "c.created_at DESC, c.id DESC" : "c.created_at ASC, c.id ASC";
    case SortKey::kName:
      return desc ? "c.name COLLATE NOCASE DESC, c.id DESC" : "c.name COLLATE NOCASE ASC, c.id ASC";
    case SortKey::kTokens:
      return desc ? "c.token_estimate DESC, c.id DESC" : "c.token_estimate ASC, c.id ASC";
    case SortKey::kRelevance:  // ranked in List() when there is a search
    case SortKey::kUpdated:
      break;
  }
  return desc ? "c.updated_at DESC, c.id DESC" : "c.updated_at ASC, c.id ASC";
}

}  // namespace

std::vector<std::string> ParseTagsJson(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> tags;
  if (j.is_array()) {
    for (auto& t : j) {
      if (t.is_string()) tags.push_back(t.get<std::string>());
    }
  }
  return tags;
}

Result<std::optional<CardId>> FindDuplicate(Database& db, const std::string& content_hash,
                                            const std::optional<std::string>& image_hash) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement s, db.Prepare("SELECT id FROM cards WHERE content_hash = ? AND image_hash IS ? AND trashed_at IS NULL "
                              "ORDER BY id LIMIT 1"));
  s.Bind(1, content_hash).BindOptional(2, image_hash);
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<CardId>();
  return std::optional<CardId>(s.Int(0));
}

Result<CardId> Insert(Database& db, const NewCard& card) {
  const CardRow& r = card.row;
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement s,
      db.Prepare(
          std::string("INSERT INTO cards(name, creator, spec, format, source, source_id, content_hash, image_hash, "
                      "file_name, file_size, original_name, tags_json, token_estimate, has_lorebook, lorebook_entries, "
                      "greetings_count, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,") +
          kNow + "," + kNow + ")"));
  s.Bind(1, r.name)
      .Bind(2, r.creator)
      .Bind(3, r.spec)
      .Bind(4, card.format)
      .Bind(5, card.source)
      .BindOptional(6, card.source_id)
      .Bind(7, r.content_hash)
      .BindOptional(8, card.image_hash)
      .Bind(9, card.file_name)
      .Bind(10, card.file_size)
      .Bind(11, card.original_name)
      .Bind(12, TagsJson(r.tags))
      .Bind(13, r.token_estimate)
      .Bind(14, static_cast<int64_t>(r.has_lorebook))
      .Bind(15, r.lorebook_entries)
      .Bind(16, r.greetings_count);
  CHARCHIVE_RETURN_IF_ERROR(s.Run());
  CardId id = db.LastInsertId();
  CHARCHIVE_ASSIGN_OR_RETURN(Statement json, db.Prepare("INSERT INTO card_json(card_id, raw_json) VALUES (?, ?)"));
  CHARCHIVE_RETURN_IF_ERROR(json.Bind(1, id).Bind(2, r.raw_json).Run());
  CHARCHIVE_RETURN_IF_ERROR(InsertTagsAndFts(db, id, r));
  CHARCHIVE_RETURN_IF_ERROR(text_fingerprints::Write(db, id, r));
  CHARCHIVE_RETURN_IF_ERROR(AddVersion(db, id, r, "import"));
  return id;
}

Result<CardRecord> Get(Database& db, CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement s,
      db.Prepare(
          std::string("SELECT ") + kSummaryColumns +
          ", c.source_id, j.raw_json, c.image_hash, c.file_name, c.file_size, c.original_name, c.lorebook_entries "
          "FROM cards c JOIN card_json j ON j.card_id = c.id WHERE c.id = ?"));
  s.Bind(1, id);
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound(id);
  CardRecord c;
  ReadSummary(s, c);
  const int i = kSummaryColumnCount;
  c.source_id = s.OptionalText(i);
  c.raw_json = s.Text(i + 1);
  c.image_hash = s.OptionalText(i + 2);
  c.file_name = s.Text(i + 3);
  c.file_size = s.Int(i + 4);
  c.original_name = s.Text(i + 5);
  c.lorebook_entries = s.Int(i + 6);
  return c;
}

Status UpdateContent(Database& db, CardId id, const CardRow& r, const std::string& reason) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement s,
      db.Prepare(
          std::string("UPDATE cards SET name=?, creator=?, spec=?, content_hash=?, tags_json=?, token_estimate=?, "
                      "has_lorebook=?, lorebook_entries=?, greetings_count=?, updated_at=") +
          kNow + " WHERE id=? AND trashed_at IS NULL"));
  s.Bind(1, r.name)
      .Bind(2, r.creator)
      .Bind(3, r.spec)
      .Bind(4, r.content_hash)
      .Bind(5, TagsJson(r.tags))
      .Bind(6, r.token_estimate)
      .Bind(7, static_cast<int64_t>(r.has_lorebook))
      .Bind(8, r.lorebook_entries)
      .Bind(9, r.greetings_count)
      .Bind(10, id);
  CHARCHIVE_RETURN_IF_ERROR(s.Run());
  if (db.Changes() == 0) return NotChanged(db, id);
  CHARCHIVE_RETURN_IF_ERROR(FreezeNewestVersion(db, id));
  CHARCHIVE_ASSIGN_OR_RETURN(Statement json, db.Prepare("UPDATE card_json SET raw_json = ? WHERE card_id = ?"));
  CHARCHIVE_RETURN_IF_ERROR(json.Bind(1, r.raw_json).Bind(2, id).Run());
  CHARCHIVE_RETURN_IF_ERROR(ReplaceTagsAndFts(db, id, r));
  CHARCHIVE_RETURN_IF_ERROR(text_fingerprints::Write(db, id, r));
  return AddVersion(db, id, r, reason);
}

Status ReplaceFile(Database& db, CardId id, const std::string& format, const std::string& image_hash,
                   const std::string& file_name, int64_t file_size) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s,
                             db.Prepare("UPDATE cards SET format = ?, image_hash = ?, file_name = ?, file_size = ? "
                                        "WHERE id = ? AND trashed_at IS NULL"));
  CHARCHIVE_RETURN_IF_ERROR(
      s.Bind(1, format).Bind(2, image_hash).Bind(3, file_name).Bind(4, file_size).Bind(5, id).Run());
  return db.Changes() == 0 ? NotChanged(db, id) : Status::Ok();
}

Result<std::string> Delete(Database& db, CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s, db.Prepare("DELETE FROM cards WHERE id = ? RETURNING file_name"));
  s.Bind(1, id);
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound(id);
  std::string file = s.Text(0);
  CHARCHIVE_RETURN_IF_ERROR(s.Run());
  CHARCHIVE_ASSIGN_OR_RETURN(Statement fts, db.Prepare("DELETE FROM cards_fts WHERE rowid = ?"));
  CHARCHIVE_RETURN_IF_ERROR(fts.Bind(1, id).Run());
  return file;
}

Status Trash(Database& db, CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s, db.Prepare(std::string("UPDATE cards SET trashed_at = ") + kNow +
                                                     " WHERE id = ? AND trashed_at IS NULL"));
  CHARCHIVE_RETURN_IF_ERROR(s.Bind(1, id).Run());
  if (db.Changes() == 0) return NotChanged(db, id);
  return DeleteTagsAndFts(db, id);
}

Status Restore(Database& db, CardId id, const CardRow& row) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s,
                             db.Prepare("UPDATE cards SET trashed_at = NULL WHERE id = ? AND trashed_at IS NOT NULL"));
  CHARCHIVE_RETURN_IF_ERROR(s.Bind(1, id).Run());
  if (db.Changes() == 0) {
    CHARCHIVE_RETURN_IF_ERROR(Get(db, id).status());
    return Status::Conflict(store_error::kNotTrashed, "card " + std::to_string(id) + " is not in the trash");
  }
  return ReplaceTagsAndFts(db, id, row);
}

Result<TrashPage> ListTrash(Database& db, int64_t limit) {
  TrashPage page;
  CHARCHIVE_ASSIGN_OR_RETURN(Statement count, db.Prepare("SELECT count(*) FROM cards WHERE trashed_at IS NOT NULL"));
  CHARCHIVE_RETURN_IF_ERROR(count.Step().status());
  page.total = count.Int(0);
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s, db.Prepare(std::string("SELECT ") + kSummaryColumns +
                                                     " FROM cards c WHERE c.trashed_at IS NOT NULL "
                                                     "ORDER BY c.trashed_at DESC, c.id DESC LIMIT ?"));
  s.Bind(1, limit);
  CHARCHIVE_RETURN_IF_ERROR(ReadSummaries(s, page.items));
  return page;
}

Result<std::vector<CardId>> TrashedIds(Database& db) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s,
                             db.Prepare("SELECT id FROM cards WHERE trashed_at IS NOT NULL ORDER BY trashed_at, id"));
  std::vector<CardId> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(s.Int(0));
  }
  return out;
}

Status SetFavorite(Database& db, CardId id, bool favorite) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s,
                             db.Prepare("UPDATE cards SET favorite = ? WHERE id = ? AND trashed_at IS NULL"));
  CHARCHIVE_RETURN_IF_ERROR(s.Bind(1, static_cast<int64_t>(favorite)).Bind(2, id).Run());
  return db.Changes() == 0 ? NotChanged(db, id) : Status::Ok();
}

Result<ListPage> List(Database& db, const ListQuery& q) {
  std::string from = q.q.empty() ? " FROM cards c" : " FROM cards_fts f JOIN cards c ON c.id = f.rowid";
  // The page filters tags with EXISTS, so an ordered index scan can stop after
  // `limit` rows. The count instead starts from the first wanted tag's index
  // range (joining cards only when a filter needs its columns), or for a
  // search alone from the full-text index. Parameters come in the same order
  // in both.
  bool count_from_tags = !q.tags.empty() && q.q.empty();
  bool count_needs_cards = !q.creator.empty() || !q.spec.empty() || !q.source.empty() || q.favorite || q.has_lorebook;
  std::string count_from = from, count_id = "c.id";
  if (count_from_tags) {
    count_from = count_needs_cards ? " FROM card_tags t0 JOIN cards c ON c.id = t0.card_id" : " FROM card_tags t0";
    count_id = "t0.card_id";
  }
  // A trashed card has no tag or full-text row, so a count over those alone
  // leaves it out; whatever reads `cards` filters it.
  std::string page_where = " WHERE c.trashed_at IS NULL";
  std::string count_where = count_from_tags && !count_needs_cards ? " WHERE 1=1" : " WHERE c.trashed_at IS NULL";
  std::vector<std::string> params;
  auto both = [&](const std::string& clause, const std::string& param) {
    count_where += clause;
    page_where += clause;
    params.push_back(param);
  };
  auto tag_clause = [](const char* op, const std::string& id) {
    return std::string(" AND ") + op + " (SELECT 1 FROM card_tags t WHERE t.card_id = " + id + " AND t.tag = ?)";
  };
  auto expand = [&db](const std::string& word) { return fts_long_terms::Expand(db, word); };
  if (!q.q.empty()) both(" AND cards_fts MATCH ?", ToFtsQuery(q.q, expand));
  for (size_t i = 0; i < q.tags.size(); ++i) {
    page_where += tag_clause("EXISTS", "c.id");
    count_where += i == 0 && count_from_tags ? " AND t0.tag = ?" : tag_clause("EXISTS", count_id);
    params.push_back(q.tags[i]);
  }
  for (const auto& t : q.exclude_tags) {
    page_where += tag_clause("NOT EXISTS", "c.id");
    count_where += tag_clause("NOT EXISTS", count_id);
    params.push_back(t);
  }
  auto equals = [&](const char* column, const std::string& value) {
    if (!value.empty()) both(std::string(" AND ") + column + " = ? COLLATE NOCASE", value);
  };
  equals("c.creator", q.creator);
  equals("c.spec", q.spec);
  equals("c.source", q.source);
  std::string flags;
  if (q.favorite) flags += *q.favorite ? " AND c.favorite = 1" : " AND c.favorite = 0";
  if (q.has_lorebook) flags += *q.has_lorebook ? " AND c.has_lorebook = 1" : " AND c.has_lorebook = 0";
  count_where += flags;
  page_where += flags;

  ListPage page;
  const bool search_only = !q.q.empty() && params.size() == 1 && flags.empty();
  const bool unfiltered = params.empty() && flags.empty();
  // A search's SQL errors are the query's: FTS5 refuses what it cannot parse.
  auto query_error = [&q](const Status& status) {
    return q.q.empty() ? status : Status::Invalid(store_error::kBadQuery, "invalid search query: " + status.message());
  };
  const bool ranked = !q.q.empty() && q.sort == SortKey::kRelevance;
  const int64_t offset = (q.page - 1) * q.limit;
  // Ranking scores every candidate (BM25, ~2.5 us each); a term in half of a
  // million cards would take over a second. So relevance ranks a window of the
  // newest matches (FTS walks them in rowid order and stops), a whole number
  // of pages of at least kRelevanceCandidates: at a million cards a one-word
  // search took 4.4-5.3 ms of CPU a request with 500, 2.6-3.3 with 250. Pages
  // past the window go on with the other matches newest first, the order the
  // window was cut in, so paging shows every match once.
  const int64_t window = (kRelevanceCandidates + q.limit - 1) / q.limit * q.limit;
  const bool in_window = ranked && offset < window;
  std::string page_sql =
      std::string("SELECT ") + kSummaryColumns + from + page_where + " ORDER BY " + OrderBy(q) + " LIMIT ? OFFSET ?";
  if (ranked) {
    // relevance() is bm25() without its scan of each phrase's whole doclist
    // (store/fts_relevance.h). The page is cut from the matches before `cards`
    // is joined, and a search alone finds them in the full-text index without
    // it: at a million cards each match's `cards` row was a random page to
    // read. In the window, the last column counts the candidates: fewer than
    // the window are every match, and the count below is skipped.
    const std::string candidates = search_only ? " FROM cards_fts f WHERE cards_fts MATCH ?" : from + page_where;
    const std::string order = std::string(" ORDER BY r.score ") + (q.descending ? "ASC" : "DESC") + ", r.id DESC";
    page_sql = in_window
                   ? std::string("SELECT ") + kSummaryColumns +
                         ", r.matched FROM (SELECT r.id, r.score, count(*) OVER () AS matched FROM (SELECT "
                         "f.rowid AS id, relevance(cards_fts) AS score" +
                         candidates + " ORDER BY f.rowid DESC LIMIT " + std::to_string(window) + ") r" + order +
                         " LIMIT ? OFFSET ?) r JOIN cards c ON c.id = r.id" + order
                   : std::string("SELECT ") + kSummaryColumns + " FROM (SELECT f.rowid AS id" + candidates +
                         " ORDER BY f.rowid DESC LIMIT ? OFFSET ?) r JOIN cards c ON c.id = r.id ORDER BY r.id DESC";
  }
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s, db.Prepare(page_sql));
  int i = 1;
  for (const auto& p : params) s.Bind(i++, p);
  s.Bind(i, q.limit);
  s.Bind(i + 1, offset);
  std::optional<int64_t> matched;
  while (true) {
    auto row = s.Step();
    if (!row.ok()) return query_error(row.status());
    if (!*row) break;
    ReadSummary(s, page.items.emplace_back());
    if (in_window) matched = s.Int(kSummaryColumnCount);
  }
  if (matched && *matched < window) {
    page.total = *matched;
    return page;
  }

  // Every card has its FTS row (same transaction), so a search without other
  // filters is counted on the full-text index alone. A filtered count stops
  // after its cap + 1 matches; the unfiltered one is kept by triggers.
  const int64_t count_cap = q.q.empty() ? kCountCap : kSearchCountCap;
  std::string cap = " LIMIT " + std::to_string(count_cap + 1) + ")";
  std::string count_sql = search_only  ? "SELECT count(*) FROM (SELECT 1 FROM cards_fts WHERE cards_fts MATCH ?" + cap
                          : unfiltered ? std::string("SELECT cards FROM card_count")
                                       : "SELECT count(*) FROM (SELECT 1" + count_from + count_where + cap;
  CHARCHIVE_ASSIGN_OR_RETURN(Statement count, db.Prepare(count_sql));
  for (size_t j = 0; j < params.size(); ++j) count.Bind(static_cast<int>(j + 1), params[j]);
  auto counted = count.Step();
  if (!counted.ok()) return query_error(counted.status());
  page.total = count.Int(0);
  if (!unfiltered && page.total > count_cap) {
    page.total = count_cap;
    page.total_capped = true;
  }
  return page;
}

Result<std::vector<VersionRecord>> Versions(Database& db, CardId id) {
  CHARCHIVE_RETURN_IF_ERROR(Get(db, id).status());
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement s,
      db.Prepare("SELECT id, content_hash, reason, created_at FROM card_versions WHERE card_id = ? ORDER BY id DESC"));
  s.Bind(1, id);
  std::vector<VersionRecord> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(VersionRecord{s.Int(0), id, "", s.Text(1), s.Text(2), s.Text(3)});
  }
  return out;
}

Result<std::optional<int64_t>> LatestVersionId(Database& db, CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s, db.Prepare("SELECT max(id) FROM card_versions WHERE card_id = ?"));
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Bind(1, id).Step());
  if (!row || s.IsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(s.Int(0));
}

Result<std::vector<CardId>> CardIds(Database& db) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s, db.Prepare("SELECT id FROM cards WHERE trashed_at IS NULL ORDER BY id"));
  std::vector<CardId> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(s.Int(0));
  }
  return out;
}

Result<VersionRecord> Version(Database& db, CardId id, int64_t version_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement s,
      db.Prepare("SELECT v.id, coalesce(v.raw_json, j.raw_json), v.content_hash, v.reason, v.created_at "
                 "FROM card_versions v JOIN card_json j ON j.card_id = v.card_id WHERE v.card_id = ? AND v.id = ?"));
  s.Bind(1, id).Bind(2, version_id);
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) {
    return Status::NotFound(store_error::kNotFound,
                            "card " + std::to_string(id) + " has no version " + std::to_string(version_id));
  }
  return VersionRecord{s.Int(0), id, s.Text(1), s.Text(2), s.Text(3), s.Text(4)};
}

Result<std::vector<TagCount>> Tags(Database& db) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement s,
      db.Prepare("SELECT tag, count(*) FROM card_tags GROUP BY tag COLLATE NOCASE ORDER BY count(*) DESC, tag"));
  std::vector<TagCount> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(TagCount{s.Text(0), s.Int(1)});
  }
  return out;
}

Result<bool> FileReferenced(Database& db, const std::string& file_name) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s, db.Prepare("SELECT 1 FROM cards WHERE file_name = ? LIMIT 1"));
  s.Bind(1, file_name);
  return s.Step();
}

Result<std::vector<std::string>> FileNames(Database& db) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s, db.Prepare("SELECT DISTINCT file_name FROM cards ORDER BY file_name"));
  std::vector<std::string> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(s.Text(0));
  }
  return out;
}

}  // namespace charchive::card_repository
