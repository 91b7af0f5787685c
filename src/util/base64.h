// Base64 (RFC 4648, standard alphabet) encoding and a tolerant decoder: it
// accepts missing padding and skips ASCII whitespace, as card writers in the
// wild produce both. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace charchive {

std::string Base64Encode(std::string_view bytes);

// Fails with kind "bad_base64" on a character outside the alphabet or a
// length that no padding can explain.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace charchive
