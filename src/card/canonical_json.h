// RFC 8785 JSON Canonicalization Scheme (JCS): object members sorted by their
// UTF-16 code units, no insignificant white space, numbers in ECMAScript
// shortest form, strings with minimal escaping. Two documents with the same
// meaning give the same bytes. Pure function; safe from any thread.
#pragma once

#include <string>

#include "card/card.h"

namespace charchive {

std::string CanonicalJson(const Json& value);

}  // namespace charchive
