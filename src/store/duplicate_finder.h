// DuplicateFinder: cards that are likely the same character: the same name
// and creator (ignoring ASCII case), the same content (content hash, the
// same card with another image), or near-identical prose (description and
// first message alike by their MinHash signatures: the same card re-uploaded
// with a typo fixed). Every key is indexed (migration 11 adds
// cards_by_name_creator, 14 the text band keys; cards_by_hash is older), so
// one card's related cards are index lookups and the archive-wide groups one
// pass over each index, not a comparison of every pair. Cards in the trash
// are in none.
//
// Thread safety: functions of the database; any thread.
#pragma once

#include <string>
#include <vector>

#include "store/archive.h"

namespace charchive {

// A card as the duplicates view lists it.
struct DuplicateCard {
  CardId id = 0;
  std::string name;
  std::string creator;
  std::string source;
  std::string created_at;
};

// Why cards are grouped: the same name and creator, the same content, or near-identical text.
enum class DuplicateReason { kNameAndCreator, kContent, kNearText };
const char* DuplicateReasonName(DuplicateReason reason);  // "name_creator" | "content" | "near_text"

struct DuplicateGroup {
  DuplicateReason reason = DuplicateReason::kNameAndCreator;
  std::vector<DuplicateCard> cards;  // oldest first
};

struct RelatedCard {
  DuplicateReason reason = DuplicateReason::kNameAndCreator;
  DuplicateCard card;
};

// The groups of two or more cards, largest first, at most `limit` groups of
// each reason.
Result<std::vector<DuplicateGroup>> FindDuplicates(Archive& archive, int64_t limit);
// The other cards with `id`'s name and creator, its content or near-identical
// text, oldest first (a card related several ways is listed once, for the
// first of: same content, near-identical text, same name and creator);
// "not_found" for a card that is not in the archive.
Result<std::vector<RelatedCard>> RelatedCards(Archive& archive, CardId id);

}  // namespace charchive
