#include "sources/character_tavern_client.h"

#include <algorithm>

#include "card/card_file.h"
#include "card/json_fields.h"
#include "sources/chub_client.h"
#include "sources/errors.h"
#include "sources/timestamps.h"

namespace charchive::sources {
namespace {

// Character Tavern gives ids as numbers or strings.
Result<std::string> IdText(const JsonFields& object) {
  const Json& id = object.Raw("id");
  if (id.is_null()) return std::string();
  if (id.is_number_integer()) {
    CHARCHIVE_ASSIGN_OR_RETURN(std::optional<int64_t> number, object.OptionalInt("id"));
    return std::to_string(*number);
  }
  return object.String("id");
}

// The strings of an array (other elements skipped: a hub's lists hold
// whatever its editors typed); absent gives an empty array.
Result<Json> StringArray(const JsonFields& object, std::string_view key) {
  Json out = Json::array();
  if (!object.Has(key)) return out;
  CHARCHIVE_ASSIGN_OR_RETURN(std::vector<const Json*> items, object.Array(key));
  for (const Json* v : items) {
    if (v->is_string()) out.push_back(*v);
  }
  return out;
}

// A sub-resource answer that is a bare list of strings.
Json StringList(const Json& value) {
  Json out = Json::array();
  if (value.is_array()) {
    for (const Json& v : value) {
      if (v.is_string()) out.push_back(v);
    }
  }
  return out;
}

Result<Json> CharacterBook(const JsonFields& lorebook) {
  CHARCHIVE_ASSIGN_OR_RETURN(std::string name, lorebook.StringOr("name", ""));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string description, lorebook.StringOr("description", ""));
  Json book = {
      {"name", name}, {"description", description}, {"entries", Json::array()}, {"extensions", Json::object()}};
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<int64_t> scan_depth, lorebook.OptionalInt("scanDepth"));
  if (scan_depth) book["scan_depth"] = *scan_depth;
  int64_t id = 0;
  if (!lorebook.Has("entries")) return book;
  CHARCHIVE_ASSIGN_OR_RETURN(std::vector<const Json*> entries, lorebook.Array("entries"));
  for (const Json* item : entries) {
    if (!item->is_object()) continue;
    CHARCHIVE_ASSIGN_OR_RETURN(JsonFields e, JsonFields::Of(*item, JsonOrigin::Peer("Character Tavern lorebook")));
    CHARCHIVE_ASSIGN_OR_RETURN(std::string entry_name, e.StringOr("name", ""));
    CHARCHIVE_ASSIGN_OR_RETURN(Json keys, StringArray(e, "keys"));
    CHARCHIVE_ASSIGN_OR_RETURN(std::string content, e.StringOr("content", ""));
    CHARCHIVE_ASSIGN_OR_RETURN(bool enabled, e.BoolOr("enabled", true));
    CHARCHIVE_ASSIGN_OR_RETURN(int64_t order, e.IntOr("insertionOrder", 100));
    CHARCHIVE_ASSIGN_OR_RETURN(bool constant, e.BoolOr("constant", false));
    book["entries"].push_back(Json{{"id", id++},
                                   {"name", entry_name},
                                   {"keys", std::move(keys)},
                                   {"content", content},
                                   {"enabled", enabled},
                                   {"insertion_order", order},
                                   {"constant", constant},
                                   {"extensions", Json::object()}});
  }
  return book;
}

}  // namespace

std::string CharacterTavernDetailPath(const std::string& path) {
  std::string out;
  for (unsigned char c : path) out.push_back(c == ' ' ? '_' : static_cast<char>(std::tolower(c)));
  return out;
}

