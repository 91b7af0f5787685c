// Fast JSON text → Json document (key order kept) for untrusted card text.
// Parses with simdjson (validates UTF-8 and structure, bounds nesting), then
// builds the nlohmann document the card model works on. Integers that do not
// fit in 64 bits are rejected.
//
// Thread safety: safe from any thread (one simdjson parser per thread).
#pragma once

#include <string_view>

#include <simdjson.h>

#include "card/card.h"
#include "util/result.h"

namespace charchive {

// Fails with "bad_json" (invalid text, invalid UTF-8, an integer past 64
// bits, or nesting deeper than max_depth).
Result<Json> ParseJsonText(std::string_view text, int max_depth);

// The calling thread's reusable simdjson parser, set to max_depth.
simdjson::dom::parser& ThreadJsonParser(int max_depth);

// Parses into `parser`'s DOM; the element lives until the parser's next parse.
// Same errors as ParseJsonText.
Result<simdjson::dom::element> ParseJsonDom(simdjson::dom::parser& parser, std::string_view text, int max_depth);

}  // namespace charchive
