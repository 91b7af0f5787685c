#include "api/hub_routes.h"

#include <cctype>

#include "api/errors.h"
#include "api/json_response.h"
#include "api/request_params.h"
#include "federation/errors.h"

namespace charchive::api {
namespace {

using federation::HubNode;
using httplib::Request;
using httplib::Response;

constexpr char kActivityJson[] = "application/activity+json";
constexpr size_t kMaxInboxBytes = 4u << 20;

void WriteDocument(Response& res, const Result<Json>& doc, const char* content_type = kActivityJson) {
  if (!doc.ok()) return WriteError(res, doc.status());
  res.status = 200;
  res.set_content(doc->dump(), content_type);
}

Result<std::optional<bool>> OptionalBool(const Json& body, const char* key) {
  if (!body.contains(key)) return std::optional<bool>();
  if (!body[key].is_boolean())
    return Status::Invalid(api_error::kBadField, std::string(key) + " must be true or false");
  return std::optional<bool>(body[key].get<bool>());
}

Result<federation::HubSettingsUpdate> ParseSettings(const Json& body) {
  static const std::set<std::string> kKnown = {"enabled", "public_url", "publish_all", "auto_accept"};
  for (const auto& [key, value] : body.items()) {
    if (!kKnown.count(key)) {
      return Status::Invalid(api_error::kBadField, "unknown field '" + key +
                                                       "' (known: enabled, public_url, publish_all, "
                                                       "auto_accept)");
    }
  }
  federation::HubSettingsUpdate update;
  CHARCHIVE_ASSIGN_OR_RETURN(update.enabled, OptionalBool(body, "enabled"));
  CHARCHIVE_ASSIGN_OR_RETURN(update.publish_all, OptionalBool(body, "publish_all"));
  CHARCHIVE_ASSIGN_OR_RETURN(update.auto_accept, OptionalBool(body, "auto_accept"));
  if (body.contains("public_url")) {
    if (!body["public_url"].is_string()) return Status::Invalid(api_error::kBadField, "public_url must be a string");
    update.public_url = body["public_url"].get<std::string>();
  }
  return update;
}

Result<std::string> ActorField(const Request& req) {
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, ObjectBody(req));
  if (!body.contains("actor") || !body["actor"].is_string()) {
    return Status::Invalid(api_error::kBadField, "actor (the follower's actor id) is required");
  }
  return body["actor"].get<std::string>();
}

void Outbox(HubNode& hub, const Request& req, Response& res) {
  std::optional<int64_t> page;
  if (req.has_param("page")) {
    const std::string p = req.get_param_value("page");
    if (p.empty() || p.size() > 9 || !std::all_of(p.begin(), p.end(), [](char c) { return std::isdigit(c); })) {
      return WriteError(res, 400, "page must be a positive number");
    }
    page = std::stoll(p);
  }
  std::optional<std::string> since;
  if (req.has_param("since")) since = req.get_param_value("since");
  WriteDocument(res, hub.Outbox(page, since));
}

void CardObject(HubNode& hub, const Request& req, Response& res) {
  auto object = hub.CardObject(IdParam(req));
  if (!object.ok() && object.status().kind() == federation_error::kGone) {
    res.status = 410;
    res.set_content(Json{{"id", req.path}, {"type", "Tombstone"}, {"error", object.status().message()}}.dump(),
                    kActivityJson);
    return;
  }
  WriteDocument(res, object);
}

void CardImage(HubNode& hub, const Request& req, Response& res) {
  auto png = hub.CardImage(IdParam(req));
  if (!png.ok())
    return WriteError(res, png.status().kind() == federation_error::kGone ? 410 : HttpStatusFor(png.status()),
                      png.status().message());
  res.set_content(std::move(*png), "image/png");
}

void Inbox(HubNode& hub, const Request& req, Response& res) {
  if (req.body.size() > kMaxInboxBytes) return WriteError(res, 413, "activities are limited to 4 MiB");
  federation::InboxRequest inbox;
  inbox.method = req.method;
  inbox.target = req.target;
  inbox.body = req.body;
  inbox.header = [&req](const std::string& name) -> std::optional<std::string> {
    if (!req.has_header(name.c_str())) return std::nullopt;
    return req.get_header_value(name.c_str());
  };
  auto outcome = hub.Receive(inbox);
  if (!outcome.ok()) return WriteError(res, outcome.status());
  WriteJson(res, outcome->http_status, outcome->body);
}

void Settings(HubNode& hub, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto update = ParseSettings(*body);
  if (!update.ok()) return WriteError(res, update.status());
  auto settings = hub.UpdateSettings(*update);
  if (!settings.ok()) return WriteError(res, settings.status());
  auto overview = hub.Overview();
  if (!overview.ok()) return WriteError(res, overview.status());
  WriteJson(res, 200, *overview);
}

void Publish(HubNode& hub, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto published = OptionalBool(*body, "published");
  if (!published.ok()) return WriteError(res, published.status());
  if (!*published) return WriteError(res, 400, "published (true or false) is required");
  Status status = hub.SetPublished(IdParam(req), **published);
  if (!status.ok()) return WriteError(res, status);
  WriteJson(res, 200, Json{{"cardId", IdParam(req)}, {"published", **published}});
}

void Follow(HubNode& hub, const Request&, Response& res) {
  auto relation = hub.Follow();
  if (!relation.ok()) return WriteError(res, relation.status());
  WriteJson(res, 202, Json{{"actor", relation->actor_id}, {"state", relation->state}});
}

void Unfollow(HubNode& hub, const Request&, Response& res) {
  Status status = hub.Unfollow();
  if (!status.ok()) return WriteError(res, status);
  WriteJson(res, 200, Json{{"following", Json::array()}});
}

void AnswerFollower(HubNode& hub, const Request& req, Response& res, bool accept) {
  auto actor = ActorField(req);
  if (!actor.ok()) return WriteError(res, actor.status());
  Status status = hub.AnswerFollower(*actor, accept);
  if (!status.ok()) return WriteError(res, status);
  WriteJson(res, 200, Json{{"actor", *actor}, {"state", accept ? "accepted" : "rejected"}});
}

void Suggestions(HubNode& hub, const Request& req, Response& res) {
  std::optional<CardId> card;
  if (req.has_param("card")) {
    const std::string c = req.get_param_value("card");
    if (c.empty() || c.size() > 18 || !std::all_of(c.begin(), c.end(), [](char ch) { return std::isdigit(ch); })) {
      return WriteError(res, 400, "card must be a card id");
    }
    card = std::stoll(c);
  }
  auto suggestions = hub.Suggestions(card);
  if (!suggestions.ok()) return WriteError(res, suggestions.status());
  WriteJson(res, 200, *suggestions);
}

void DismissSuggestion(HubNode& hub, const Request& req, Response& res) {
  Status status = hub.DismissSuggestion(IdParam(req));
  if (!status.ok()) return WriteError(res, status);
  WriteJson(res, 200, Json{{"dismissed", IdParam(req)}});
}

}  // namespace

