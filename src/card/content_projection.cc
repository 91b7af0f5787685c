#include "card/content_projection.h"

#include <charconv>

#include "card/archive_marker.h"
#include "card/json_fields.h"

namespace charchive {
namespace {

// Text fields every V2/V3 card has: missing or null means "".
constexpr const char* kTextFields[] = {"name",          "description",      "personality",
                                       "scenario",      "first_mes",        "mes_example",
                                       "creator_notes", "system_prompt",    "post_history_instructions",
                                       "creator",       "character_version"};
// Arrays the V3 spec defaults to []: missing or null means empty.
constexpr const char* kDefaultedArrays[] = {"alternate_greetings", "group_only_greetings", "tags"};
// Optional V3 fields whose empty value means "not set": null, "", [] or {}
// count as absent (a V2 conversion drops them, docs/card-formats.md).
constexpr const char* kOptionalFields[] = {"nickname", "source", "creator_notes_multilingual", "assets"};
// Keys peers add or rewrite on their own; never content.
constexpr const char* kDroppedDataKeys[] = {"creation_date", "modification_date"};

bool IsEmptyValue(const Json& v) {
  return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) || (v.is_array() && v.empty()) ||
         (v.is_object() && v.empty());
}

// A number a peer may store as a string ("0.5") becomes a number.
void NumberFromString(Json& value) {
  if (!value.is_string()) return;
  const std::string& s = value.get_ref<const std::string&>();
  double d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) value = d;
}

// SillyTavern reads a depth_prompt without role as role "system" and writes
// that role on its editor's first save; {prompt "", depth 4, role system} is
// what it writes for "no depth prompt".
void NormalizeDepthPrompt(Json& ext) {
  auto depth = ext.find("depth_prompt");
  if (depth == ext.end() || !depth->is_object()) return;
  auto d = depth->find("depth");
  if (d != depth->end()) NumberFromString(*d);
  auto role = depth->find("role");
  if (role == depth->end() || role->is_null()) (*depth)["role"] = "system";
  bool is_default = depth->value("prompt", Json("")) == Json("") && depth->value("depth", Json(4)) == Json(4) &&
                    (*depth)["role"] == Json("system");
  for (const auto& [key, value] : depth->items())
    is_default = is_default && (key == "prompt" || key == "depth" || key == "role");
  if (is_default) ext.erase("depth_prompt");
}

// SillyTavern's private favourite flag and its editor's "unset" defaults;
// the archive's own identity marker (archive_marker.h).
void NormalizeExtensions(Json& ext) {
  ext.erase("fav");
  ext.erase(kArchiveMarkerKey);
  auto talk = ext.find("talkativeness");
  if (talk != ext.end()) {
    NumberFromString(*talk);
    if (talk->is_number() && talk->get<double>() == 0.5) ext.erase("talkativeness");
  }
  auto world = ext.find("world");
  if (world != ext.end() && world->is_string() && world->get_ref<const std::string&>().empty()) ext.erase("world");
  NormalizeDepthPrompt(ext);
}

bool IsMainIconAsset(const Json& asset) {
  const std::string* type = FindString(asset, "type");
  const std::string* name = FindString(asset, "name");
  return type && *type == "icon" && name && *name == "main";
}

// The main icon is the card's image, covered by the image hash; CharX and PNG
// carry it differently, so it is not content.
void DropMainIcon(Json& data) {
  auto assets = data.find("assets");
  if (assets == data.end() || !assets->is_array()) return;
  Json kept = Json::array();
  for (auto& a : *assets) {
    if (!IsMainIconAsset(a)) kept.push_back(std::move(a));
  }
  *assets = std::move(kept);
}

// A lorebook's entries default to []; a lorebook with nothing in it is no
// lorebook.
void NormalizeBook(Json& data) {
  auto book = data.find("character_book");
  if (book == data.end()) return;
  if (!book->is_object()) {
    if (book->is_null()) data.erase(book);
    return;
  }
  auto entries = book->find("entries");
  if (entries == book->end() || entries->is_null()) (*book)["entries"] = Json::array();
  if (book->size() == 1 && (*book)["entries"].empty()) data.erase("character_book");
}

}  // namespace

Json ProjectV3Data(Json data) {
  if (!data.is_object()) data = Json::object();
  for (const char* f : kTextFields) {
    auto it = data.find(f);
    if (it == data.end() || it->is_null()) data[f] = "";
  }
  for (const char* f : kDefaultedArrays) {
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
  NormalizeBook(data);
  DropMainIcon(data);
  for (const char* f : kOptionalFields) {
    auto it = data.find(f);
    if (it != data.end() && IsEmptyValue(*it)) data.erase(it);
  }
  return data;
}

Json ContentProjection(const Card& card) { return ProjectV3Data(card.V3Data()); }

}  // namespace charchive
