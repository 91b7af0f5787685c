#include "federation/architect_adapter.h"

#include <set>

#include "card/card_convert.h"
#include "card/json_fields.h"
#include "card/json_parse.h"
#include "federation/errors.h"

namespace charchive::federation {
namespace {

Status ErrorFor(const PeerResponse& res, const std::string& what) {
  auto parsed = ParseJsonText(res.body);
  const Json body = parsed.ok() ? std::move(parsed).value() : Json();
  const std::string* error = FindString(body, "error");
  if (error == nullptr) return HttpError(res, federation_error::kPeerRefused, what);
  // Architect's own error shape: {error, errors?[{field, message}]}.
  std::string detail = *error;
  if (body.contains("errors") && body["errors"].is_array()) {
    for (const auto& e : body["errors"]) {
      const std::string* field = FindString(e, "field");
      const std::string* text = FindString(e, "message");
      if (e.is_object()) detail += "; " + (field ? *field : "?") + ": " + (text ? *text : "");
    }
  }
  return HttpError(res, federation_error::kPeerRefused, what, detail);
}

}  // namespace

ArchitectAdapter::ArchitectAdapter(PeerHttp http, const PlatformConfig& config) : http_(std::move(http)) {
  // Architect has no auth of its own; a key is sent for proxies in front of it.
  if (!config.api_key.empty()) bearer_ = "Bearer " + config.api_key;
}

Result<PeerResponse> ArchitectAdapter::Send(PeerRequest request) const {
  if (!bearer_.empty()) request.headers.emplace_back("Authorization", bearer_);
  return http_.Send(request);
}

Result<Json> ArchitectAdapter::TestConnection() {
  PeerRequest health;
  health.path = "/health";
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, Send(health));
  if (res.status != 200) return ErrorFor(res, "Character Architect /health");
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, "Character Architect /health"));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields health_fields,
                             JsonFields::Of(body, JsonOrigin::Peer("Character Architect /health")));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string status, health_fields.StringOr("status", ""));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string timestamp, health_fields.StringOr("timestamp", ""));
  if (status != "ok") {
    return Status::Remote(federation_error::kPeerBadResponse,
                          http_.base_url() + "/health did not answer {status: \"ok\"}");
  }
  PeerRequest list;
  list.path = "/api/cards?limit=1";
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse cards, Send(list));
  if (cards.status != 200) return ErrorFor(cards, "Character Architect /api/cards");
  CHARCHIVE_ASSIGN_OR_RETURN(Json listing, JsonBody(cards, "Character Architect /api/cards"));
  Json data = {{"software", "Character Architect"}, {"status", "ok"}, {"timestamp", timestamp}};
  if (listing.is_array()) {
    data["list_shape"] = "array";
  } else if (listing.is_object() && listing.contains("items") && listing["items"].is_array()) {
    data["list_shape"] = "items";
    CHARCHIVE_ASSIGN_OR_RETURN(JsonFields page,
                               JsonFields::Of(listing, JsonOrigin::Peer("Character Architect /api/cards")));
    CHARCHIVE_ASSIGN_OR_RETURN(data["cards"], page.IntOr("total", 0));
  } else {
    return Status::Remote(federation_error::kPeerBadResponse,
                          "Character Architect /api/cards answered neither a list nor {items}");
  }
  return data;
}

Result<Json> ArchitectAdapter::GetCard(const std::string& platform_id) const {
  PeerRequest get;
  get.path = "/api/cards/" + PercentEncode(platform_id);
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, Send(get));
  if (res.status == 404)
    return Status::NotFound(federation_error::kRemoteMissing, "Character Architect has no card " + platform_id);
  if (res.status != 200) return ErrorFor(res, "Character Architect GET /api/cards/:id");
  CHARCHIVE_ASSIGN_OR_RETURN(Json card, JsonBody(res, "Character Architect GET /api/cards/:id"));
  if (!card.is_object() || !card.contains("data") || !card.contains("meta") || !card["meta"].is_object()) {
    return Status::Remote(federation_error::kPeerBadResponse,
                          "Character Architect answered a card without {meta, data}");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields,
                             JsonFields::Of(card, JsonOrigin::Peer("Character Architect GET /api/cards/:id")));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields meta, fields.Object("meta"));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string id, meta.String("id"));
  if (id != platform_id) {
    return Status::Remote(federation_error::kPeerBadResponse,
                          "Character Architect answered another card (" + id + ") when asked for " + platform_id);
  }
  CHARCHIVE_RETURN_IF_ERROR(meta.OptionalString("spec").status());
  CHARCHIVE_RETURN_IF_ERROR(meta.OptionalString("updatedAt").status());
  return card;
}

