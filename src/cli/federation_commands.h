// The federation subcommands, on the same FederationService as the API:
//   push     --platform P (--card ID... | --all) [--overwrite] [--publish-as-new] [--concurrency N]
//   pull     --platform P (--card ID... | --all | --new)   (never pushes)
//   sync     --platform P (--card ID... | --all)           (three-way: push, pull or conflict)
//   history  [--card ID] [--platform P] [--status S] [--limit N]
//   status   [--platform P]
//   platform list | set P [--base-url U] [--enable|--disable] [--auth K]
//                         [--user U] [--api-key-stdin] [--cforge on|off]
//            | test P
//   visibility --platform P --card ID VISIBILITY
//   unpublish  --platform P --card ID --yes        (deletes the peer's copy)
// All take --data DIR. Exit code 3 when a peer failed.
#pragma once

#include <CLI/CLI.hpp>

namespace charchive::cli {

void AddPushCommand(CLI::App& app, int& exit_code);
void AddStatusCommand(CLI::App& app, int& exit_code);
void AddPullCommand(CLI::App& app, int& exit_code);
void AddSyncCommand(CLI::App& app, int& exit_code);
void AddHistoryCommand(CLI::App& app, int& exit_code);
void AddPlatformCommand(CLI::App& app, int& exit_code);
void AddRemoteCardCommands(CLI::App& app, int& exit_code);

}  // namespace charchive::cli
