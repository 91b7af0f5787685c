// ApiTestServer: the whole `charchive serve` stack for API tests, on a free
// loopback port: a temporary data dir, the archive, the federation service,
// the job runner (started when asked), the folder watcher (no folders until a
// test sets some) and the HTTP server on its own thread.
// Header-only; for the api module's tests.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "api/server.h"
#include "testing/test_cards.h"

namespace charchive::testing {

class ApiTestServer {
 public:
  // `ui_dir`: a built web UI to serve at / (none: the short page).
  explicit ApiTestServer(const std::string& token, bool start_jobs = false, size_t max_upload_bytes = 256u << 20,
                         const std::string& ui_dir = "")
      : token_(token) {
    archive_ = std::move(Archive::Open(dir_.path().string())).value();
    federation_ = std::move(federation::FederationService::Open(*archive_)).value();
    jobs_ = std::make_unique<federation::JobRunner>(*archive_, *federation_, events_);
    hub_ = std::make_unique<federation::HubNode>(*archive_, *federation_);
    sources_ = std::move(sources::SourceSync::Open(*archive_)).value();
    source_scheduler_ = std::make_unique<sources::SourceScheduler>(*sources_, &events_);
    watch_ = std::make_unique<watch::FolderWatcher>(
        *archive_, Clock::Real(), watch::WatchOptions{.on_event = [this](const Json& e) { events_.Publish(e); }});
    (void)watch_->Start();  // no folders yet: starts the threads only
    if (start_jobs) jobs_->Start();
    api::ServerOptions options;
    options.port = 0;
    options.token = token;
    options.max_upload_bytes = max_upload_bytes;
    options.ui_dir = ui_dir;
    server_ = std::make_unique<api::ApiServer>(
        api::ApiServices{*archive_, *federation_, *jobs_, events_, *hub_, *sources_, *source_scheduler_, *watch_},
        options);
    port_ = *server_->Bind();
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~ApiTestServer() {
    server_->Stop();
    thread_.join();
    jobs_->Stop();
  }

  int port() const { return port_; }
  // A loopback client of this server that sends the token as its bearer.
  std::unique_ptr<httplib::Client> Client() const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client->set_default_headers({{"Authorization", "Bearer " + token_}});
    return client;
  }
  Archive& archive() { return *archive_; }
  federation::FederationService& federation() { return *federation_; }
  federation::HubNode& hub() { return *hub_; }
  federation::EventBus& events() { return events_; }
  sources::SourceScheduler& source_scheduler() { return *source_scheduler_; }

 private:
  std::string token_;
  TempDir dir_;
  std::unique_ptr<Archive> archive_;
  std::unique_ptr<federation::FederationService> federation_;
  federation::EventBus events_;
  std::unique_ptr<federation::JobRunner> jobs_;
  std::unique_ptr<federation::HubNode> hub_;
  std::unique_ptr<sources::SourceSync> sources_;
  std::unique_ptr<sources::SourceScheduler> source_scheduler_;
  std::unique_ptr<watch::FolderWatcher> watch_;
  std::unique_ptr<api::ApiServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace charchive::testing
