// Card: one character card, as read from any format. It keeps the card's
// original JSON text, so no field is ever lost: unknown keys and every
// `extensions` entry survive read -> write -> read. Parsing validates the
// whole text and extracts a summary (name, creator, tags, counts); the
// mutable document (key order kept) and the normalized V3 `data` view are
// built from the text on first use, since listing and import need only the
// summary.
//
// Thread safety: a value type; const methods may be called concurrently (the
// document is built once, under std::call_once). Copies share the built
// document.
#pragma once

#include <memory>
#include <mutex>
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
  Card();  // an empty V1 card; use FromJson/FromDocument for real ones

  // Parses card JSON. Detects V1 (flat fields), V2 (`chara_card_v2`), V3
  // (`chara_card_v3`) and SillyTavern hybrids (V2/V3 with V1 mirror fields at
  // the top level; the `data` object wins). Fails with "bad_json",
  // "wrong_spec" (not a card) or "bad_field" (a content field of the wrong type).
  static Result<Card> FromJson(std::string_view text);

  // Wraps a document (validated like FromJson, from its serialized text).
  static Result<Card> FromDocument(const Json& document);

  CardSpec spec() const { return spec_; }
  const std::string& original_json() const { return *original_json_; }
  // The parsed document, key order kept; built on first use.
  const Json& document() const;

  // The content fields as V3 `data` (V1 fields mapped, V3-only fields stashed
  // by a V2 conversion restored). Unknown keys inside `data` are kept.
  Json V3Data() const;

  // The summary, extracted while parsing.
  const std::string& name() const { return summary_.name; }
  const std::string& creator() const { return summary_.creator; }
  const std::vector<std::string>& tags() const { return summary_.tags; }
  size_t alternate_greetings_count() const { return summary_.alternate_greetings; }
  size_t lorebook_entry_count() const { return summary_.lorebook_entries; }

 private:
  struct Summary {
    std::string name;
    std::string creator;
    std::vector<std::string> tags;
    size_t alternate_greetings = 0;
    size_t lorebook_entries = 0;
  };
  struct LazyDocument;

  std::shared_ptr<const std::string> original_json_;
  std::shared_ptr<LazyDocument> document_;
  CardSpec spec_ = CardSpec::kV1;
  Summary summary_;
};

}  // namespace charchive
