// libFuzzer target: card JSON parsing, spec detection, field checks, V2/V3
// conversion, the content hash, and re-parsing what conversion wrote.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "card/card.h"
#include "card/card_convert.h"
#include "card/content_hash.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto card = charchive::Card::FromJson(text);
  if (!card.ok()) return 0;
  (void)charchive::ContentHash(*card);
  std::string v2 = charchive::DumpJson(charchive::ToV2Document(*card));
  std::string v3 = charchive::DumpJson(charchive::ToV3Document(*card));
  auto again = charchive::Card::FromJson(v3);
  if (!again.ok()) __builtin_trap();  // what we write we must read
  if (charchive::ContentHash(*again) != charchive::ContentHash(*card)) __builtin_trap();
  (void)charchive::Card::FromJson(v2);
  return 0;
}
