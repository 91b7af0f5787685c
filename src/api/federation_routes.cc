#include "api/federation_routes.h"

#include "api/errors.h"
#include "api/federation_json.h"
#include "api/json_response.h"
#include "api/request_params.h"
#include "card/json_fields.h"

namespace charchive::api {
namespace {

using federation::FederationService;
using httplib::Request;
using httplib::Response;

constexpr char kPlatform[] = "([A-Za-z0-9_-]{1,40})";
constexpr char kCardId[] = R"((\d{1,18}))";

Result<std::optional<std::string>> OptionalString(const Json& body, const char* key) {
  if (!body.contains(key)) return std::optional<std::string>();
  if (!body[key].is_string()) return Status::Invalid(api_error::kBadField, std::string(key) + " must be a string");
  return std::optional<std::string>(body[key].get<std::string>());
}

Result<federation::PlatformSettings> ParseSettings(const Json& body) {
  static const std::set<std::string> kKnown = {"display_name", "base_url", "api_key", "auth_kind",
                                               "username",     "options",  "enabled"};
  for (const auto& [key, value] : body.items()) {
    if (!kKnown.count(key)) {
      return Status::Invalid(api_error::kBadField,
                             "unknown field '" + key +
                                 "' (known: base_url, api_key, enabled, auth_kind, username, options, "
                                 "display_name)");
    }
  }
  federation::PlatformSettings s;
  CHARCHIVE_ASSIGN_OR_RETURN(s.display_name, OptionalString(body, "display_name"));
  CHARCHIVE_ASSIGN_OR_RETURN(s.base_url, OptionalString(body, "base_url"));
  CHARCHIVE_ASSIGN_OR_RETURN(s.auth_kind, OptionalString(body, "auth_kind"));
  CHARCHIVE_ASSIGN_OR_RETURN(s.username, OptionalString(body, "username"));
  if (body.contains("api_key")) {
    if (body["api_key"].is_null()) {
      s.api_key = std::optional<std::string>();
    } else if (body["api_key"].is_string()) {
      s.api_key = std::optional<std::string>(body["api_key"].get<std::string>());
    } else {
      return Status::Invalid(api_error::kBadField, "api_key must be a string, or null to clear it");
    }
  }
  if (body.contains("options")) s.options = body["options"];
  if (body.contains("enabled")) {
    const Json& e = body["enabled"];
    if (e.is_boolean()) {
      s.enabled = e.get<bool>();
    } else if (e.is_number_integer() && (e.get<int64_t>() == 0 || e.get<int64_t>() == 1)) {
      s.enabled = e.get<int64_t>() == 1;
    } else {
      return Status::Invalid(api_error::kBadField, "enabled must be true, false, 0 or 1");
    }
  }
  return s;
}

Result<bool> OverwriteFlag(const Json& body) {
  if (!body.contains("overwrite")) return false;
  if (!body["overwrite"].is_boolean()) return Status::Invalid(api_error::kBadField, "overwrite must be true or false");
  return body["overwrite"].get<bool>();
}

void ListPlatforms(FederationService& f, const Request&, Response& res) {
  auto platforms = f.Platforms();
  if (!platforms.ok()) return WriteError(res, platforms.status());
  Json items = Json::array();
  for (const auto& p : *platforms) items.push_back(PlatformJson(p));
  WriteJson(res, 200, Json{{"platforms", std::move(items)}});
}

void UpdatePlatform(FederationService& f, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto settings = ParseSettings(*body);
  if (!settings.ok()) return WriteError(res, settings.status());
  auto platform = f.UpdatePlatform(req.matches[1].str(), *settings);
  if (!platform.ok()) return WriteError(res, platform.status());
  WriteJson(res, 200, Json{{"success", true}, {"platform", PlatformJson(*platform)}});
}

// The body is optional: settings as Save takes them, tested over the saved
// ones and not saved (the Federation modal's Test tests what is typed).
void TestPlatform(FederationService& f, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto settings = ParseSettings(*body);
  if (!settings.ok()) return WriteError(res, settings.status());
  auto test = f.TestSettings(req.matches[1].str(), *settings);
  if (!test.ok()) return WriteError(res, test.status());
  if (test->connected) return WriteJson(res, 200, Json{{"connected", true}, {"data", test->data}});
  WriteJson(res, 200, Json{{"connected", false}, {"error", test->error}, {"kind", test->kind}});
}

void CardSyncs(FederationService& f, const Request& req, Response& res) {
  CardId id = IdParam(req, 1);
  auto syncs = f.CardSyncs(id);
  if (!syncs.ok()) return WriteError(res, syncs.status());
  Json states = Json::array();
  for (const auto& s : *syncs) {
    auto rewrites = f.ImportRewrites(s);
    if (!rewrites.ok()) return WriteError(res, rewrites.status());
    Json state = SyncStateJson(s);
    state["import_rewrites"] = ImportRewritesJson(*rewrites, s.display_name);
    states.push_back(std::move(state));
  }
  WriteJson(res, 200, Json{{"cardId", id}, {"syncStates", std::move(states)}});
}

void PushCard(FederationService& f, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto overwrite = OverwriteFlag(*body);
  if (!overwrite.ok()) return WriteError(res, overwrite.status());
  auto fields = JsonFields::Of(*body, JsonOrigin::Request());
  auto publish_as_new = fields.ok() ? fields->BoolOr("publish_as_new", false) : fields.status();
  if (!publish_as_new.ok()) return WriteError(res, publish_as_new.status());
  std::string platform = req.matches[2].str();
  auto pushed = f.Push(IdParam(req, 1), platform, {.overwrite = *overwrite, .publish_as_new = *publish_as_new});
  if (!pushed.ok()) return WriteError(res, pushed.status());
  WriteJson(res, 200, PushResultJson(platform, *pushed));
}

void BulkPush(FederationService& f, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto ids = CardIds(*body);
  if (!ids.ok()) return WriteError(res, ids.status());
  auto overwrite = OverwriteFlag(*body);
  if (!overwrite.ok()) return WriteError(res, overwrite.status());
  federation::BulkPushOptions options;
  options.overwrite = *overwrite;
  if (body->contains("concurrency")) {
    const Json& c = (*body)["concurrency"];
    if (!c.is_number_integer() || c.get<int64_t>() < 1 || c.get<int64_t>() > 16) {
      return WriteError(res, 400, "concurrency must be a whole number from 1 to 16");
    }
    options.concurrency = static_cast<int>(c.get<int64_t>());
  }
  std::string platform = req.matches[1].str();
  auto report = f.BulkPush(platform, *ids, options);
  if (!report.ok()) return WriteError(res, report.status());
  Json results = Json::array();
  for (const auto& r : report->results) results.push_back(PushResultJson(platform, r));
  WriteJson(res, 200,
            Json{{"total", report->total},
                 {"succeeded", report->succeeded},
                 {"failed", report->failed},
                 {"results", std::move(results)}});
}

void PlatformCards(FederationService& f, const Request& req, Response& res) {
  std::optional<SyncState> status;
  if (req.has_param("status") && !req.get_param_value("status").empty()) {
    status = ParseSyncState(req.get_param_value("status"));
    if (!status) return WriteError(res, 400, "status must be pending, synced, conflict, error or remote_deleted");
  }
  std::string platform = req.matches[1].str();
  auto cards = f.PlatformCards(platform, status);
  if (!cards.ok()) return WriteError(res, cards.status());
  Json items = Json::array();
  for (const auto& c : *cards) items.push_back(PlatformCardJson(c));
  WriteJson(res, 200, Json{{"platform", platform}, {"count", items.size()}, {"cards", std::move(items)}});
}

void Unlink(FederationService& f, const Request& req, Response& res) {
  std::string platform = req.matches.size() > 2 ? req.matches[2].str() : "";
  auto removed = f.Unlink(IdParam(req, 1), platform);
  if (!removed.ok()) return WriteError(res, removed.status());
  WriteJson(res, 200, Json{{"success", true}, {"removed", *removed}});
}

void SyncStatus(FederationService& f, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto ids = CardIds(*body);
  if (!ids.ok()) return WriteError(res, ids.status());
  auto statuses = f.BulkStatus(*ids);
  if (!statuses.ok()) return WriteError(res, statuses.status());
  Json items = Json::array();
  for (const auto& s : *statuses) items.push_back(BulkSyncStatusJson(s));
  WriteJson(res, 200, Json{{"cards", std::move(items)}});
}

void Events(FederationService& f, const Request& req, Response& res) {
  EventFilter filter;
  if (req.has_param("card")) {
    auto card = IntParam(req, "card", 1, INT64_MAX);
    if (!card.ok()) return WriteError(res, card.status());
    filter.card_id = *card;
  }
  if (req.has_param("before")) {
    auto before = IntParam(req, "before", 1, INT64_MAX);
    if (!before.ok()) return WriteError(res, before.status());
    filter.before_id = *before;
  }
  if (req.has_param("limit")) {
    auto limit = IntParam(req, "limit", 1, 1000);
    if (!limit.ok()) return WriteError(res, limit.status());
    filter.limit = *limit;
  }
  if (req.has_param("platform")) filter.platform = req.get_param_value("platform");
  if (req.has_param("status")) filter.status = req.get_param_value("status");
  auto events = f.Events(filter);
  if (!events.ok()) return WriteError(res, events.status());
  Json items = Json::array();
  for (const auto& e : *events) items.push_back(EventJson(e));
  WriteJson(res, 200, Json{{"events", std::move(items)}});
}

Json SyncResultJson(const federation::SyncResult& r) {
  return Json{{"cardId", r.card_id}, {"action", federation::SyncActionName(r.action)}, {"platform_id", r.platform_id}};
}

void SyncCard(FederationService& f, const Request& req, Response& res, bool push) {
  auto synced = f.Sync(IdParam(req, 1), req.matches[2].str(), {.push_local_changes = push});
  if (!synced.ok()) return WriteError(res, synced.status());
  WriteJson(res, 200, SyncResultJson(*synced));
}
void Sync(FederationService& f, const Request& req, Response& res) { SyncCard(f, req, res, true); }
void Pull(FederationService& f, const Request& req, Response& res) { SyncCard(f, req, res, false); }

void PullPlatform(FederationService& f, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  std::string platform = req.matches[1].str();
  Json results = Json::array();
  auto add = [&](const federation::SyncResult& r) {
    Json item = SyncResultJson(r);
    item["success"] = r.status.ok();
    if (!r.status.ok()) item["error"] = r.status.message(), item["kind"] = r.status.kind();
    results.push_back(std::move(item));
  };
  auto fields = JsonFields::Of(*body, JsonOrigin::Request());
  auto pull_new = fields.ok() ? fields->BoolOr("new", false) : fields.status();
  auto pull_all = fields.ok() ? fields->BoolOr("all", false) : fields.status();
  if (!pull_new.ok()) return WriteError(res, pull_new.status());
  if (!pull_all.ok()) return WriteError(res, pull_all.status());
  if (body->contains("cardIds")) {
    auto ids = CardIds(*body);
    if (!ids.ok()) return WriteError(res, ids.status());
    for (CardId id : *ids) {
      auto r = f.Sync(id, platform, {.push_local_changes = false});
      add(r.ok() ? *r : federation::SyncResult{id, r.status()});
    }
  } else if (*pull_all) {
    auto all = f.SyncAll(platform, {.push_local_changes = false});
    if (!all.ok()) return WriteError(res, all.status());
    for (const auto& r : *all) add(r);
  } else if (!*pull_new) {
    return WriteError(res, 400, "say what to pull: {\"cardIds\": [...]}, {\"all\": true} or {\"new\": true}");
  }
  if (*pull_new) {
    auto imported = f.PullNew(platform);
    if (!imported.ok()) return WriteError(res, imported.status());
    for (const auto& r : *imported) add(r);
  }
  size_t failed = 0;
  for (const auto& r : results) failed += r["success"] == false;
  WriteJson(
      res, 200,
      Json{{"platform", platform}, {"total", results.size()}, {"failed", failed}, {"results", std::move(results)}});
}

void Diff(FederationService& f, const Request& req, Response& res) {
  CardId id = IdParam(req, 1);
  std::string platform = req.matches[2].str();
  auto diff = f.Diff(id, platform);
  if (!diff.ok()) return WriteError(res, diff.status());
  WriteJson(res, 200,
            Json{{"cardId", id},
                 {"platform", platform},
                 {"status", SyncStateName(diff->status)},
                 {"base", diff->base},
                 {"local", diff->local},
                 {"remote", diff->remote},
                 {"fields", diff->fields},
                 {"items", diff->items}});
}

void Resolve(FederationService& f, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  if (!body->contains("strategy") || !(*body)["strategy"].is_string()) {
    return WriteError(res, 400, "strategy required: \"local\", \"remote\" or \"merge\"");
  }
  federation::Resolution resolution{(*body)["strategy"].get<std::string>(),
                                    body->contains("fields") ? (*body)["fields"] : Json(nullptr),
                                    body->contains("items") ? (*body)["items"] : Json(nullptr)};
  auto resolved = f.Resolve(IdParam(req, 1), req.matches[2].str(), resolution);
  if (!resolved.ok()) return WriteError(res, resolved.status());
  WriteJson(res, 200, SyncResultJson(*resolved));
}

void SetVisibility(FederationService& f, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto fields = JsonFields::Of(*body, JsonOrigin::Request());
  auto visibility = fields.ok() ? fields->String("visibility") : fields.status();
  if (!visibility.ok()) return WriteError(res, visibility.status());
  CardId id = IdParam(req, 1);
  std::string platform = req.matches[2].str();
  Status set = f.SetRemoteVisibility(id, platform, *visibility);
  if (!set.ok()) return WriteError(res, set);
  WriteJson(res, 200, Json{{"cardId", id}, {"platform", platform}, {"visibility", *visibility}});
}

void RemoteStats(FederationService& f, const Request& req, Response& res) {
  CardId id = IdParam(req, 1);
  std::string platform = req.matches[2].str();
  auto stats = f.RemoteStats(id, platform);
  if (!stats.ok()) return WriteError(res, stats.status());
  WriteJson(res, 200,
            Json{{"cardId", id},
                 {"platform", platform},
                 {"slug", stats->platform_id},
                 {"visibility", stats->visibility},
                 {"downloads", stats->downloads},
                 {"favorites", stats->favorites}});
}

// Deleting the peer's copy cannot be undone: the body must say so.
void Unpublish(FederationService& f, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto fields = JsonFields::Of(*body, JsonOrigin::Request());
  auto confirm = fields.ok() ? fields->BoolOr("confirm", false) : fields.status();
  if (!confirm.ok()) return WriteError(res, confirm.status());
  if (!*confirm) {
    return WriteError(res, Status::Invalid(api_error::kBadField,
                                           "unpublishing deletes the card on the platform: send {\"confirm\": true}"));
  }
  CardId id = IdParam(req, 1);
  std::string platform = req.matches[2].str();
  Status removed = f.Unpublish(id, platform);
  if (!removed.ok()) return WriteError(res, removed);
  WriteJson(res, 200, Json{{"success", true}, {"cardId", id}, {"platform", platform}});
}

}  // namespace

void AddFederationRoutes(httplib::Server& server, FederationService& federation) {
  auto bind = [&federation](void (*handler)(FederationService&, const Request&, Response&)) {
    return [&federation, handler](const Request& req, Response& res) { handler(federation, req, res); };
  };
  const std::string base = "/api/federation";
  const std::string platform = kPlatform;
  const std::string card = base + "/cards/" + kCardId;
  server.Get(base + "/platforms", bind(ListPlatforms));
  server.Post(base + "/platforms/" + platform, bind(UpdatePlatform));
  server.Post(base + "/platforms/" + platform + "/test", bind(TestPlatform));
  server.Get(base + "/platforms/" + platform + "/cards", bind(PlatformCards));
  server.Get(card + "/sync", bind(CardSyncs));
  server.Post(card + "/push/" + platform, bind(PushCard));
  server.Delete(card + "/sync", bind(Unlink));
  server.Delete(card + "/sync/" + platform, bind(Unlink));
  server.Post(base + "/bulk-push/" + platform, bind(BulkPush));
  server.Post(base + "/sync-status", bind(SyncStatus));
  server.Get(base + "/events", bind(Events));
  server.Post(card + "/sync/" + platform, bind(Sync));
  server.Post(card + "/pull/" + platform, bind(Pull));
  server.Get(card + "/diff/" + platform, bind(Diff));
  server.Post(card + "/resolve/" + platform, bind(Resolve));
  server.Post(base + "/pull/" + platform, bind(PullPlatform));
  server.Put(card + "/visibility/" + platform, bind(SetVisibility));
  server.Post(card + "/unpublish/" + platform, bind(Unpublish));
  server.Get(card + "/remote/" + platform, bind(RemoteStats));
}

}  // namespace charchive::api
