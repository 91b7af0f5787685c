#include "card/content_hash.h"

#include <charconv>

#include "card/canonical_json.h"
#include "card/json_fields.h"
#include "util/sha256.h"

namespace charchive {
namespace {

constexpr const char* kStringFields[] = {
    "name",          "description",   "personality",   "scenario",
    "first_mes",     "mes_example",   "creator_notes", "system_prompt",
    "post_history_instructions",      "creator",       "character_version"};
constexpr const char* kArrayFields[] = {"alternate_greetings", "group_only_greetings", "tags"};

// Keys peers add or rewrite on their own; never content.
constexpr const char* kDroppedDataKeys[] = {"creation_date", "modification_date"};

// A number a peer may store as a string ("0.5") becomes a number.
void NumberFromString(Json& value) {
  if (!value.is_string()) return;
  const std::string& s = value.get_ref<const std::string&>();
  double d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) value = d;
}

// SillyTavern's private extension keys, and its defaults that mean "unset".
void NormalizeExtensions(Json& ext) {
  ext.erase("fav");
  auto talk = ext.find("talkativeness");
  if (talk != ext.end()) {
    NumberFromString(*talk);
    if (talk->is_number() && talk->get<double>() == 0.5) ext.erase("talkativeness");
  }
  auto world = ext.find("world");
  if (world != ext.end() && world->is_string() && world->get_ref<const std::string&>().empty()) ext.erase("world");
  auto depth = ext.find("depth_prompt");
  if (depth != ext.end() && depth->is_object()) {
    auto d = depth->find("depth");
    if (d != depth->end()) NumberFromString(*d);
    bool is_default = depth->value("prompt", Json("")) == Json("") && depth->value("depth", Json(4)) == Json(4) &&
                      depth->value("role", Json("system")) == Json("system") && depth->size() <= 3;
    if (is_default) ext.erase("depth_prompt");
  }
}

bool IsMainIconAsset(const Json& asset) {
  const std::string* type = FindString(asset, "type");
  const std::string* name = FindString(asset, "name");
  return type && *type == "icon" && name && *name == "main";
}

}  // namespace

Json ContentProjection(const Card& card) {
  Json data = card.V3Data();
  for (const char* f : kStringFields) {
    auto it = data.find(f);
    if (it == data.end() || it->is_null()) data[f] = "";
  }
  for (const char* f : kArrayFields) {
    auto it = data.find(f);
    if (it == data.end() || it->is_null()) data[f] = Json::array();
  }
  auto ext = data.find("extensions");
  if (ext == data.end() || !ext->is_object()) {
    data["extensions"] = Json::object();
  } else {
    NormalizeExtensions(*ext);
  }
  for (const char* f : kDroppedDataKeys) data.erase(f);
  auto book = data.find("character_book");
  if (book != data.end() && book->is_null()) data.erase(book);
  // The main icon is the card's image, covered by the image hash; CharX and
  // PNG carry it differently, so it is not content.
  auto assets = data.find("assets");
  if (assets != data.end()) {
    if (assets->is_array()) {
      Json kept = Json::array();
      for (auto& a : *assets) {
        if (!IsMainIconAsset(a)) kept.push_back(std::move(a));
      }
      *assets = std::move(kept);
    }
    if (assets->is_null() || (assets->is_array() && assets->empty())) data.erase("assets");
  }
  return data;
}

std::string ContentHash(const Card& card) { return Sha256Hex(CanonicalJson(ContentProjection(card))); }

}  // namespace charchive
