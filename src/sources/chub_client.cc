#include "sources/chub_client.h"

#include <algorithm>

#include "card/card_file.h"
#include "card/json_fields.h"
#include "card/placeholder_png.h"
#include "sources/errors.h"
#include "sources/timestamps.h"

namespace charchive::sources {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

}  // namespace

std::string EncodePath(const std::string& path) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    out +=
        federation::PercentEncode(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

Result<std::optional<ListedCard>> ChubListedCard(const Json& node) {
  if (!node.is_object()) return std::optional<ListedCard>();
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(node, JsonOrigin::Peer("Chub search")));
  ListedCard card;
  CHARCHIVE_ASSIGN_OR_RETURN(card.source_id, fields.StringOr("fullPath", ""));
  if (card.source_id.empty()) return std::optional<ListedCard>();
  card.path = card.source_id;
  CHARCHIVE_ASSIGN_OR_RETURN(card.name, fields.StringOr("name", ""));
  card.creator = card.path.substr(0, card.path.find('/'));
  for (const char* clock : {"lastActivityAt", "updatedAt", "createdAt"}) {
    if (auto t = NormalizeTimestamp(fields.Raw(clock))) {
      card.updated_at = *t;
      break;
    }
  }
  CHARCHIVE_ASSIGN_OR_RETURN(card.token_count, fields.IntOr("nTokens", 0));
  if (fields.Has("topics")) {
    CHARCHIVE_ASSIGN_OR_RETURN(std::vector<const Json*> topics, fields.Array("topics"));
    for (const Json* t : topics) {
      if (!t->is_string())
        return Status::Remote(source_error::kPeerBadResponse, "Chub search: topics must hold strings");
      const std::string& topic = t->get_ref<const std::string&>();
      if (topic == "ROOT") continue;
      card.tags.push_back(topic);
      if (Lower(topic) == "nsfw") card.nsfw = true;
    }
  }
  CHARCHIVE_ASSIGN_OR_RETURN(bool nsfw_image, fields.BoolOr("nsfw_image", false));
  if (nsfw_image) card.nsfw = true;
  return std::optional<ListedCard>(std::move(card));
}

Result<Json> ChubCardDocument(const Json& node) {
  if (!node.is_object() || !node.contains("definition") || !node["definition"].is_object()) {
    return Status::Remote(source_error::kPeerBadResponse, "Chub's answer has no definition for the card");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(node, JsonOrigin::Peer("Chub card")));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields def, fields.Object("definition"));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string full_path, fields.StringOr("fullPath", ""));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string name, def.StringOr("name", ""));
  if (name.empty()) {
    CHARCHIVE_ASSIGN_OR_RETURN(name, fields.StringOr("name", ""));
  }
  Json data = {{"name", name}};
  // Chub's "personality" is the character description; "tavern_personality" the personality.
  static constexpr std::pair<const char*, const char*> kText[] = {
      {"description", "personality"},     {"personality", "tavern_personality"},
      {"scenario", "scenario"},           {"first_mes", "first_message"},
      {"mes_example", "example_dialogs"}, {"creator_notes", "description"},
      {"system_prompt", "system_prompt"}, {"post_history_instructions", "post_history_instructions"}};
  for (const auto& [field, chub_field] : kText) {
    CHARCHIVE_ASSIGN_OR_RETURN(data[field], def.StringOr(chub_field, ""));
  }
  data["alternate_greetings"] = Json::array();
  data["tags"] = Json::array();
  data["creator"] = full_path.substr(0, full_path.find('/'));
  data["character_version"] = "";
  if (def.Has("alternate_greetings")) {
    CHARCHIVE_ASSIGN_OR_RETURN(std::vector<const Json*> greetings, def.Array("alternate_greetings"));
    for (const Json* g : greetings) {
      if (g->is_string()) data["alternate_greetings"].push_back(*g);
    }
  }
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<ListedCard> listed, ChubListedCard(node));
  if (listed) data["tags"] = listed->tags;
  const Json& lorebook = def.Raw("embedded_lorebook");
  if (lorebook.is_object() && lorebook.contains("entries")) data["character_book"] = lorebook;
  const Json& own_extensions = def.Raw("extensions");
  Json extensions = own_extensions.is_object() ? own_extensions : Json::object();
  if (!extensions.contains("chub") || !extensions["chub"].is_object()) extensions["chub"] = Json::object();
  extensions["chub"]["full_path"] = full_path;
  if (node.contains("id")) extensions["chub"]["id"] = node["id"];
  data["extensions"] = std::move(extensions);
  return Json{{"spec", "chara_card_v2"}, {"spec_version", "2.0"}, {"data", std::move(data)}};
}

