// `charchive serve`: the HTTP API (and web UI) over the archive in --data.
#pragma once

#include <CLI/CLI.hpp>

namespace charchive::cli {

void AddServeCommand(CLI::App& app, int& exit_code);

}  // namespace charchive::cli