Result<std::optional<ListedCard>> CharacterTavernListedCard(const Json& hit) {
  if (!hit.is_object()) return std::optional<ListedCard>();
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(hit, JsonOrigin::Peer("Character Tavern search")));
  ListedCard card;
  CHARCHIVE_ASSIGN_OR_RETURN(card.source_id, IdText(fields));
  CHARCHIVE_ASSIGN_OR_RETURN(card.path, fields.StringOr("path", ""));
  if (card.source_id.empty() || card.path.empty()) return std::optional<ListedCard>();
  CHARCHIVE_ASSIGN_OR_RETURN(card.name, fields.StringOr("name", ""));
  CHARCHIVE_ASSIGN_OR_RETURN(card.creator, fields.StringOr("author", ""));
  if (card.creator.empty()) card.creator = card.path.substr(0, card.path.find('/'));
  for (const char* clock : {"lastUpdateAt", "lastUpdatedAt", "createdAt"}) {
    if (auto t = NormalizeTimestamp(fields.Raw(clock))) {
      card.updated_at = *t;
      break;
    }
  }
  CHARCHIVE_ASSIGN_OR_RETURN(card.token_count, fields.IntOr("totalTokens", 0));
  CHARCHIVE_ASSIGN_OR_RETURN(Json tags, StringArray(fields, "tags"));
  for (const Json& t : tags) card.tags.push_back(t.get<std::string>());
  CHARCHIVE_ASSIGN_OR_RETURN(card.nsfw, fields.BoolOr("isNSFW", false));
  return std::optional<ListedCard>(std::move(card));
}

Result<Json> CharacterTavernCardDocument(const Json& card, const Json& tags, const Json& greetings,
                                         const Json& lorebook) {
  if (!card.is_object()) return Status::Remote(source_error::kPeerBadResponse, "Character Tavern's answer has no card");
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(card, JsonOrigin::Peer("Character Tavern card")));
  auto text = [&fields](const char* key) { return fields.StringOr(key, ""); };
  CHARCHIVE_ASSIGN_OR_RETURN(std::string path, text("path"));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string name, text("inChatName"));
  if (name.empty()) {
    CHARCHIVE_ASSIGN_OR_RETURN(name, text("name"));
  }
  CHARCHIVE_ASSIGN_OR_RETURN(std::string notes, text("description"));
  if (notes.empty()) {
    CHARCHIVE_ASSIGN_OR_RETURN(notes, text("tagline"));
  }
  CHARCHIVE_ASSIGN_OR_RETURN(std::string id, IdText(fields));
  // Keys in the order of a V2 card's `data`; the loop fills the text fields.
  Json data = {{"name", name},    {"description", ""}, {"personality", ""},     {"scenario", ""},
               {"first_mes", ""}, {"mes_example", ""}, {"creator_notes", notes}};
  static constexpr std::pair<const char*, const char*> kText[] = {
      {"description", "definition_character_description"},
      {"personality", "definition_personality"},
      {"scenario", "definition_scenario"},
      {"first_mes", "definition_first_message"},
      {"mes_example", "definition_example_messages"},
      {"system_prompt", "definition_system_prompt"},
      {"post_history_instructions", "definition_post_history_prompt"}};
  for (const auto& [field, tavern_field] : kText) {
    CHARCHIVE_ASSIGN_OR_RETURN(data[field], text(tavern_field));
  }
  data["alternate_greetings"] = StringList(greetings);
  data["tags"] = StringList(tags);
  data["creator"] = path.substr(0, path.find('/'));
  data["character_version"] = "";
  data["extensions"] = {{"character_tavern", {{"id", id}, {"path", path}}}};
  if (lorebook.is_object()) {
    CHARCHIVE_ASSIGN_OR_RETURN(JsonFields book,
                               JsonFields::Of(lorebook, JsonOrigin::Peer("Character Tavern lorebook")));
    CHARCHIVE_ASSIGN_OR_RETURN(data["character_book"], CharacterBook(book));
  }
  return Json{{"spec", "chara_card_v2"}, {"spec_version", "2.0"}, {"data", std::move(data)}};
}

