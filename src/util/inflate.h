// zlib inflate with an output bound: stops with kind "too_large" as soon as
// the output would pass max_output, so a small bomb cannot allocate a lot.
// Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace charchive {

// Inflates a zlib stream. Fails with "bad_compression" or "too_large".
Result<std::string> InflateZlib(std::string_view compressed, uint64_t max_output);

// Deflates into a zlib stream (default level).
std::string DeflateZlib(std::string_view raw);

}  // namespace charchive
