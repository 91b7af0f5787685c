#include "store/tag_editor.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include "card/card_patch.h"
#include "store/card_repository.h"
#include "store/card_row.h"
#include "store/errors.h"

namespace charchive {
namespace {

namespace repo = card_repository;

using Tags = std::vector<std::string>;

bool SameTag(const std::string& a, const std::string& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

bool Contains(const Tags& tags, const std::string& tag) {
  return std::any_of(tags.begin(), tags.end(), [&](const std::string& t) { return SameTag(t, tag); });
}

Status CheckTag(const std::string& tag) {
  if (tag.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::Invalid(store_error::kBadTag, "a tag must not be blank");
  }
  return Status::Ok();
}

// The cards carrying `tag`, in id order.
Result<std::vector<CardId>> CardsTagged(Database& db, const std::string& tag) {
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement s, db.Prepare("SELECT DISTINCT card_id FROM card_tags WHERE tag = ? COLLATE NOCASE ORDER BY card_id"));
  s.Bind(1, tag);
  std::vector<CardId> ids;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ids.push_back(s.Int(0));
  }
  return ids;
}

// Gives each of `ids` the tags `change` makes of its own, in one transaction;
// a card whose tags stay the same is left alone. Returns the cards changed.
Result<int64_t> Rewrite(Database& db, const std::vector<CardId>& ids, const std::function<Tags(const Tags&)>& change) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db));
  int64_t changed = 0;
  for (CardId id : ids) {
    CHARCHIVE_ASSIGN_OR_RETURN(CardRecord record, repo::Get(db, id));
    Tags tags = change(record.tags);
    if (tags == record.tags) continue;
    CHARCHIVE_ASSIGN_OR_RETURN(Card current, Card::FromJson(record.raw_json));
    CHARCHIVE_ASSIGN_OR_RETURN(Card edited, ApplyDataPatch(current, Json{{"tags", tags}}));
    CHARCHIVE_RETURN_IF_ERROR(repo::UpdateContent(db, id, DeriveCardRow(edited), "edit"));
    ++changed;
  }
  CHARCHIVE_RETURN_IF_ERROR(tx->Commit());
  return changed;
}

}  // namespace

Result<int64_t> TagEditor::Replace(const std::vector<std::string>& from, const std::string& to) {
  CHARCHIVE_RETURN_IF_ERROR(CheckTag(to));
  if (from.empty()) return Status::Invalid(store_error::kBadTag, "no tag to rename or merge");
  for (const std::string& tag : from) CHARCHIVE_RETURN_IF_ERROR(CheckTag(tag));
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  std::vector<CardId> ids;
  for (const std::string& tag : from) {
    CHARCHIVE_ASSIGN_OR_RETURN(std::vector<CardId> tagged, CardsTagged(*db, tag));
    ids.insert(ids.end(), tagged.begin(), tagged.end());
  }
  if (ids.empty()) return Status::NotFound(store_error::kUnknownTag, "no card is tagged " + from.front());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return Rewrite(*db, ids, [&](const Tags& tags) {
    Tags out;
    for (const std::string& tag : tags) {
      if (!Contains(from, tag) && !SameTag(tag, to)) {
        out.push_back(tag);
      } else if (!Contains(out, to)) {
        out.push_back(to);  // spelled as asked, once
      }
    }
    return out;
  });
}

Result<int64_t> TagEditor::Remove(const std::string& tag) {
  CHARCHIVE_RETURN_IF_ERROR(CheckTag(tag));
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(std::vector<CardId> ids, CardsTagged(*db, tag));
  if (ids.empty()) return Status::NotFound(store_error::kUnknownTag, "no card is tagged " + tag);
  return Rewrite(*db, ids, [&](const Tags& tags) {
    Tags out;
    for (const std::string& t : tags) {
      if (!SameTag(t, tag)) out.push_back(t);
    }
    return out;
  });
}

Result<int64_t> TagEditor::Edit(const std::vector<CardId>& cards, const std::vector<std::string>& add,
                                const std::vector<std::string>& remove) {
  for (const std::string& tag : add) CHARCHIVE_RETURN_IF_ERROR(CheckTag(tag));
  for (const std::string& tag : remove) CHARCHIVE_RETURN_IF_ERROR(CheckTag(tag));
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return Rewrite(*db, cards, [&](const Tags& tags) {
    Tags out;
    for (const std::string& t : tags) {
      if (!Contains(remove, t)) out.push_back(t);
    }
    for (const std::string& t : add) {
      if (!Contains(out, t)) out.push_back(t);
    }
    return out;
  });
}

}  // namespace charchive
