#include "card/card_convert.h"

namespace charchive {
namespace {

constexpr char kV3Stash[] = "charchive/v3";

// Fields every V2 `data` carries, with their defaults.
constexpr size_t kV2DefaultCount = 14;

Json DefaultFor(const char* field) {
  std::string_view f(field);
  if (f == "alternate_greetings" || f == "tags" || f == "group_only_greetings") return Json::array();
  if (f == "extensions") return Json::object();
  return "";
}

constexpr const char* kV2Fields[kV2DefaultCount] = {"name",
                                                    "description",
                                                    "personality",
                                                    "scenario",
                                                    "first_mes",
                                                    "mes_example",
                                                    "creator_notes",
                                                    "system_prompt",
                                                    "post_history_instructions",
                                                    "alternate_greetings",
                                                    "tags",
                                                    "creator",
                                                    "character_version",
                                                    "extensions"};

// V3-only fields that a V2 reader does not know.
constexpr const char* kV3OnlyFields[] = {"group_only_greetings",       "assets", "nickname",
                                         "creator_notes_multilingual", "source", "creation_date",
                                         "modification_date"};

void FillDefaults(Json& data, bool v3) {
  for (const char* f : kV2Fields) {
    auto it = data.find(f);
    if (it == data.end() || it->is_null()) data[f] = DefaultFor(f);
  }
  if (v3) {
    auto it = data.find("group_only_greetings");
    if (it == data.end() || it->is_null()) data["group_only_greetings"] = Json::array();
  }
}

bool IsEmptyValue(const Json& v) {
  return v.is_null() || (v.is_array() && v.empty()) || (v.is_string() && v.get_ref<const std::string&>().empty());
}

// The document's own top-level keys, minus those a V1 card maps into `data`.
Json WrapperFrom(const Card& card) {
  Json doc = Json::object();
  doc["spec"] = nullptr;
  doc["spec_version"] = nullptr;
  if (card.spec() != CardSpec::kV1) {
    for (const auto& [key, value] : card.document().items()) doc[key] = value;
    return doc;
  }
  static constexpr const char* kMapped[] = {"name",        "description",    "personality",   "scenario", "first_mes",
                                            "mes_example", "creatorcomment", "talkativeness", "tags",     "fav"};
  for (const auto& [key, value] : card.document().items()) {
    bool mapped = false;
    for (const char* m : kMapped) mapped = mapped || key == m;
    if (!mapped) doc[key] = value;
  }
  return doc;
}

// The V1 mirror fields a V2/V3 document may carry at the top level (as
// SillyTavern writes them), with where each one's value lives in `data`.
struct Mirror {
  const char* top;
  const char* field;
  const char* extension;  // set: the value is data.extensions[extension]
};
constexpr Mirror kV1Mirrors[] = {{"name", "name", nullptr},
                                 {"description", "description", nullptr},
                                 {"personality", "personality", nullptr},
                                 {"scenario", "scenario", nullptr},
                                 {"first_mes", "first_mes", nullptr},
                                 {"mes_example", "mes_example", nullptr},
                                 {"creatorcomment", "creator_notes", nullptr},
                                 {"tags", "tags", nullptr},
                                 {"talkativeness", nullptr, "talkativeness"},
                                 {"fav", nullptr, "fav"}};

// The mirrors the document has are rebuilt from `data`, so none is ever
// written out stale (an edit changes `data` only); readers of the top level
// (Character Architect takes its index's name from a top-level `name`) see
// the card as it is. A mirror whose value `data` no longer has is dropped.
void RefreshV1Mirrors(Json& doc, const Json& data) {
  for (const Mirror& m : kV1Mirrors) {
    if (!doc.contains(m.top)) continue;
    const Json* value = nullptr;
    if (m.field && data.contains(m.field)) value = &data[m.field];
    if (m.extension && data.contains("extensions") && data["extensions"].is_object() &&
        data["extensions"].contains(m.extension)) {
      value = &data["extensions"][m.extension];
    }
    if (value) {
      doc[m.top] = *value;
    } else {
      doc.erase(m.top);
    }
  }
}

}  // namespace

Json ToV3Document(const Card& card) {
  Json doc = WrapperFrom(card);
  doc["spec"] = "chara_card_v3";
  doc["spec_version"] = "3.0";
  Json data = card.V3Data();
  FillDefaults(data, /*v3=*/true);
  RefreshV1Mirrors(doc, data);
  doc["data"] = std::move(data);
  return doc;
}

Json ToV2Document(const Card& card, std::vector<std::string>* losses) {
  Json doc = WrapperFrom(card);
  doc["spec"] = "chara_card_v2";
  doc["spec_version"] = "2.0";
  Json data = card.V3Data();
  FillDefaults(data, /*v3=*/false);
  Json stash = Json::object();
  for (const char* f : kV3OnlyFields) {
    auto it = data.find(f);
    if (it == data.end()) continue;
    if (!IsEmptyValue(*it)) {
      stash[f] = std::move(*it);
      if (losses) {
        losses->push_back(std::string("data.") + f +
                          " is V3-only: kept in data.extensions[\"charchive/v3\"], not read by V2 apps");
      }
    }
    data.erase(f);
  }
  if (!stash.empty()) data["extensions"][kV3Stash] = std::move(stash);
  RefreshV1Mirrors(doc, data);
  doc["data"] = std::move(data);
  return doc;
}

Json ToSpecDocument(const Card& card, CardSpec spec, std::vector<std::string>* losses) {
  return spec == CardSpec::kV3 ? ToV3Document(card) : ToV2Document(card, losses);
}

std::string DumpJson(const Json& document) { return document.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace charchive
