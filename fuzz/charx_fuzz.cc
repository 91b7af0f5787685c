// libFuzzer target: CharX (zip) reading with its limits and path checks.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "card/charx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)charchive::ReadCharx(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
