#include "api/source_routes.h"

#include <charconv>

#include "api/errors.h"
#include "api/json_response.h"
#include "api/request_params.h"

namespace charchive::api {
namespace {

using httplib::Request;
using httplib::Response;
using sources::SourceSync;

constexpr char kSource[] = R"(/api/sources/([a-z]{1,16}))";

std::string SourceParam(const Request& req) { return req.matches[1].str(); }

Result<int64_t> LimitParam(const Request& req) {
  if (!req.has_param("limit")) return int64_t{20};
  const std::string text = req.get_param_value("limit");
  int64_t limit = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > 500) {
    return Status::Invalid(api_error::kBadField, "limit must be a number from 1 to 500");
  }
  return limit;
}

Result<Json> SourceView(SourceSync& sync, const SourceRecord& record) {
  Json out = sources::SourceJson(record);
  CHARCHIVE_ASSIGN_OR_RETURN(auto runs, sync.Runs(record.source, 1));
  out["last_run"] = runs.empty() ? Json(nullptr) : sources::RunJson(runs.front());
  return out;
}

void ListSources(SourceSync& sync, const Request&, Response& res) {
  auto records = sync.Sources();
  if (!records.ok()) return WriteError(res, records.status());
  Json list = Json::array();
  for (const auto& r : *records) {
    auto view = SourceView(sync, r);
    if (!view.ok()) return WriteError(res, view.status());
    list.push_back(*view);
  }
  WriteJson(res, 200, Json{{"sources", list}});
}

void GetSource(SourceSync& sync, const Request& req, Response& res) {
  auto record = sync.Source(SourceParam(req));
  if (!record.ok()) return WriteError(res, record.status());
  auto view = SourceView(sync, *record);
  if (!view.ok()) return WriteError(res, view.status());
  WriteJson(res, 200, *view);
}

void PutSource(SourceSync& sync, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto change = sources::ParseSourceChange(*body);
  if (!change.ok()) return WriteError(res, change.status());
  auto updated = sync.Update(SourceParam(req), *change);
  if (!updated.ok()) return WriteError(res, updated.status());
  WriteJson(res, 200, Json{{"success", true}, {"source", sources::SourceJson(*updated)}});
}

void StartSync(SourceSync& sync, sources::SourceScheduler& scheduler, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  bool full = false;
  if (body->contains("full")) {
    if (!(*body)["full"].is_boolean())
      return WriteError(res, Status::Invalid(api_error::kBadField, "full must be true or false"));
    full = (*body)["full"].get<bool>();
  }
  auto run = sync.Queue(SourceParam(req), full, "api");
  if (!run.ok()) return WriteError(res, run.status());
  scheduler.Wake();
  WriteJson(res, 202, Json{{"run", sources::RunJson(*run)}});
}

void ListRuns(SourceSync& sync, const Request& req, Response& res) {
  auto limit = LimitParam(req);
  if (!limit.ok()) return WriteError(res, limit.status());
  auto runs = sync.Runs(SourceParam(req), *limit);
  if (!runs.ok()) return WriteError(res, runs.status());
  Json list = Json::array();
  for (const auto& r : *runs) list.push_back(sources::RunJson(r));
  WriteJson(res, 200, Json{{"runs", list}});
}

// A run of the source named in the path, or 404.
Result<SourceRun> RunOf(SourceSync& sync, const Request& req) {
  CHARCHIVE_ASSIGN_OR_RETURN(SourceRun run, sync.Run(IdParam(req, 2)));
  if (run.source != SourceParam(req)) {
    return Status::NotFound(api_error::kRunNotFound, "no run " + std::to_string(run.id) + " of " + SourceParam(req));
  }
  return run;
}

void GetRun(SourceSync& sync, const Request& req, Response& res) {
  auto run = RunOf(sync, req);
  if (!run.ok()) return WriteError(res, run.status());
  WriteJson(res, 200, sources::RunJson(*run));
}

void CancelRun(SourceSync& sync, const Request& req, Response& res) {
  auto run = RunOf(sync, req);
  if (!run.ok()) return WriteError(res, run.status());
  auto cancelled = sync.Cancel(run->id);
  if (!cancelled.ok()) return WriteError(res, cancelled.status());
  WriteJson(res, 200, sources::RunJson(*cancelled));
}

void ListBlocked(SourceSync& sync, const Request& req, Response& res) {
  auto blocks = sync.Blocked(SourceParam(req));
  if (!blocks.ok()) return WriteError(res, blocks.status());
  Json list = Json::array();
  for (const auto& b : *blocks) {
    list.push_back(Json{
        {"source", b.source}, {"source_id", b.source_id}, {"card_name", b.card_name}, {"blocked_at", b.blocked_at}});
  }
  WriteJson(res, 200, Json{{"blocked", list}});
}

void Unblock(SourceSync& sync, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  if (!body->contains("source_id") || !(*body)["source_id"].is_string()) {
    return WriteError(res,
                      Status::Invalid(api_error::kBadField, "source_id (the card's id on the source) is required"));
  }
  Status st = sync.Unblock(SourceParam(req), (*body)["source_id"].get<std::string>());
  if (!st.ok()) return WriteError(res, st);
  WriteJson(res, 200, Json{{"success", true}});
}

Json StateJson(const SourceCardState& s) {
  return Json{{"source", s.source},
              {"source_id", s.source_id},
              {"card_id", s.card_id},
              {"status", s.status},
              {"remote_updated_at", s.remote_updated_at},
              {"token_count", s.token_count},
              {"content_hash", s.content_hash},
              {"local_hash", s.local_hash},
              {"message", s.message},
              {"synced_at", s.synced_at},
              {"pending", s.pending_json ? Json::parse(*s.pending_json, nullptr, false) : Json(nullptr)}};
}

void CardState(SourceSync& sync, const Request& req, Response& res) {
  auto state = sync.CardState(IdParam(req));
  if (!state.ok()) return WriteError(res, state.status());
  if (!*state) return WriteError(res, Status::NotFound(api_error::kNotFromSource, "the card came from no source"));
  WriteJson(res, 200, StateJson(**state));
}

void Resolve(SourceSync& sync, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  if (!body->contains("keep") || !(*body)["keep"].is_string()) {
    return WriteError(res, Status::Invalid(api_error::kBadField, "keep (local or source) is required"));
  }
  auto state = sync.Resolve(IdParam(req), (*body)["keep"].get<std::string>());
  if (!state.ok()) return WriteError(res, state.status());
  WriteJson(res, 200, StateJson(*state));
}

}  // namespace

void AddSourceRoutes(httplib::Server& server, SourceSync& sync, sources::SourceScheduler& scheduler) {
  auto bind = [&sync](void (*handler)(SourceSync&, const Request&, Response&)) {
    return [&sync, handler](const Request& req, Response& res) { handler(sync, req, res); };
  };
  const std::string source = kSource;
  server.Get("/api/sources", bind(ListSources));
  server.Get(R"(/api/sources/cards/(\d{1,18}))", bind(CardState));
  server.Post(R"(/api/sources/cards/(\d{1,18})/resolve)", bind(Resolve));
  server.Get(source, bind(GetSource));
  server.Put(source, bind(PutSource));
  server.Post(source + "/sync",
              [&sync, &scheduler](const Request& req, Response& res) { StartSync(sync, scheduler, req, res); });
  server.Get(source + "/runs", bind(ListRuns));
  server.Get(source + R"(/runs/(\d{1,18}))", bind(GetRun));
  server.Post(source + R"(/runs/(\d{1,18})/cancel)", bind(CancelRun));
  server.Get(source + "/blocked", bind(ListBlocked));
  server.Post(source + "/unblock", bind(Unblock));
}

}  // namespace charchive::api
