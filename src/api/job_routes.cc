#include "api/job_routes.h"

#include "api/errors.h"
#include "api/json_response.h"
#include "api/request_params.h"

namespace charchive::api {
namespace {

using federation::JobRunner;
using httplib::Request;
using httplib::Response;

Result<federation::JobRequest> ParseJob(const Request& req) {
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, ObjectBody(req));
  federation::JobRequest r;
  if (!body.contains("kind") || !body["kind"].is_string()) {
    return Status::Invalid(api_error::kBadField, "kind required: push, pull or sync");
  }
  if (!body.contains("platform") || !body["platform"].is_string()) {
    return Status::Invalid(api_error::kBadField, "platform required");
  }
  auto kind = ParseJobKind(body["kind"].get<std::string>());
  if (!kind) return Status::Invalid(api_error::kBadField, "kind must be push, pull or sync");
  r.kind = *kind;
  r.platform = body["platform"].get<std::string>();
  if (body.contains("all")) {
    if (!body["all"].is_boolean()) return Status::Invalid(api_error::kBadField, "all must be true or false");
    r.all = body["all"].get<bool>();
  }
  if (body.contains("overwrite")) {
    if (!body["overwrite"].is_boolean())
      return Status::Invalid(api_error::kBadField, "overwrite must be true or false");
    r.overwrite = body["overwrite"].get<bool>();
  }
  if (body.contains("cardIds")) {
    if (!body["cardIds"].is_array())
      return Status::Invalid(api_error::kBadField, "cardIds must be an array of card ids");
    for (const Json& id : body["cardIds"]) {
      if (!id.is_number_integer() || id.get<int64_t>() <= 0) {
        return Status::Invalid(api_error::kBadField, "cardIds must hold positive card ids");
      }
      r.card_ids.push_back(id.get<int64_t>());
    }
  }
  return r;
}

Json WithFailures(JobRunner& jobs, const JobRecord& job) {
  Json out = federation::JobJson(job);
  Json failures = Json::array();
  auto failed = jobs.Failures(job.id, 1000);
  if (failed.ok()) {
    for (const auto& item : *failed) failures.push_back({{"cardId", item.card_id}, {"error", item.message}});
  }
  out["failures"] = std::move(failures);
  return out;
}

}  // namespace

void AddJobRoutes(GuardedServer& server, JobRunner& jobs, federation::EventBus& events) {
  const std::string base = "/api/federation/jobs";
  server.Post(base, [&jobs](const Request& req, Response& res) {
    auto request = ParseJob(req);
    if (!request.ok()) return WriteError(res, request.status());
    auto job = jobs.Submit(*request);
    if (!job.ok()) return WriteError(res, job.status());
    WriteJson(res, 202, Json{{"job", federation::JobJson(*job)}});
  });
  server.Get(base, [&jobs](const Request&, Response& res) {
    auto list = jobs.List(100);
    if (!list.ok()) return WriteError(res, list.status());
    Json items = Json::array();
    for (const auto& j : *list) items.push_back(federation::JobJson(j));
    WriteJson(res, 200, Json{{"jobs", std::move(items)}});
  });
  server.Get(base + R"(/(\d{1,18}))", [&jobs](const Request& req, Response& res) {
    auto job = jobs.Get(IdParam(req));
    if (!job.ok()) return WriteError(res, job.status());
    WriteJson(res, 200, Json{{"job", WithFailures(jobs, *job)}});
  });
  server.Post(base + R"(/(\d{1,18})/cancel)", [&jobs](const Request& req, Response& res) {
    auto job = jobs.Cancel(IdParam(req));
    if (!job.ok()) return WriteError(res, job.status());
    WriteJson(res, 200, Json{{"job", federation::JobJson(*job)}});
  });
  // Server-Sent Events: one `data:` line of JSON per event, a comment every
  // 15 s to keep proxies from closing an idle stream.
  server.Get("/api/federation/events/stream", [&events, &server](const Request&, Response& res) {
    int subscriber = events.Subscribe();
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Accel-Buffering", "no");
    auto idle = std::make_shared<int>(0);
    res.set_chunked_content_provider(
        "text/event-stream",
        [&events, &server, subscriber, idle](size_t offset, httplib::DataSink& sink) {
          if (offset == 0) {
            std::string hello = "retry: 3000\n\n";
            if (!sink.write(hello.data(), hello.size())) return false;
          }
          while (server.serving() && sink.is_writable()) {
            auto event = events.Next(subscriber, std::chrono::seconds(1));
            if (event) {
              std::string line = "data: " + event->dump(-1, ' ', false, Json::error_handler_t::replace) + "\n\n";
              *idle = 0;
              return sink.write(line.data(), line.size());
            }
            if (++*idle >= 15) {
              *idle = 0;
              std::string ping = ": keep-alive\n\n";
              return sink.write(ping.data(), ping.size());
            }
          }
          return false;
        },
        [&events, subscriber](bool) { events.Unsubscribe(subscriber); });
  });
}

}  // namespace charchive::api
