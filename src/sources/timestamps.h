// Change clocks of the public hubs, normalized so that they compare as text:
// ISO 8601 strings with any offset or precision, and epoch seconds or
// milliseconds (Character Tavern sends all three), become
// "YYYY-MM-DDTHH:MM:SS.mmmZ" in UTC.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "card/card.h"

namespace charchive::sources {

// nullopt for null, 0 (Character Tavern's "never"), or text that is no time.
std::optional<std::string> NormalizeTimestamp(const Json& value);

}  // namespace charchive::sources
