// What the store derives from a parsed card to fill a row: identity, summary,
// search text and sort/filter columns. Pure function; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "card/card.h"
#include "card/text_fingerprint.h"

namespace charchive {

struct CardRow {
  std::string name;
  std::string creator;
  std::string spec;
  std::vector<std::string> tags;
  std::string raw_json;
  std::string content_hash;
  int64_t token_estimate = 0;
  bool has_lorebook = false;
  int64_t lorebook_entries = 0;
  int64_t greetings_count = 0;
  // Full-text columns besides name, creator and tags.
  std::string description, creator_notes, personality, scenario, first_mes;
  // Of description and first message (none for too little text); computed
  // here, off the import's write path.
  std::optional<TextFingerprint> text_fingerprint;
};

// raw_json is the card's original JSON text.
CardRow DeriveCardRow(const Card& card);

}  // namespace charchive