Result<ListingPage> CharacterTavernClient::ListPage(const std::string& /*listing*/, const SourceFilters& /*filters*/,
                                                    int page) {
  std::string query =
      "/api/search/cards?limit=" + std::to_string(page_size_) + "&page=" + std::to_string(page) + "&sort=newest";
  CHARCHIVE_ASSIGN_OR_RETURN(auto res, http_.Get(base_url_, query, "Character Tavern search"));
  if (res.status != 200) {
    return federation::HttpError(res, source_error::kSourceHttpError, "Character Tavern search");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, federation::JsonBody(res, "Character Tavern search"));
  if (!body.is_object() || !body.contains("hits") || !body["hits"].is_array()) {
    return Status::Remote(source_error::kPeerBadResponse, "Character Tavern search answered without hits");
  }
  ListingPage out;
  for (const Json& hit : body["hits"]) {
    CHARCHIVE_ASSIGN_OR_RETURN(std::optional<ListedCard> card, CharacterTavernListedCard(hit));
    if (card) out.cards.push_back(std::move(*card));
  }
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(body, JsonOrigin::Peer("Character Tavern search")));
  CHARCHIVE_ASSIGN_OR_RETURN(int64_t total_pages, fields.IntOr("totalPages", 0));
  out.last = body["hits"].empty() || page >= total_pages;
  return out;
}

Result<FetchedCard> CharacterTavernClient::Fetch(const ListedCard& listed) {
  const std::string what = "Character Tavern card " + listed.path;
  auto get_json = [&](const std::string& path, const std::string& part) -> Result<std::optional<Json>> {
    CHARCHIVE_ASSIGN_OR_RETURN(auto res, http_.Get(base_url_, path, what + part));
    if (res.status == 404) return std::optional<Json>();
    if (res.status != 200) return federation::HttpError(res, source_error::kSourceHttpError, what + part);
    CHARCHIVE_ASSIGN_OR_RETURN(Json body, federation::JsonBody(res, what + part));
    return std::optional<Json>(std::move(body));
  };
  CHARCHIVE_ASSIGN_OR_RETURN(auto detail,
                             get_json("/api/character/" + EncodePath(CharacterTavernDetailPath(listed.path)), ""));
  if (!detail || !detail->is_object() || !detail->contains("card")) {
    return Status::NotFound(source_error::kSourceCardMissing, what + " is gone");
  }
  const Json& card = (*detail)["card"];
  if (!card.is_object()) return Status::Remote(source_error::kPeerBadResponse, what + ": card must be a JSON object");
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields card_fields, JsonFields::Of(card, JsonOrigin::Peer(what)));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string id, IdText(card_fields));
  if (id.empty()) id = listed.source_id;
  const std::string by_id = "/api/character/" + federation::PercentEncode(id);
  CHARCHIVE_ASSIGN_OR_RETURN(auto tags, get_json(by_id + "/tags", " tags"));
  CHARCHIVE_ASSIGN_OR_RETURN(auto greetings, get_json(by_id + "/alternative-greetings", " greetings"));
  std::optional<Json> lorebook;
  if (card_fields.Has("lorebookId")) {
    CHARCHIVE_ASSIGN_OR_RETURN(lorebook, get_json(by_id + "/lorebook", " lorebook"));
  }
  CHARCHIVE_ASSIGN_OR_RETURN(
      Json document, CharacterTavernCardDocument(card, tags.value_or(Json::array()), greetings.value_or(Json::array()),
                                                 lorebook.value_or(Json())));
  CHARCHIVE_ASSIGN_OR_RETURN(Card parsed, Card::FromDocument(document));

  CHARCHIVE_ASSIGN_OR_RETURN(auto image,
                             http_.Get(image_base_url_, "/" + EncodePath(listed.path) + ".png", what + " image"));
  LoadedCard loaded;
  loaded.format = CardFormat::kPng;
  loaded.card = parsed;
  if (image.status == 200) {
    loaded.png = std::move(image.body);
  } else if (image.status != 404) {
    return federation::HttpError(image, source_error::kSourceHttpError, what + " image");
  }
  auto png = SaveCardBytes(loaded, CardFormat::kPng, CardSpec::kV2, nullptr);
  if (!png.ok() && !loaded.png.empty()) {
    loaded.png.clear();
    png = SaveCardBytes(loaded, CardFormat::kPng, CardSpec::kV2, nullptr);
  }
  if (!png.ok()) return png.status().WithContext(what);
  return FetchedCard{std::move(parsed), std::move(png).value()};
}

}  // namespace charchive::sources
