// Card files of any kind: detection (PNG, CharX zip, JSON) and the one entry
// point that turns bytes into a Card plus its image and assets, and back.
// Thread safety: stateless functions.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "card/byte_splice.h"
#include "card/card.h"
#include "card/png_chunks.h"

namespace charchive {

enum class CardFormat { kPng, kJson, kCharx };

// "png", "json", "charx".
const char* CardFormatName(CardFormat format);
// Parses "png"/"json"/"charx"; fails with "bad_field".
Result<CardFormat> ParseCardFormat(std::string_view name);

struct LoadedCard {
  CardFormat format = CardFormat::kJson;
  Card card;
  std::string png;                            // the PNG bytes (PNG input, or CharX main icon if PNG)
  std::map<std::string, std::string> assets;  // CharX entries other than card.json
  std::string source_keyword;                 // PNG: "ccv3" or "chara"
};

// Detects the format from the bytes and parses. Fails with
// "unknown_format" or any error of the format's parser.
Result<LoadedCard> LoadCardBytes(std::string_view bytes, CrcCheck check = CrcCheck::kTextChunks);
// The same, taking ownership: a PNG's bytes move into the result, uncopied.
Result<LoadedCard> LoadOwnedCardBytes(std::string bytes, CrcCheck check = CrcCheck::kTextChunks);

// Only the card, for callers that do not keep the image (info, hash, bench):
// the same detection and parsing, without copying image bytes.
Result<Card> ParseCardBytes(std::string_view bytes, CrcCheck check = CrcCheck::kTextChunks);

// Writes a card as `format` in `spec` (PNG always carries both chara=V2 view
// and ccv3=V3; `spec` picks the JSON/CharX document). PNG output reuses
// `loaded.png` when present, else a generated placeholder avatar. `losses`
// receives what the target cannot hold.
Result<std::string> SaveCardBytes(const LoadedCard& loaded, CardFormat format, CardSpec spec,
                                  std::vector<std::string>* losses = nullptr);

// The PNG SaveCardBytes writes for `card` over an original PNG of `png_size`
// bytes that `read` gives (a stored file), as a splice over that PNG: the
// image is not read (card/png_card.h PlanPngCardText).
Result<ByteSplice> PlanPngCardBytes(const Card& card, uint64_t png_size, const ByteReader& read);

}  // namespace charchive
