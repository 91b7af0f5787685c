#include "store/duplicate_finder.h"

#include <algorithm>
#include <set>

#include "store/card_repository.h"
#include "store/text_fingerprints.h"

namespace charchive {
namespace {

constexpr char kColumns[] = "id, name, creator, source, created_at";
constexpr char kSameNameAndCreator[] = "name = ? COLLATE NOCASE AND creator = ? COLLATE NOCASE";

DuplicateCard ReadCard(const Statement& s, int first = 0) {
  return DuplicateCard{s.Int(first), s.Text(first + 1), s.Text(first + 2), s.Text(first + 3), s.Text(first + 4)};
}

// The cards of `sql` (kColumns first, then a group key), grouped by that key.
Result<std::vector<DuplicateGroup>> Groups(Database& db, const std::string& sql, DuplicateReason reason,
                                           int64_t limit) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s, db.Prepare(sql));
  s.Bind(1, limit);
  std::vector<DuplicateGroup> groups;
  std::string key;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    if (groups.empty() || s.Text(5) != key) {
      key = s.Text(5);
      groups.push_back(DuplicateGroup{reason, {}});
    }
    groups.back().cards.push_back(ReadCard(s));
  }
  return groups;
}

}  // namespace

const char* DuplicateReasonName(DuplicateReason reason) {
  switch (reason) {
    case DuplicateReason::kContent:
      return "content";
    case DuplicateReason::kNearText:
      return "near_text";
    case DuplicateReason::kNameAndCreator:
      break;
  }
  return "name_creator";
}

Result<std::vector<DuplicateGroup>> FindDuplicates(Archive& archive, int64_t limit) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive.pool().Acquire());
  // The keys with two or more cards (from the index), largest first, then their cards.
  CHARCHIVE_ASSIGN_OR_RETURN(
      auto by_name,
      Groups(*db,
             std::string("WITH keys AS (SELECT name AS n, creator AS c, count(*) AS k FROM cards "
                         "WHERE trashed_at IS NULL GROUP BY name COLLATE NOCASE, creator COLLATE NOCASE HAVING k > 1 "
                         "ORDER BY k DESC, n LIMIT ?) SELECT ") +
                 kColumns +
                 ", lower(keys.n) || char(0) || lower(keys.c) FROM keys JOIN cards ON cards.name = keys.n COLLATE "
                 "NOCASE AND cards.creator = keys.c COLLATE NOCASE WHERE cards.trashed_at IS NULL ORDER BY keys.k "
                 "DESC, keys.n, keys.c, cards.id",
             DuplicateReason::kNameAndCreator, limit));
  CHARCHIVE_ASSIGN_OR_RETURN(
      auto by_content,
      Groups(*db,
             std::string("WITH keys AS (SELECT content_hash AS h, count(*) AS k FROM cards WHERE trashed_at IS NULL "
                         "GROUP BY content_hash "
                         "HAVING k > 1 ORDER BY k DESC, h LIMIT ?) SELECT ") +
                 kColumns +
                 ", keys.h FROM keys JOIN cards ON cards.content_hash = keys.h WHERE cards.trashed_at IS NULL ORDER BY "
                 "keys.k DESC, keys.h, cards.id",
             DuplicateReason::kContent, limit));
  CHARCHIVE_ASSIGN_OR_RETURN(auto near_ids, text_fingerprints::NearIdenticalGroups(*db, limit));
  CHARCHIVE_ASSIGN_OR_RETURN(Statement one,
                             db->Prepare(std::string("SELECT ") + kColumns + " FROM cards WHERE id = ?"));
  std::vector<DuplicateGroup> out = std::move(by_content);
  for (const std::vector<CardId>& ids : near_ids) {
    DuplicateGroup group{DuplicateReason::kNearText, {}};
    for (CardId id : ids) {
      one.Reset();
      CHARCHIVE_ASSIGN_OR_RETURN(bool row, one.Bind(1, id).Step());
      if (row) group.cards.push_back(ReadCard(one));
    }
    out.push_back(std::move(group));
  }
  out.insert(out.end(), by_name.begin(), by_name.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const DuplicateGroup& a, const DuplicateGroup& b) { return a.cards.size() > b.cards.size(); });
  return out;
}

Result<std::vector<RelatedCard>> RelatedCards(Archive& archive, CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord card, card_repository::Get(*db, id));
  std::vector<RelatedCard> out;
  std::set<CardId> seen{id};
  auto collect = [&](const std::string& where, DuplicateReason reason,
                     const std::vector<std::string>& values) -> Status {
    CHARCHIVE_ASSIGN_OR_RETURN(
        Statement s, db->Prepare(std::string("SELECT ") + kColumns + " FROM cards WHERE trashed_at IS NULL AND " +
                                 where + " ORDER BY id"));
    for (size_t i = 0; i < values.size(); ++i) s.Bind(static_cast<int>(i + 1), values[i]);
    while (true) {
      CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      DuplicateCard found = ReadCard(s);
      if (seen.insert(found.id).second) out.push_back(RelatedCard{reason, std::move(found)});
    }
    return Status::Ok();
  };
  CHARCHIVE_RETURN_IF_ERROR(collect("content_hash = ?", DuplicateReason::kContent, {card.content_hash}));
  CHARCHIVE_ASSIGN_OR_RETURN(std::vector<CardId> near, text_fingerprints::NearIdentical(*db, id));
  for (CardId other : near) {
    CHARCHIVE_RETURN_IF_ERROR(collect("id = ?", DuplicateReason::kNearText, {std::to_string(other)}));
  }
  CHARCHIVE_RETURN_IF_ERROR(collect(kSameNameAndCreator, DuplicateReason::kNameAndCreator, {card.name, card.creator}));
  std::stable_sort(out.begin(), out.end(),
                   [](const RelatedCard& a, const RelatedCard& b) { return a.card.id < b.card.id; });
  return out;
}

}  // namespace charchive
