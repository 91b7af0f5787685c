// DuplicateFinder: cards that are likely the same character: the same name
// and creator (ignoring ASCII case), or the same content (content hash, the
// same card with another image). Both keys are indexed (migration 11 adds
// cards_by_name_creator; cards_by_hash is older), so one card's related
// cards are an index lookup and the archive-wide groups one pass over each
// index, not a comparison of every pair.
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

// Why cards are grouped: the same name and creator, or the same content.
enum class DuplicateReason { kNameAndCreator, kContent };
const char* DuplicateReasonName(DuplicateReason reason);  // "name_creator" | "content"

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
// The other cards with `id`'s name and creator or its content, oldest first
// (a card related both ways is listed once, as the same content);
// "not_found" for a card that is not in the archive.
Result<std::vector<RelatedCard>> RelatedCards(Archive& archive, CardId id);

}  // namespace charchive
