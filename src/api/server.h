// ApiServer: `charchive serve`'s HTTP server. It wires the auth filter, the
// routes and the error shapes onto cpp-httplib, serves the web UI's build
// output at / when present (api/static_assets.h), and stops gracefully (in-flight requests finish).
//
// Thread safety: Bind/Run on one thread, Stop from any; each connection is
// served on a thread of its own (api/guarded_server.h).
#pragma once

#include <httplib.h>

#include <memory>
#include <optional>
#include <string>

#include "api/auth_filter.h"
#include "api/body_limits.h"
#include "api/guarded_server.h"
#include "api/session_store.h"
#include "api/static_assets.h"
#include "federation/event_bus.h"
#include "federation/federation_service.h"
#include "federation/hub_node.h"
#include "federation/job_runner.h"
#include "sources/source_scheduler.h"
#include "sources/source_sync.h"
#include "store/archive.h"
#include "watch/folder_watcher.h"

namespace charchive::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 6969;  // 0: any free port
  std::string token;
  std::string ui_dir;                    // built web UI; empty or missing: a short page instead
  std::string sessions_file;             // the UI's login sessions; empty: kept in memory only
  size_t max_upload_bytes = 256u << 20;  // bodies of /api routes other than the login
  ConnectionLimits connections;          // deadlines, head size, keep-alive (api/guarded_server.h)
};

// The services the routes call; they outlive the server.
struct ApiServices {
  Archive& archive;
  federation::FederationService& federation;
  federation::JobRunner& jobs;
  federation::EventBus& events;
  federation::HubNode& hub;
  sources::SourceSync& sources;
  sources::SourceScheduler& source_scheduler;
  watch::FolderWatcher& watch;
};

class ApiServer {
 public:
  ApiServer(ApiServices services, ServerOptions options);

  // Binds; returns the bound port. Fails with "bind_failed".
  Result<int> Bind();
  // Serves until Stop(); returns false if the server failed.
  bool Run();
  void Stop();

 private:
  ApiServices services_;
  ServerOptions options_;
  SessionStore sessions_;
  AuthFilter auth_;
  std::optional<StaticAssets> ui_;  // the web UI, if ui_dir holds one
  GuardedServer server_;
};

}  // namespace charchive::api
