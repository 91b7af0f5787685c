#include "card/card.h"

#include "card/errors.h"
#include "card/json_parse.h"
#include "card/limits.h"

namespace charchive {
namespace {

constexpr const char* kTextFields[] = {
    "name",          "description",  "personality",   "scenario",
    "first_mes",     "mes_example",  "creator_notes", "system_prompt",
    "post_history_instructions",     "creator",       "character_version", "nickname"};
constexpr const char* kStringArrayFields[] = {"alternate_greetings", "group_only_greetings", "tags",
                                              "source"};
constexpr char kV3Stash[] = "charchive/v3";

Status CheckFieldTypes(const Json& data, const std::string& prefix, bool v1) {
  for (const char* field : kTextFields) {
    auto it = data.find(field);
    if (it != data.end() && !it->is_string() && !it->is_null()) {
      return Status::Invalid(card_error::kBadField, prefix + field + " must be a string");
    }
  }
  for (const char* field : kStringArrayFields) {
    auto it = data.find(field);
    if (it == data.end() || it->is_null()) continue;
    if (v1 && std::string_view(field) == "tags" && it->is_string()) continue;
    if (!it->is_array()) return Status::Invalid(card_error::kBadField, prefix + field + " must be an array");
    for (const auto& item : *it) {
      if (!item.is_string()) {
        return Status::Invalid(card_error::kBadField, prefix + field + " must contain only strings");
      }
    }
  }
  auto ext = data.find("extensions");
  if (ext != data.end() && !ext->is_object() && !ext->is_null()) {
    return Status::Invalid(card_error::kBadField, prefix + "extensions must be an object");
  }
  auto book = data.find("character_book");
  if (book != data.end() && !book->is_null()) {
    if (!book->is_object()) return Status::Invalid(card_error::kBadField, prefix + "character_book must be an object");
    auto entries = book->find("entries");
    if (entries != book->end() && !entries->is_array()) {
      return Status::Invalid(card_error::kBadField, prefix + "character_book.entries must be an array");
    }
  }
  auto name = data.find("name");
  if (name == data.end() || !name->is_string()) {
    return Status::Invalid(card_error::kBadField, prefix + "name is missing");
  }
  return Status::Ok();
}

Result<CardSpec> DetectSpec(const Json& doc) {
  if (!doc.is_object()) return Status::Invalid(card_error::kWrongSpec, "card JSON must be an object");
  auto spec = doc.find("spec");
  auto data = doc.find("data");
  bool has_data = data != doc.end() && data->is_object();
  if (spec != doc.end()) {
    if (!spec->is_string()) return Status::Invalid(card_error::kWrongSpec, "spec must be a string");
    const auto& s = spec->get_ref<const std::string&>();
    CardSpec result;
    if (s == "chara_card_v3") {
      result = CardSpec::kV3;
    } else if (s == "chara_card_v2") {
      result = CardSpec::kV2;
    } else {
      return Status::Invalid(card_error::kWrongSpec, "unsupported spec '" + s + "'");
    }
    if (!has_data) return Status::Invalid(card_error::kWrongSpec, "spec '" + s + "' card has no data object");
    return result;
  }
  if (has_data && data->contains("name")) return CardSpec::kV2;
  if (doc.contains("name")) {
    for (const char* f : {"description", "personality", "scenario", "first_mes", "mes_example"}) {
      if (doc.contains(f)) return CardSpec::kV1;
    }
  }
  return Status::Invalid(card_error::kWrongSpec, "JSON is not a character card (no spec, no data, no V1 fields)");
}

std::string StringOr(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Json TagsFromV1(const Json& value) {
  if (value.is_array()) return value;
  Json tags = Json::array();
  if (!value.is_string()) return tags;
  std::string_view s = value.get_ref<const std::string&>();
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view part = s.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) tags.push_back(std::string(part));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return tags;
}

}  // namespace

const char* CardSpecName(CardSpec spec) {
  switch (spec) {
    case CardSpec::kV1: return "v1";
    case CardSpec::kV2: return "v2";
    case CardSpec::kV3: return "v3";
  }
  return "v1";
}

Result<Card> Card::FromJson(std::string_view text) {
  CHARCHIVE_ASSIGN_OR_RETURN(Json doc, ParseJsonText(text, limits::kMaxJsonDepth));
  auto card = FromDocument(std::move(doc));
  if (!card.ok()) return card.status();
  card->original_json_ = std::string(text);
  return card;
}

Result<Card> Card::FromDocument(Json document) {
  CHARCHIVE_ASSIGN_OR_RETURN(CardSpec spec, DetectSpec(document));
  if (spec == CardSpec::kV1) {
    CHARCHIVE_RETURN_IF_ERROR(CheckFieldTypes(document, "", /*v1=*/true));
  } else {
    CHARCHIVE_RETURN_IF_ERROR(CheckFieldTypes(document["data"], "data.", /*v1=*/false));
  }
  return Card(std::string(), std::move(document), spec);
}

Json Card::V3Data() const {
  Json data;
  if (spec_ == CardSpec::kV1) {
    data = Json::object();
    for (const char* f : {"name", "description", "personality", "scenario", "first_mes", "mes_example"}) {
      data[f] = StringOr(document_, f);
    }
    if (document_.contains("creatorcomment")) data["creator_notes"] = StringOr(document_, "creatorcomment");
    if (document_.contains("tags")) data["tags"] = TagsFromV1(document_["tags"]);
    Json extensions = Json::object();
    if (document_.contains("talkativeness")) extensions["talkativeness"] = document_["talkativeness"];
    if (document_.contains("fav")) extensions["fav"] = document_["fav"];
    data["extensions"] = std::move(extensions);
    return data;
  }
  data = document_["data"];
  auto ext = data.find("extensions");
  if (ext != data.end() && ext->is_object()) {
    auto stash = ext->find(kV3Stash);
    if (stash != ext->end() && stash->is_object()) {
      Json restored = std::move(*stash);
      ext->erase(kV3Stash);
      for (auto& [key, value] : restored.items()) {
        if (!data.contains(key)) data[key] = std::move(value);
      }
    }
  }
  return data;
}

std::string Card::name() const {
  const Json& src = spec_ == CardSpec::kV1 ? document_ : document_["data"];
  return StringOr(src, "name");
}

std::string Card::creator() const {
  if (spec_ == CardSpec::kV1) return std::string();
  return StringOr(document_["data"], "creator");
}

std::vector<std::string> Card::tags() const {
  std::vector<std::string> out;
  Json tags = spec_ == CardSpec::kV1 ? TagsFromV1(document_.value("tags", Json())) : document_["data"].value("tags", Json());
  if (!tags.is_array()) return out;
  for (const auto& t : tags) {
    if (t.is_string()) out.push_back(t.get<std::string>());
  }
  return out;
}

size_t Card::alternate_greetings_count() const {
  if (spec_ == CardSpec::kV1) return 0;
  const Json& data = document_["data"];
  auto it = data.find("alternate_greetings");
  return it != data.end() && it->is_array() ? it->size() : 0;
}

size_t Card::lorebook_entry_count() const {
  if (spec_ == CardSpec::kV1) return 0;
  const Json& data = document_["data"];
  auto book = data.find("character_book");
  if (book == data.end() || !book->is_object()) return 0;
  auto entries = book->find("entries");
  return entries != book->end() && entries->is_array() ? entries->size() : 0;
}

}  // namespace charchive
