// libFuzzer target: the bounded zlib inflate behind zTXt/iTXt card chunks.
// Traps unless the output stays within its bound, and unless what DeflateZlib
// writes inflates back to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "util/inflate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr uint64_t kBound = 1 << 20;
  auto inflated = charchive::InflateZlib(input, kBound);
  if (inflated.ok() && inflated->size() > kBound) std::abort();
  auto round = charchive::InflateZlib(charchive::DeflateZlib(input), size + 1);
  if (!round.ok() || *round != input) std::abort();
  return 0;
}
