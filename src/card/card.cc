#include "card/card.h"

#include <simdjson.h>

#include "card/errors.h"
#include "card/json_parse.h"
#include "card/limits.h"

namespace charchive {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// Card JSON is as long as a card file may be (the file limits bound it first).
constexpr JsonLimits kCardJsonLimits{.max_depth = limits::kMaxJsonDepth, .max_bytes = limits::kMaxCardFile};

constexpr const char* kTextFields[] = {"name",          "description",       "personality",
                                       "scenario",      "first_mes",         "mes_example",
                                       "creator_notes", "system_prompt",     "post_history_instructions",
                                       "creator",       "character_version", "nickname"};
constexpr const char* kStringArrayFields[] = {"alternate_greetings", "group_only_greetings", "tags", "source"};
constexpr char kV3Stash[] = "charchive/v3";

// The last member named `key` (duplicates: the last wins, as in JavaScript).
bool Member(simdjson::dom::object obj, std::string_view key, element* out) {
  bool found = false;
  for (auto field : obj) {
    if (field.key == key) {
      *out = field.value;
      found = true;
    }
  }
  return found;
}

bool IsObject(element e) { return e.type() == element_type::OBJECT; }

Status CheckFieldTypes(simdjson::dom::object data, const std::string& prefix, bool v1) {
  element e;
  for (const char* field : kTextFields) {
    if (Member(data, field, &e) && !e.is_string() && !e.is_null()) {
      return Status::Invalid(card_error::kBadField, prefix + field + " must be a string");
    }
  }
  for (const char* field : kStringArrayFields) {
    if (!Member(data, field, &e) || e.is_null()) continue;
    if (v1 && std::string_view(field) == "tags" && e.is_string()) continue;
    if (!e.is_array()) return Status::Invalid(card_error::kBadField, prefix + field + " must be an array");
    for (element item : simdjson::dom::array(e)) {
      if (!item.is_string()) {
        return Status::Invalid(card_error::kBadField, prefix + field + " must contain only strings");
      }
    }
  }
  if (Member(data, "extensions", &e) && !IsObject(e) && !e.is_null()) {
    return Status::Invalid(card_error::kBadField, prefix + "extensions must be an object");
  }
  if (Member(data, "character_book", &e) && !e.is_null()) {
    if (!IsObject(e)) return Status::Invalid(card_error::kBadField, prefix + "character_book must be an object");
    element entries;
    if (Member(simdjson::dom::object(e), "entries", &entries) && !entries.is_array()) {
      return Status::Invalid(card_error::kBadField, prefix + "character_book.entries must be an array");
    }
  }
  if (!Member(data, "name", &e) || !e.is_string()) {
    return Status::Invalid(card_error::kBadField, prefix + "name is missing");
  }
  // The name becomes file names on export and in peers' folders.
  if (std::string_view(e).find('\0') != std::string_view::npos) {
    return Status::Invalid(card_error::kBadField, prefix + "name contains a NUL character");
  }
  return Status::Ok();
}

Result<CardSpec> DetectSpec(element root) {
  if (!IsObject(root)) return Status::Invalid(card_error::kWrongSpec, "card JSON must be an object");
  simdjson::dom::object obj(root);
  element spec, data;
  bool has_data = Member(obj, "data", &data) && IsObject(data);
  if (Member(obj, "spec", &spec)) {
    if (!spec.is_string()) return Status::Invalid(card_error::kWrongSpec, "spec must be a string");
    std::string s{std::string_view(spec)};
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
  element name;
  if (has_data && Member(simdjson::dom::object(data), "name", &name)) return CardSpec::kV2;
  if (Member(obj, "name", &name)) {
    for (const char* f : {"description", "personality", "scenario", "first_mes", "mes_example"}) {
      element unused;
      if (Member(obj, f, &unused)) return CardSpec::kV1;
    }
  }
  return Status::Invalid(card_error::kWrongSpec, "JSON is not a character card (no spec, no data, no V1 fields)");
}

std::string StringMember(simdjson::dom::object obj, std::string_view key) {
  element e;
  return Member(obj, key, &e) && e.is_string() ? std::string(std::string_view(e)) : std::string();
}

std::vector<std::string> SplitTags(std::string_view s) {
  std::vector<std::string> tags;
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view part = s.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) tags.emplace_back(part);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return tags;
}

std::vector<std::string> TagsOf(simdjson::dom::object fields) {
  element e;
  if (!Member(fields, "tags", &e)) return {};
  if (e.is_string()) return SplitTags(std::string_view(e));
  std::vector<std::string> tags;
  if (e.is_array()) {
    for (element t : simdjson::dom::array(e)) {
      if (t.is_string()) tags.emplace_back(std::string_view(t));
    }
  }
  return tags;
}

size_t ArraySize(simdjson::dom::object obj, std::string_view key) {
  element e;
  return Member(obj, key, &e) && e.is_array() ? simdjson::dom::array(e).size() : 0;
}

Json TagsFromV1(const Json& value) {
  if (value.is_array()) return value;
  Json tags = Json::array();
  if (value.is_string()) {
    for (auto& t : SplitTags(value.get_ref<const std::string&>())) tags.push_back(std::move(t));
  }
  return tags;
}

std::string StringOr(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

struct Card::LazyDocument {
  std::once_flag once;
  Json document;
};

Card::Card()
    : original_json_(std::make_shared<const std::string>("{\"name\":\"\"}")),
      document_(std::make_shared<LazyDocument>()) {}

const char* CardSpecName(CardSpec spec) {
  switch (spec) {
    case CardSpec::kV1:
      return "v1";
    case CardSpec::kV2:
      return "v2";
    case CardSpec::kV3:
      return "v3";
  }
  return "v1";
}

Result<Card> Card::FromJson(std::string_view text) {
  simdjson::dom::parser& parser = ThreadJsonParser(limits::kMaxJsonDepth);
  CHARCHIVE_ASSIGN_OR_RETURN(element root, ParseJsonDom(parser, text, kCardJsonLimits));
  CHARCHIVE_ASSIGN_OR_RETURN(CardSpec spec, DetectSpec(root));
  simdjson::dom::object obj(root);
  simdjson::dom::object fields = obj;
  if (spec == CardSpec::kV1) {
    CHARCHIVE_RETURN_IF_ERROR(CheckFieldTypes(obj, "", /*v1=*/true));
  } else {
    element data;
    Member(obj, "data", &data);
    fields = simdjson::dom::object(data);
    CHARCHIVE_RETURN_IF_ERROR(CheckFieldTypes(fields, "data.", /*v1=*/false));
  }
  Card card;
  card.spec_ = spec;
  card.original_json_ = std::make_shared<const std::string>(text);
  card.summary_.name = StringMember(fields, "name");
  card.summary_.tags = TagsOf(fields);
  if (spec != CardSpec::kV1) {
    card.summary_.creator = StringMember(fields, "creator");
    card.summary_.alternate_greetings = ArraySize(fields, "alternate_greetings");
    element book;
    if (Member(fields, "character_book", &book) && IsObject(book)) {
      card.summary_.lorebook_entries = ArraySize(simdjson::dom::object(book), "entries");
    }
  }
  return card;
}

Result<Card> Card::FromDocument(const Json& document) {
  return FromJson(document.dump(-1, ' ', false, Json::error_handler_t::replace));
}

const Json& Card::document() const {
  std::call_once(document_->once, [this] {
    // The text was validated by FromJson, so this parse cannot fail.
    auto parsed = ParseJsonText(*original_json_, kCardJsonLimits);
    document_->document = parsed.ok() ? std::move(parsed).value() : Json::object();
  });
  return document_->document;
}

Json Card::V3Data() const {
  const Json& doc = document();
  Json data;
  if (spec_ == CardSpec::kV1) {
    data = Json::object();
    for (const char* f : {"name", "description", "personality", "scenario", "first_mes", "mes_example"}) {
      data[f] = StringOr(doc, f);
    }
    if (doc.contains("creatorcomment")) data["creator_notes"] = StringOr(doc, "creatorcomment");
    if (doc.contains("tags")) data["tags"] = TagsFromV1(doc["tags"]);
    Json extensions = Json::object();
    if (doc.contains("talkativeness")) extensions["talkativeness"] = doc["talkativeness"];
    if (doc.contains("fav")) extensions["fav"] = doc["fav"];
    data["extensions"] = std::move(extensions);
    return data;
  }
  data = doc["data"];
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

}  // namespace charchive
