// `charchive hub`: this archive as a hub node (docs/federation.md "Hub
// federation"): status, settings, publishing cards, following the hub
// platform's actor and answering followers. Deliveries go out while
// `charchive serve` runs.
#pragma once

#include <CLI/CLI.hpp>

namespace charchive::cli {

void AddHubCommand(CLI::App& app, int& exit_code);

}  // namespace charchive::cli
