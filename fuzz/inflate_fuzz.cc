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
  // The round trip takes at most 64 KiB: deflating whole mutated cards (500 KB)
  // took most of the time and left the inflate side a few hundred runs a second.
  std::string_view raw = input.substr(0, 64 * 1024);
  auto round = charchive::InflateZlib(charchive::DeflateZlib(raw), raw.size());
  if (!round.ok() || *round != raw) std::abort();
  return 0;
}
