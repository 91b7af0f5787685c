// The one JSON reader for text from outside — card files, peers' answers,
// request bodies: JSON text → Json document (key order kept) under limits.
// simdjson validates UTF-8 and structure and counts nesting while it parses
// (its stage 2 is a loop over an explicit, bounded stack, so 300,000 nested
// arrays never recurse); the nlohmann document the rest of the program works
// on is then built from a DOM at most `max_depth` deep, so every later
// recursive copy, dump or walk of it is bounded too. Integers that do not fit
// in 64 bits are rejected.
//
// Thread safety: safe from any thread (one simdjson parser per thread).
#pragma once

#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include "card/card.h"
#include "card/limits.h"
#include "util/result.h"

namespace charchive {

struct JsonLimits {
  int max_depth = limits::kMaxJsonDepth;
  uint64_t max_bytes = limits::kMaxJsonText;
};

// Fails with kInvalidInput and kind "json_too_large" (the text is longer
// than max_bytes, checked before any allocation), "json_too_deep" (arrays and
// objects nest deeper than max_depth) or "bad_json" (invalid text, invalid
// UTF-8, an integer past 64 bits).
Result<Json> ParseJsonText(std::string_view text, JsonLimits limits = {});

// The calling thread's reusable simdjson parser, set to max_depth.
simdjson::dom::parser& ThreadJsonParser(int max_depth);

// Parses into `parser`'s DOM; the element lives until the parser's next parse.
// Same errors as ParseJsonText.
Result<simdjson::dom::element> ParseJsonDom(simdjson::dom::parser& parser, std::string_view text, JsonLimits limits);

}  // namespace charchive
