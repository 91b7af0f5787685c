#include "sources/character_tavern_client.h"

#include <algorithm>

#include "card/card_file.h"
#include "sources/chub_client.h"
#include "sources/errors.h"
#include "sources/timestamps.h"

namespace charchive::sources {
namespace {

std::string Text(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string IdText(const Json& id) {
  if (id.is_string()) return id.get<std::string>();
  if (id.is_number_integer()) return std::to_string(id.get<int64_t>());
  return "";
}

Json StringArray(const Json& value) {
  Json out = Json::array();
  if (value.is_array()) {
    for (const Json& v : value) {
      if (v.is_string()) out.push_back(v);
    }
  }
  return out;
}

Json CharacterBook(const Json& lorebook) {
  Json book = {{"name", Text(lorebook, "name")},
               {"description", Text(lorebook, "description")},
               {"entries", Json::array()},
               {"extensions", Json::object()}};
  if (lorebook.contains("scanDepth") && lorebook["scanDepth"].is_number_integer()) {
    book["scan_depth"] = lorebook["scanDepth"];
  }
  int64_t id = 0;
  if (lorebook.contains("entries") && lorebook["entries"].is_array()) {
    for (const Json& e : lorebook["entries"]) {
      if (!e.is_object()) continue;
      Json entry = {{"id", id++},
                    {"name", Text(e, "name")},
                    {"keys", StringArray(e.value("keys", Json()))},
                    {"content", Text(e, "content")},
                    {"enabled", e.value("enabled", true)},
                    {"insertion_order", e.contains("insertionOrder") && e["insertionOrder"].is_number_integer()
                                            ? e["insertionOrder"].get<int64_t>()
                                            : 100},
                    {"constant", e.value("constant", false)},
                    {"extensions", Json::object()}};
      book["entries"].push_back(std::move(entry));
    }
  }
  return book;
}

}  // namespace

std::string CharacterTavernDetailPath(const std::string& path) {
  std::string out;
  for (unsigned char c : path) out.push_back(c == ' ' ? '_' : static_cast<char>(std::tolower(c)));
  return out;
}

std::optional<ListedCard> CharacterTavernListedCard(const Json& hit) {
  if (!hit.is_object()) return std::nullopt;
  ListedCard card;
  card.source_id = IdText(hit.value("id", Json()));
  card.path = Text(hit, "path");
  if (card.source_id.empty() || card.path.empty()) return std::nullopt;
  card.name = Text(hit, "name");
  card.creator = Text(hit, "author");
  if (card.creator.empty()) card.creator = card.path.substr(0, card.path.find('/'));
  for (const char* clock : {"lastUpdateAt", "lastUpdatedAt", "createdAt"}) {
    if (auto t = NormalizeTimestamp(hit.value(clock, Json()))) {
      card.updated_at = *t;
      break;
    }
  }
  if (hit.contains("totalTokens") && hit["totalTokens"].is_number()) card.token_count = hit["totalTokens"].get<int64_t>();
  for (const Json& t : StringArray(hit.value("tags", Json()))) card.tags.push_back(t.get<std::string>());
  card.nsfw = hit.value("isNSFW", false) == true;
  return card;
}

Result<Json> CharacterTavernCardDocument(const Json& card, const Json& tags, const Json& greetings,
                                         const Json& lorebook) {
  if (!card.is_object()) return Status::Remote(source_error::kPeerBadResponse, "Character Tavern's answer has no card");
  std::string path = Text(card, "path");
  std::string name = Text(card, "inChatName").empty() ? Text(card, "name") : Text(card, "inChatName");
  std::string notes = Text(card, "description").empty() ? Text(card, "tagline") : Text(card, "description");
  Json data = {
      {"name", name},
      {"description", Text(card, "definition_character_description")},
      {"personality", Text(card, "definition_personality")},
      {"scenario", Text(card, "definition_scenario")},
      {"first_mes", Text(card, "definition_first_message")},
      {"mes_example", Text(card, "definition_example_messages")},
      {"creator_notes", notes},
      {"system_prompt", Text(card, "definition_system_prompt")},
      {"post_history_instructions", Text(card, "definition_post_history_prompt")},
      {"alternate_greetings", StringArray(greetings)},
      {"tags", StringArray(tags)},
      {"creator", path.substr(0, path.find('/'))},
      {"character_version", ""},
      {"extensions", {{"character_tavern", {{"id", IdText(card.value("id", Json()))}, {"path", path}}}}},
  };
  if (lorebook.is_object()) data["character_book"] = CharacterBook(lorebook);
  return Json{{"spec", "chara_card_v2"}, {"spec_version", "2.0"}, {"data", std::move(data)}};
}

Result<ListingPage> CharacterTavernClient::ListPage(const std::string& listing, const SourceFilters& filters,
                                                    int page) {
  std::string query = "/api/search/cards?limit=" + std::to_string(page_size_) + "&page=" + std::to_string(page) +
                      "&sort=newest";
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
    if (auto card = CharacterTavernListedCard(hit)) out.cards.push_back(std::move(*card));
  }
  int64_t total_pages = body.contains("totalPages") && body["totalPages"].is_number_integer()
                            ? body["totalPages"].get<int64_t>()
                            : 0;
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
  if (!detail || !detail->contains("card")) return Status::NotFound(source_error::kSourceCardMissing, what + " is gone");
  const Json& card = (*detail)["card"];
  std::string id = IdText(card.value("id", Json()));
  if (id.empty()) id = listed.source_id;
  const std::string by_id = "/api/character/" + federation::PercentEncode(id);
  CHARCHIVE_ASSIGN_OR_RETURN(auto tags, get_json(by_id + "/tags", " tags"));
  CHARCHIVE_ASSIGN_OR_RETURN(auto greetings, get_json(by_id + "/alternative-greetings", " greetings"));
  std::optional<Json> lorebook;
  if (card.contains("lorebookId") && !card["lorebookId"].is_null()) {
    CHARCHIVE_ASSIGN_OR_RETURN(lorebook, get_json(by_id + "/lorebook", " lorebook"));
  }
  CHARCHIVE_ASSIGN_OR_RETURN(Json document, CharacterTavernCardDocument(card, tags.value_or(Json::array()),
                                                                        greetings.value_or(Json::array()),
                                                                        lorebook.value_or(Json())));
  CHARCHIVE_ASSIGN_OR_RETURN(Card parsed, Card::FromDocument(document));

  CHARCHIVE_ASSIGN_OR_RETURN(auto image, http_.Get(image_base_url_, "/" + EncodePath(listed.path) + ".png",
                                                   what + " image"));
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