std::vector<std::string> ChubClient::Listings(const SourceFilters& filters) const {
  if (filters.creators.empty()) return {"all"};
  std::vector<std::string> out;
  for (const auto& c : filters.creators) out.push_back("creator:" + c);
  return out;
}

Result<ListingPage> ChubClient::ListPage(const std::string& listing, const SourceFilters& filters, int page) {
  std::string query = "/search?search=&first=" + std::to_string(page_size_) + "&page=" + std::to_string(page) +
                      "&sort=last_activity_at&asc=false&namespace=characters&include_forks=true&nsfl=false&nsfw=" +
                      (filters.nsfw ? "true" : "false") + "&count=false";
  if (filters.min_tokens > 0) query += "&min_tokens=" + std::to_string(filters.min_tokens);
  if (!filters.tags.empty()) query += "&topics=" + federation::PercentEncode(Join(filters.tags));
  if (listing.rfind("creator:", 0) == 0) query += "&username=" + federation::PercentEncode(listing.substr(8));
  CHARCHIVE_ASSIGN_OR_RETURN(auto res, http_.Get(base_url_, query, "Chub search"));
  if (res.status != 200) return federation::HttpError(res, source_error::kSourceHttpError, "Chub search");
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, federation::JsonBody(res, "Chub search"));
  const Json* nodes = nullptr;
  if (body.is_object() && body.contains("data") && body["data"].is_object() && body["data"].contains("nodes")) {
    nodes = &body["data"]["nodes"];
  } else if (body.is_object() && body.contains("nodes")) {
    nodes = &body["nodes"];
  }
  if (!nodes || !nodes->is_array()) {
    return Status::Remote(source_error::kPeerBadResponse, "Chub search answered without data.nodes");
  }
  ListingPage out;
  for (const Json& node : *nodes) {
    CHARCHIVE_ASSIGN_OR_RETURN(std::optional<ListedCard> card, ChubListedCard(node));
    if (card) out.cards.push_back(std::move(*card));
  }
  out.last = nodes->empty();
  return out;
}

Result<FetchedCard> ChubClient::Fetch(const ListedCard& listed) {
  const std::string what = "Chub card " + listed.source_id;
  CHARCHIVE_ASSIGN_OR_RETURN(
      auto res, http_.Get(base_url_, "/api/characters/" + EncodePath(listed.source_id) + "?full=true", what));
  if (res.status == 404) return Status::NotFound(source_error::kSourceCardMissing, what + " is gone");
  if (res.status != 200) return federation::HttpError(res, source_error::kSourceHttpError, what);
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, federation::JsonBody(res, what));
  const Json& node = body.contains("node") ? body["node"] : body.contains("data") ? body["data"] : body;
  CHARCHIVE_ASSIGN_OR_RETURN(Json document, ChubCardDocument(node));
  CHARCHIVE_ASSIGN_OR_RETURN(Card card, Card::FromDocument(document));

  const std::string image_what = what + " image";
  CHARCHIVE_ASSIGN_OR_RETURN(
      auto image,
      http_.Get(image_base_url_, "/avatars/" + EncodePath(listed.source_id) + "/chara_card_v2.png", image_what));
  LoadedCard loaded;
  loaded.format = CardFormat::kPng;
  loaded.card = card;
  if (image.status == 200) {
    loaded.png = std::move(image.body);
  } else if (image.status != 404) {
    return federation::HttpError(image, source_error::kSourceHttpError, image_what);
  }
  // The definition is the card: it replaces whatever the image carries.
  auto png = SaveCardBytes(loaded, CardFormat::kPng, CardSpec::kV2, nullptr);
  if (!png.ok() && !loaded.png.empty()) {
    loaded.png.clear();  // not a PNG we can write into: the placeholder carries the card
    png = SaveCardBytes(loaded, CardFormat::kPng, CardSpec::kV2, nullptr);
  }
  if (!png.ok()) return png.status().WithContext(what);
  return FetchedCard{std::move(card), std::move(png).value()};
}

}  // namespace charchive::sources
