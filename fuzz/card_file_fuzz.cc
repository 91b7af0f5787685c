// libFuzzer target: format detection and loading of any card file, then
// writing it back in every format.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "card/card_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto loaded = charchive::LoadCardBytes(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!loaded.ok()) return 0;
  for (auto format : {charchive::CardFormat::kPng, charchive::CardFormat::kJson, charchive::CardFormat::kCharx}) {
    (void)charchive::SaveCardBytes(*loaded, format, charchive::CardSpec::kV3);
  }
  return 0;
}
