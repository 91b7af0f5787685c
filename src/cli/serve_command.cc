#include "cli/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

#include "api/server.h"
#include "api/token_store.h"
#include "cli/exit_codes.h"
#include "cli/log_options.h"
#include "store/archive.h"
#include "util/executable_path.h"
#include "util/file_io.h"
#include "util/log.h"
#include "watch/folder_watcher.h"

namespace charchive::cli {
namespace {

// The built UI beside the binary: PREFIX/share/charchive/ui when installed
// (PREFIX/bin/charchive), BUILD/share/charchive/ui in a build tree (a link
// CMake makes to ui/dist).
std::string DefaultUiDir() {
  std::filesystem::path exe_dir = ExecutableDir();
  for (const auto& candidate : {exe_dir.parent_path() / "share/charchive/ui", exe_dir / "share/charchive/ui"}) {
    std::error_code ec;
    if (std::filesystem::is_directory(candidate, ec)) return candidate.string();
  }
  return (exe_dir / "share/charchive/ui").string();
}

// The token given by --token-file (its first line) or CHARCHIVE_TOKEN; ""
// when neither is set.
Result<std::string> GivenToken(const std::string& token_file) {
  std::string token;
  if (!token_file.empty()) {
    CHARCHIVE_ASSIGN_OR_RETURN(std::string text, ReadFile(token_file, 4096));
    token = text.substr(0, text.find_first_of("\r\n"));
    if (token.empty()) return Status::Invalid("empty_token", "the token file's first line is empty");
  } else if (const char* env = std::getenv("CHARCHIVE_TOKEN")) {
    token = env;
  }
  return token;
}

}  // namespace

void AddServeCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string data = "./data";
    std::string host = "127.0.0.1";
    int port = 6969;
    std::string token_file;
    std::string token_in_argv;
    std::string ui_dir;
    std::string public_url;
    bool allow_private_peers = false;
    LogOptions log;
    std::string port_file;
    std::vector<std::string> watch;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("serve", "Serve the HTTP API and web UI");
  cmd->add_option("--data", opts->data, "Data directory (default ./data)");
  cmd->add_option("--host", opts->host, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", opts->port, "Port (default 6969; 0 picks a free one)");
  cmd->add_option("--token-file", opts->token_file,
                  "File holding the API token (or set CHARCHIVE_TOKEN; default: created once and kept in "
                  "DATA/api-token)");
  // A token on the command line is visible to every user of the machine (ps).
  cmd->add_option("--token", opts->token_in_argv)->group("");
  cmd->add_option("--port-file", opts->port_file,
                  "Once listening, write the bound port to this file (atomically; with --port 0, how a script "
                  "learns the port)");
  cmd->add_option("--public-url", opts->public_url,
                  "Where other archives reach this one (http(s)://host[:port]); enables hub federation");
  cmd->add_flag("--allow-private-peers", opts->allow_private_peers,
                "Let peers' actor, key and inbox URLs point to loopback or LAN addresses (default: only the hub "
                "platform's own base URL may)");
  cmd->add_option("--watch", opts->watch,
                  "Import the cards that arrive in this folder (recursively) while serving; repeatable (see "
                  "docs/watch.md)");
  cmd->add_option("--ui", opts->ui_dir, "Folder of the built web UI (default: share/charchive/ui beside the binary)");
  AddLogOptions(cmd, opts->log, "info");
  cmd->callback([opts, &exit_code] {
    if (Status configured = ApplyLogOptions(opts->log); !configured.ok()) {
      exit_code = ReportError(configured);
      return;
    }
    // SIGINT/SIGTERM are taken by one thread (sigwait) that stops the server;
    // block them here, before any other thread exists.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto archive = Archive::Open(opts->data);
    if (!archive.ok()) {
      exit_code = ReportError(archive.status(), opts->data);
      return;
    }
    api::ServerOptions options;
    options.host = opts->host;
    options.port = opts->port;
    options.sessions_file = (*archive)->data_dir() + "/sessions";
    options.ui_dir = opts->ui_dir.empty() ? DefaultUiDir() : opts->ui_dir;
    if (!opts->token_in_argv.empty()) {
      exit_code = ReportError(Status::Invalid("token_in_argv",
                                              "--token would show the API token to every user of this machine (ps); "
                                              "use --token-file FILE or the CHARCHIVE_TOKEN environment variable"),
                              "--token");
      return;
    }
    auto token = GivenToken(opts->token_file);
    if (!token.ok()) {
      exit_code = ReportError(token.status(), opts->token_file.empty() ? "CHARCHIVE_TOKEN" : opts->token_file);
      return;
    }
    if (token->empty()) {
      auto stored = api::LoadOrCreateToken((*archive)->data_dir());
      if (!stored.ok()) {
        exit_code = ReportError(stored.status(), opts->data);
        return;
      }
      options.token = stored->value;
      if (stored->created) {
        std::printf("API token (shown once; kept in %s/api-token): %s\n", opts->data.c_str(), stored->value.c_str());
      }
    } else {
      options.token = *token;
    }
    auto federation = federation::FederationService::Open(**archive);
    if (!federation.ok()) {
      exit_code = ReportError(federation.status(), opts->data);
      return;
    }
    federation::EventBus events;
    federation::JobRunner jobs(**archive, **federation, events);
    jobs.Start();
    federation::HubNode hub(**archive, **federation, {.allow_private_peers = opts->allow_private_peers});
    if (!opts->public_url.empty()) {
      auto settings = hub.UpdateSettings({.enabled = true, .public_url = opts->public_url});
      if (!settings.ok()) {
        exit_code = ReportError(settings.status(), "--public-url");
        return;
      }
    }
    hub.Start();
    auto source_sync = sources::SourceSync::Open(**archive);
    if (!source_sync.ok()) {
      exit_code = ReportError(source_sync.status(), opts->data);
      return;
    }
    sources::SourceScheduler source_scheduler(**source_sync, &events);
    source_scheduler.Start();
    watch::WatchOptions watch_options{.on_event = [&events](const Json& event) { events.Publish(event); }};
    for (const auto& folder : opts->watch) {
      watch_options.command_line_folders.push_back(std::filesystem::absolute(folder).lexically_normal().string());
    }
    watch::FolderWatcher watcher(**archive, Clock::Real(), std::move(watch_options));
    if (Status watching = watcher.Start(); !watching.ok()) {
      exit_code = ReportError(watching, "--watch");
      return;
    }
    api::ApiServer server(
        api::ApiServices{**archive, **federation, jobs, events, hub, **source_sync, source_scheduler, watcher},
        options);
    auto port = server.Bind();
    if (!port.ok()) {
      exit_code = ReportError(port.status());
      return;
    }
    if (!opts->port_file.empty()) {
      Status written = WriteFileAtomic(opts->port_file, std::to_string(*port) + "\n");
      if (!written.ok()) {
        exit_code = ReportError(written, opts->port_file);
        return;
      }
    }
    std::printf("charchive serving http://%s:%d with data in %s\n", opts->host.c_str(), *port, opts->data.c_str());
    std::fflush(stdout);
    log::Info("server_started", {{"address", opts->host + ":" + std::to_string(*port)},
                                 {"data_dir", (*archive)->data_dir()},
                                 {"version", CHARCHIVE_VERSION},
                                 {"public_url", opts->public_url.empty() ? "-" : opts->public_url},
                                 {"ui_dir", options.ui_dir}});
    std::thread stopper([&server, signals] {
      int received = 0;
      sigwait(&signals, &received);
      log::Info("server_stopping", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
      server.Stop();
    });
    bool ok = server.Run();
    // Wake the stopper if the server ended on its own.
    if (stopper.joinable()) {
      pthread_kill(stopper.native_handle(), SIGTERM);
      stopper.join();
    }
    jobs.Stop();              // an unfinished job resumes at the next start
    hub.Stop();               // queued deliveries go out at the next start
    source_scheduler.Stop();  // a run in flight ends `cancelled`; the next one starts over incrementally
    watcher.Stop();           // files not yet read are found by the next start's scan
    log::Write(ok ? log::Level::kInfo : log::Level::kError, "server_stopped", {{"clean", ok}});
    if (!ok) exit_code = kExitIo;
  });
}

}  // namespace charchive::cli