Result<std::string> ArchitectAdapter::Import(const OutgoingCard& card) const {
  PeerRequest req;
  req.method = "POST";
  req.path = "/api/import";
  req.parts.push_back({"file", card.png, std::to_string(card.card_id) + ".png", "image/png"});
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, Send(std::move(req)));
  if (res.status != 200 && res.status != 201) return ErrorFor(res, "Character Architect's import");
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, "Character Architect's import"));
  const Json* id = nullptr;
  if (body.is_object() && body.contains("card") && body["card"].is_object() && body["card"].contains("meta") &&
      body["card"]["meta"].is_object() && body["card"]["meta"].contains("id")) {
    id = &body["card"]["meta"]["id"];
  }
  if (id == nullptr || !id->is_string() || id->get<std::string>().empty()) {
    return Status::Remote(federation_error::kPeerBadResponse,
                          "Character Architect's import answered without card.meta.id");
  }
  return id->get<std::string>();
}

Result<std::string> ArchitectAdapter::Push(const OutgoingCard& card) {
  if (!card.platform_id) return Import(card);
  auto existing = GetCard(*card.platform_id);
  if (!existing.ok() && existing.status().kind() == federation_error::kRemoteMissing) return Import(card);
  if (!existing.ok()) return existing.status();
  // PATCH validates `data` against the spec the peer keeps for the card.
  // GetCard checked meta.spec's type.
  const std::string* spec = FindString((*existing)["meta"], "spec");
  bool v2 = spec != nullptr && *spec == "v2";
  PeerRequest patch;
  patch.method = "PATCH";
  patch.path = "/api/cards/" + PercentEncode(*card.platform_id);
  // Architect's list and search read `meta`, which a PATCH of `data` alone
  // leaves as it was: the card's name, tags and creator go with it.
  Json meta{{"name", card.card.name()}, {"tags", card.card.tags()}, {"creator", card.card.creator()}};
  patch.body = Json{{"data", v2 ? ToV2Document(card.card) : ToV3Document(card.card)}, {"meta", std::move(meta)}}.dump();
  patch.content_type = "application/json";
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, Send(std::move(patch)));
  if (res.status == 404) return Import(card);
  if (res.status != 200) return ErrorFor(res, "Character Architect PATCH /api/cards/:id");
  return *card.platform_id;
}

Result<RemoteCard> ArchitectAdapter::Fetch(const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Json card, GetCard(platform_id));
  RemoteCard remote{platform_id, card["data"].dump(), std::nullopt};
  if (card["meta"].contains("updatedAt") && card["meta"]["updatedAt"].is_string()) {
    remote.updated_at = card["meta"]["updatedAt"].get<std::string>();
  }
  return remote;
}

Result<std::vector<RemoteCard>> ArchitectAdapter::List() {
  std::vector<RemoteCard> cards;
  std::set<std::string> seen;
  for (int page = 1; page <= 10000; ++page) {
    PeerRequest list;
    list.path = "/api/cards?limit=100&page=" + std::to_string(page);
    CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, Send(list));
    if (res.status != 200) return ErrorFor(res, "Character Architect /api/cards");
    CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, "Character Architect /api/cards"));
    const Json* items =
        body.is_array() ? &body : (body.is_object() && body.contains("items") ? &body["items"] : nullptr);
    if (items == nullptr || !items->is_array()) {
      return Status::Remote(federation_error::kPeerBadResponse,
                            "Character Architect /api/cards answered neither a list nor {items}");
    }
    size_t added = 0;
    // An item that is not a card ({meta: {id}, data}) means this is not the
    // listing the adapter speaks to (another server at the base URL): an
    // error naming the route, never a shorter list.
    const JsonOrigin origin = JsonOrigin::Peer("Character Architect GET /api/cards");
    for (size_t i = 0; i < items->size(); ++i) {
      const std::string path = "items[" + std::to_string(i) + "]";
      CHARCHIVE_ASSIGN_OR_RETURN(JsonFields card, JsonFields::Of((*items)[i], origin, path));
      CHARCHIVE_ASSIGN_OR_RETURN(JsonFields meta, card.Object("meta"));
      CHARCHIVE_ASSIGN_OR_RETURN(std::string id, meta.String("id"));
      CHARCHIVE_ASSIGN_OR_RETURN(std::optional<std::string> updated_at, meta.OptionalString("updatedAt"));
      if (!card.Has("data")) return origin.Error(path + ".data is missing: not an Architect card");
      if (!seen.insert(id).second) continue;
      cards.push_back(RemoteCard{id, card.Raw("data").dump(), updated_at});
      ++added;
    }
    // A short page ends the listing; so does a page with nothing new (a server
    // that ignores `page` answers the same cards again).
    if (added == 0 || items->size() < 50) break;
  }
  return cards;
}

Result<std::string> ArchitectAdapter::FetchImage(const std::string& platform_id) {
  PeerRequest get;
  get.path = "/api/cards/" + PercentEncode(platform_id) + "/image";
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, Send(get));
  if (res.status == 404)
    return Status::NotFound(federation_error::kRemoteMissing, "Character Architect has no image for " + platform_id);
  if (res.status != 200) return ErrorFor(res, "Character Architect GET /api/cards/:id/image");
  return std::move(res.body);
}

}  // namespace charchive::federation
