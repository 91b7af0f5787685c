#include "api/server.h"

#include "api/card_routes.h"
#include "api/duplicate_routes.h"
#include "api/errors.h"
#include "api/federation_routes.h"
#include "api/hub_routes.h"
#include "api/job_routes.h"
#include "api/json_response.h"
#include "api/request_log.h"
#include "api/session_routes.h"
#include "api/source_routes.h"
#include "api/static_assets.h"
#include "api/stats_routes.h"
#include "api/tag_routes.h"
#include "api/trash_routes.h"
#include "api/watch_routes.h"
#include "util/log.h"

namespace charchive::api {
namespace {

constexpr char kNoUiPage[] =
    "<!doctype html><meta charset=utf-8><title>Character Archive</title>"
    "<h1>Character Archive</h1><p>The API is running (<a href=/api/health>/api/health</a>). "
    "The web UI has not been built into this installation.</p>";

// On every response, errors and static files included.
httplib::Headers SecurityHeaders() {
  return {{"X-Content-Type-Options", "nosniff"},
          {"X-Frame-Options", "DENY"},
          // Remote images in card text are shown only after the user agrees (the
          // UI's sanitizer holds them back), so img-src allows them.
          {"Content-Security-Policy",
           "default-src 'self'; script-src 'self'; img-src 'self' data: blob: https: http:; object-src 'none'; "
           "base-uri 'none'; frame-ancestors 'none'"},
          {"Referrer-Policy", "no-referrer"}};
}

}  // namespace

ApiServer::ApiServer(ApiServices services, ServerOptions options)
    : services_(services),
      options_(std::move(options)),
      sessions_(options_.sessions_file),
      auth_(options_.token, sessions_),
      server_(options_.connections, SecurityHeaders()) {
  server_.set_payload_max_length(options_.max_upload_bytes);
  InstallRequestLog(server_);
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    MarkRequestStart();
    // Checked before httplib reads the body: it would buffer a chunked body of
    // any size, and read (to discard) a declared length of any size.
    if (!BodySizeAcceptable(BodyLimits{.api_bytes = options_.max_upload_bytes}, req, res) || !auth_.Admit(req, res)) {
      res.set_header("Connection", "close");  // the body, if any, stays unread
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Statuses httplib sets itself (404 no route, 413 too large, 400 bad
  // request line) get the same JSON error shape as ours.
  server_.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (GuardedServer::RequestTimedOut()) {
          WriteError(res, 408, api_error::kRequestTimeout,
                     "the request did not arrive within its deadline (" +
                         std::to_string(options_.connections.request_deadline.count()) + " ms, plus 1 s per " +
                         std::to_string(options_.connections.min_bytes_per_second >> 10) + " KiB)");
        } else if (res.status == 413) {
          WriteError(res, 413, api_error::kBodyTooLarge,
                     "upload is larger than " + std::to_string(options_.max_upload_bytes >> 20) + " MiB");
        } else if (res.status == 404) {
          WriteError(res, 404, api_error::kNoRoute, "no route for " + req.method + " " + req.path);
        } else {
          WriteError(res, res.status, "request failed (HTTP " + std::to_string(res.status) + ")");
        }
        return httplib::Server::HandlerResponse::Handled;
      }));

  server_.Get("/api/health", [](const httplib::Request&, httplib::Response& res) {
    WriteJson(res, 200, Json{{"status", "ok"}, {"version", CHARCHIVE_VERSION}});
  });
  AddSessionRoutes(server_, auth_, sessions_);
  AddCardRoutes(server_, services_.archive);
  AddTagRoutes(server_, services_.archive);
  AddStatsRoutes(server_, services_.archive);
  AddDuplicateRoutes(server_, services_.archive);
  AddTrashRoutes(server_, services_.archive);
  AddFederationRoutes(server_, services_.federation);
  AddJobRoutes(server_, services_.jobs, services_.events);
  AddHubRoutes(server_, services_.hub);
  AddSourceRoutes(server_, services_.sources, services_.source_scheduler);
  AddWatchRoutes(server_, services_.watch);
  if (Result<StaticAssets> ui = StaticAssets::Load(options_.ui_dir); ui.ok()) {
    ui_ = std::move(ui).value();
    log::Info("ui_loaded", {{"dir", options_.ui_dir}, {"files", static_cast<int64_t>(ui_->file_count())}});
    // Registered last: only a path no route took reaches it.
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      if (!ui_->Serve(req, res)) res.status = 404;  // the error handler says so
    });
  } else {
    if (!options_.ui_dir.empty()) {
      log::Warn("ui_not_loaded", {{"dir", options_.ui_dir}, {"reason", ui.status().message()}});
    }
    server_.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(kNoUiPage, "text/html; charset=utf-8");
    });
  }
}

Result<int> ApiServer::Bind() { return server_.Bind(options_.host, options_.port); }

bool ApiServer::Run() { return server_.Serve(); }

void ApiServer::Stop() { server_.Stop(); }

}  // namespace charchive::api
