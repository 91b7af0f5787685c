// Card: one character card, as read from any format. It keeps the card's
// original JSON text and its parsed document (key order preserved), so no field
// is ever lost: unknown keys and every `extensions` entry survive read -> write
// -> read. Normalized, spec-independent views (V3 `data`) are derived from the
// document on demand.
//
// Thread safety: a value type; const methods may be called concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace charchive {

using Json = nlohmann::ordered_json;

enum class CardSpec { kV1, kV2, kV3 };

// "v1", "v2", "v3".
const char* CardSpecName(CardSpec spec);

class Card {
 public:
  Card() = default;  // an empty V1 card; use FromJson/FromDocument for real ones

  // Parses card JSON. Detects V1 (flat fields), V2 (`chara_card_v2`), V3
  // (`chara_card_v3`) and SillyTavern hybrids (V2/V3 with V1 mirror fields at
  // the top level; the `data` object wins). Fails with "bad_json",
  // "wrong_spec" (not a card) or "bad_field" (a content field of the wrong type).
  static Result<Card> FromJson(std::string_view text);

  // Wraps an already parsed document (validated like FromJson).
  static Result<Card> FromDocument(Json document);

  CardSpec spec() const { return spec_; }
  const std::string& original_json() const { return original_json_; }
  const Json& document() const { return document_; }

  // The content fields as V3 `data` (V1 fields mapped, V3-only fields stashed
  // by a V2 conversion restored). Unknown keys inside `data` are kept.
  Json V3Data() const;

  // Convenience readers over V3Data().
  std::string name() const;
  std::string creator() const;
  std::vector<std::string> tags() const;
  size_t alternate_greetings_count() const;
  size_t lorebook_entry_count() const;

 private:
  Card(std::string original, Json document, CardSpec spec)
      : original_json_(std::move(original)), document_(std::move(document)), spec_(spec) {}

  std::string original_json_;
  Json document_;
  CardSpec spec_ = CardSpec::kV1;
};

}  // namespace charchive