void AddHubRoutes(httplib::Server& server, HubNode& hub) {
  auto bind = [&hub](void (*handler)(HubNode&, const Request&, Response&)) {
    return [&hub, handler](const Request& req, Response& res) { handler(hub, req, res); };
  };
  server.Get("/.well-known/webfinger", [&hub](const Request& req, Response& res) {
    if (!req.has_param("resource")) return WriteError(res, 400, "resource (acct:user@host) is required");
    WriteDocument(res, hub.WebFinger(req.get_param_value("resource")), "application/jrd+json");
  });
  server.Get("/.well-known/nodeinfo",
             [&hub](const Request&, Response& res) { WriteDocument(res, hub.NodeInfoLinks(), "application/json"); });
  server.Get("/nodeinfo/2.1", [&hub](const Request&, Response& res) {
    WriteDocument(res, hub.NodeInfo(),
                  "application/json; profile=\"http://nodeinfo.diaspora.foundation/ns/schema/2.1#\"");
  });
  server.Get("/ap/actor", [&hub](const Request&, Response& res) { WriteDocument(res, hub.Actor()); });
  server.Get("/ap/outbox", bind(Outbox));
  server.Get("/ap/followers", [&hub](const Request&, Response& res) { WriteDocument(res, hub.Followers()); });
  server.Get("/ap/following", [&hub](const Request&, Response& res) { WriteDocument(res, hub.Following()); });
  server.Get(R"(/ap/cards/(\d{1,18}))", bind(CardObject));
  server.Get(R"(/ap/cards/(\d{1,18})/image)", bind(CardImage));
  server.Post("/ap/inbox", bind(Inbox));

  server.Get("/api/hub", [&hub](const Request&, Response& res) {
    auto overview = hub.Overview();
    if (!overview.ok()) return WriteError(res, overview.status());
    WriteJson(res, 200, *overview);
  });
  server.Put("/api/hub", bind(Settings));
  server.Get(R"(/api/hub/cards/(\d{1,18}))", [&hub](const Request& req, Response& res) {
    auto publication = hub.Publication(IdParam(req));
    if (!publication.ok()) return WriteError(res, publication.status());
    WriteJson(res, 200, *publication);
  });
  server.Put(R"(/api/hub/cards/(\d{1,18}))", bind(Publish));
  server.Post("/api/hub/follow", bind(Follow));
  server.Delete("/api/hub/follow", bind(Unfollow));
  server.Post("/api/hub/followers/accept",
              [&hub](const Request& req, Response& res) { AnswerFollower(hub, req, res, true); });
  server.Post("/api/hub/followers/reject",
              [&hub](const Request& req, Response& res) { AnswerFollower(hub, req, res, false); });
  server.Get("/api/hub/suggestions", bind(Suggestions));
  server.Delete(R"(/api/hub/suggestions/(\d{1,18}))", bind(DismissSuggestion));
}

}  // namespace charchive::api
