#include "card/card_file.h"

#include "card/card_convert.h"
#include "card/charx.h"
#include "card/errors.h"
#include "card/json_fields.h"
#include "card/placeholder_png.h"
#include "card/png_card.h"

namespace charchive {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string_view SkipBomAndSpace(std::string_view s) {
  if (StartsWith(s, "\xEF\xBB\xBF")) s.remove_prefix(3);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  return s;
}

}  // namespace

const char* CardFormatName(CardFormat format) {
  switch (format) {
    case CardFormat::kPng:
      return "png";
    case CardFormat::kJson:
      return "json";
    case CardFormat::kCharx:
      return "charx";
  }
  return "json";
}

Result<CardFormat> ParseCardFormat(std::string_view name) {
  if (name == "png") return CardFormat::kPng;
  if (name == "json") return CardFormat::kJson;
  if (name == "charx") return CardFormat::kCharx;
  return Status::Invalid(card_error::kBadField, "unknown format '" + std::string(name) + "' (png, json or charx)");
}

namespace {

// Parses any format; a PNG's bytes are left to the caller (`loaded.png` empty).
Result<LoadedCard> LoadWithoutPngBytes(std::string_view bytes, CrcCheck check) {
  LoadedCard loaded;
  if (StartsWith(bytes, kPngSignature)) {
    CHARCHIVE_ASSIGN_OR_RETURN(PngCardText text, ReadPngCardText(bytes, check));
    CHARCHIVE_ASSIGN_OR_RETURN(loaded.card, Card::FromJson(text.json));
    loaded.format = CardFormat::kPng;
    loaded.source_keyword = std::move(text.keyword);
    return loaded;
  }
  if (StartsWith(bytes, "PK\x03\x04") || StartsWith(bytes, "PK\x05\x06")) {
    CHARCHIVE_ASSIGN_OR_RETURN(CharxContents contents, ReadCharx(bytes));
    CHARCHIVE_ASSIGN_OR_RETURN(loaded.card, Card::FromJson(contents.card_json));
    loaded.format = CardFormat::kCharx;
    if (StartsWith(contents.main_icon, kPngSignature)) loaded.png = std::move(contents.main_icon);
    loaded.assets = std::move(contents.files);
    return loaded;
  }
  std::string_view text = SkipBomAndSpace(bytes);
  if (StartsWith(text, "{")) {
    CHARCHIVE_ASSIGN_OR_RETURN(loaded.card, Card::FromJson(text));
    loaded.format = CardFormat::kJson;
    return loaded;
  }
  return Status::Invalid(card_error::kUnknownFormat, "not a PNG, CharX or JSON card");
}

}  // namespace

Result<LoadedCard> LoadCardBytes(std::string_view bytes, CrcCheck check) {
  auto loaded = LoadWithoutPngBytes(bytes, check);
  if (loaded.ok() && loaded->format == CardFormat::kPng) loaded->png = std::string(bytes);
  return loaded;
}

Result<LoadedCard> LoadOwnedCardBytes(std::string bytes, CrcCheck check) {
  auto loaded = LoadWithoutPngBytes(bytes, check);
  if (loaded.ok() && loaded->format == CardFormat::kPng) loaded->png = std::move(bytes);
  return loaded;
}

Result<Card> ParseCardBytes(std::string_view bytes, CrcCheck check) {
  CHARCHIVE_ASSIGN_OR_RETURN(LoadedCard loaded, LoadWithoutPngBytes(bytes, check));
  return std::move(loaded.card);
}

namespace {

// What a PNG card carries: the V2 view for `chara`, and the V3 document for
// `ccv3`, which keeps what V2 cannot hold.
struct PngCardJson {
  std::string v2;
  std::string v3;
};

PngCardJson PngCardJsonOf(const Card& card) { return {DumpJson(ToV2Document(card)), DumpJson(ToV3Document(card))}; }

}  // namespace

Result<ByteSplice> PlanPngCardBytes(const Card& card, uint64_t png_size, const ByteReader& read) {
  PngCardJson json = PngCardJsonOf(card);
  return PlanPngCardText(png_size, read, json.v2, json.v3);
}

Result<std::string> SaveCardBytes(const LoadedCard& loaded, CardFormat format, CardSpec spec,
                                  std::vector<std::string>* losses) {
  const Card& card = loaded.card;
  switch (format) {
    case CardFormat::kPng: {
      PngCardJson json = PngCardJsonOf(card);
      return WritePngCardText(loaded.png.empty() ? PlaceholderPng() : loaded.png, json.v2, json.v3);
    }
    case CardFormat::kJson:
      return ToSpecDocument(card, spec, losses).dump(2, ' ', false, Json::error_handler_t::replace);
    case CardFormat::kCharx: {
      // CharX holds V3 by definition; the card's image becomes the main icon.
      Json doc = ToV3Document(card);
      std::map<std::string, std::string> files = loaded.assets;
      if (!loaded.png.empty() && loaded.format != CardFormat::kCharx) {
        static constexpr char kIconPath[] = "assets/icon/images/main.png";
        files[kIconPath] = loaded.png;
        Json& assets = doc["data"]["assets"];
        if (!assets.is_array()) assets = Json::array();
        Json kept = Json::array();
        for (auto& a : assets) {
          const std::string* type = FindString(a, "type");
          const std::string* name = FindString(a, "name");
          bool main_icon = type && *type == "icon" && name && *name == "main";
          if (!main_icon) kept.push_back(std::move(a));
        }
        kept.push_back(
            Json{{"type", "icon"}, {"uri", std::string("embeded://") + kIconPath}, {"name", "main"}, {"ext", "png"}});
        assets = std::move(kept);
      }
      return WriteCharx(DumpJson(doc), files);
    }
  }
  return Status::Internal("unreachable", "unknown card format");
}

}  // namespace charchive
