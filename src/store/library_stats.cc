#include "store/library_stats.h"

#include <iterator>

namespace charchive {
namespace {

// The (label, count) rows of `sql`.
Result<std::vector<StatCount>> Counts(Database& db, const std::string& sql) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s, db.Prepare(sql));
  std::vector<StatCount> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(StatCount{s.Text(0), s.Int(1)});
  }
  return out;
}

// "0–499", …, "8000+".
std::string RangeLabel(size_t i) {
  constexpr size_t n = std::size(kTokenBounds);
  if (i + 1 == n) return std::to_string(kTokenBounds[i]) + "+";
  return std::to_string(kTokenBounds[i]) + "\u2013" + std::to_string(kTokenBounds[i + 1] - 1);
}

// The CASE expression putting token_estimate into its range's index.
std::string RangeIndexSql() {
  std::string sql = "CASE";
  for (size_t i = std::size(kTokenBounds) - 1; i > 0; --i) {
    sql += " WHEN token_estimate >= " + std::to_string(kTokenBounds[i]) + " THEN " + std::to_string(i);
  }
  return sql + " ELSE 0 END";
}

}  // namespace

Result<LibraryStatsReport> ComputeLibraryStats(Archive& archive) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive.pool().Acquire());
  LibraryStatsReport r;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(
        Statement s, db->Prepare("SELECT count(*), coalesce(sum(favorite), 0) FROM cards WHERE trashed_at IS NULL"));
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (row) r.cards = s.Int(0), r.favorites = s.Int(1);
  }
  CHARCHIVE_ASSIGN_OR_RETURN(r.sources, Counts(*db,
                                               "SELECT source, count(*) FROM cards WHERE trashed_at IS NULL GROUP BY "
                                               "source ORDER BY count(*) DESC, source"));
  CHARCHIVE_ASSIGN_OR_RETURN(
      r.specs, Counts(*db, "SELECT spec, count(*) FROM cards WHERE trashed_at IS NULL GROUP BY spec ORDER BY spec"));
  CHARCHIVE_ASSIGN_OR_RETURN(r.creators,
                             Counts(*db,
                                    "SELECT creator, count(*) FROM cards WHERE trashed_at IS NULL GROUP BY creator "
                                    "ORDER BY count(*) DESC, creator LIMIT " +
                                        std::to_string(kTopCreators)));
  CHARCHIVE_ASSIGN_OR_RETURN(r.tags, Counts(*db,
                                            "SELECT tag, count(*) FROM card_tags GROUP BY tag COLLATE NOCASE "
                                            "ORDER BY count(*) DESC, tag LIMIT " +
                                                std::to_string(kTopTags)));
  for (size_t i = 0; i < std::size(kTokenBounds); ++i) r.tokens.push_back(StatCount{RangeLabel(i), 0});
  {
    CHARCHIVE_ASSIGN_OR_RETURN(Statement s,
                               db->Prepare("SELECT " + RangeIndexSql() +
                                           " AS range, count(*) FROM cards WHERE trashed_at IS NULL GROUP BY range"));
    while (true) {
      CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      r.tokens[static_cast<size_t>(s.Int(0))].count = s.Int(1);
    }
  }
  CHARCHIVE_ASSIGN_OR_RETURN(
      r.imports, Counts(*db,
                        "SELECT substr(created_at, 1, 7) AS month, count(*) FROM cards WHERE trashed_at IS NULL "
                        "GROUP BY month ORDER BY month"));
  return r;
}

}  // namespace charchive
