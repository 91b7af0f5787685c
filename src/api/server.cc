#include "api/server.h"

#include <filesystem>

#include "api/card_routes.h"
#include "api/errors.h"
#include "api/federation_routes.h"
#include "api/hub_routes.h"
#include "api/job_routes.h"
#include "api/source_routes.h"
#include "api/session_routes.h"
#include "api/json_response.h"
#include "api/request_log.h"

namespace charchive::api {
namespace {

constexpr char kNoUiPage[] =
    "<!doctype html><meta charset=utf-8><title>Character Archive</title>"
    "<h1>Character Archive</h1><p>The API is running (<a href=/api/health>/api/health</a>). "
    "The web UI has not been built into this installation.</p>";

// False (and the 411/413 written) for a chunked body or a declared length
// over the limit.
bool BodySizeAcceptable(const httplib::Request& req, httplib::Response& res, size_t max_bytes) {
  if (req.has_header("Transfer-Encoding")) {
    WriteError(res, 411, "chunked_body", "send the body with a Content-Length; chunked request bodies are not accepted");
    return false;
  }
  if (!req.has_header("Content-Length")) return true;
  const std::string length = req.get_header_value("Content-Length");
  bool digits = !length.empty() && length.size() <= 19 &&
                length.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoull(length) > max_bytes) {
    WriteError(res, 413, "body_too_large", "upload is larger than " + std::to_string(max_bytes >> 20) + " MiB");
    return false;
  }
  return true;
}

}  // namespace

ApiServer::ApiServer(ApiServices services, ServerOptions options)
    : services_(services), options_(std::move(options)), sessions_(options_.sessions_file),
      auth_(options_.token, sessions_),
      server_(std::chrono::milliseconds(options_.head_timeout_ms), options_.threads) {
  server_.set_payload_max_length(options_.max_upload_bytes);
  server_.set_read_timeout(30, 0);
  server_.set_write_timeout(30, 0);
  server_.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                               {"X-Frame-Options", "DENY"},
                               // Remote images in card text are shown only after the user agrees (the
                               // UI's sanitizer holds them back), so img-src allows them.
                               {"Content-Security-Policy",
                                "default-src 'self'; script-src 'self'; img-src 'self' data: blob: https: http:; object-src 'none'; "
                                "base-uri 'none'; frame-ancestors 'none'"},
                               {"Referrer-Policy", "no-referrer"}});
  InstallRequestLog(server_);
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    MarkRequestStart();
    // Checked before httplib reads the body: it would buffer a chunked body of
    // any size, and read (to discard) a declared length of any size.
    if (!BodySizeAcceptable(req, res, options_.max_upload_bytes) || !auth_.Admit(req, res)) {
      res.set_header("Connection", "close");  // the body, if any, stays unread
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Statuses httplib sets itself (404 no route, 413 too large, 400 bad
  // request line) get the same JSON error shape as ours.
  server_.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                         httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (res.status == 413) {
      WriteError(res, 413, "body_too_large",
                 "upload is larger than " + std::to_string(options_.max_upload_bytes >> 20) + " MiB");
    } else if (res.status == 404) {
      WriteError(res, 404, "no_route", "no route for " + req.method + " " + req.path);
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
  AddFederationRoutes(server_, services_.federation);
  AddJobRoutes(server_, services_.jobs, services_.events);
  AddHubRoutes(server_, services_.hub);
  AddSourceRoutes(server_, services_.sources, services_.source_scheduler);
  if (!options_.ui_dir.empty() && std::filesystem::exists(options_.ui_dir + "/index.html")) {
    server_.set_mount_point("/", options_.ui_dir);
  } else {
    server_.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(kNoUiPage, "text/html; charset=utf-8");
    });
  }
}

Result<int> ApiServer::Bind() {
  if (options_.port == 0) {
    int port = server_.bind_to_any_port(options_.host);
    if (port <= 0) return Status::IoError(api_error::kBindFailed, "cannot listen on " + options_.host);
    return port;
  }
  if (!server_.bind_to_port(options_.host, options_.port)) {
    return Status::IoError(api_error::kBindFailed, "cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                                              " (is another server running there?)");
  }
  return options_.port;
}

bool ApiServer::Run() { return server_.listen_after_bind(); }

void ApiServer::Stop() { server_.stop(); }

}  // namespace charchive::api
