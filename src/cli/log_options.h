// The --log-level and --log-format options of the long-running commands
// (serve, push, pull, sync, source sync) and the one place that configures the
// operator log (util/log.h) from them. `serve` logs at info by default; the
// other commands are quiet unless asked (their own output is a progress bar,
// a summary and one line per failure), and so is every command without these
// options.
//
// Thread safety: parse and apply on the main thread, before other threads start.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "util/status.h"

namespace charchive::cli {

struct LogOptions {
  std::string level;
  std::string format = "text";
};

// Adds both options to `cmd`; `default_level` is what --log-level is without them.
void AddLogOptions(CLI::App* cmd, LogOptions& options, const std::string& default_level);

// Configures the log; a name it does not know is "bad_flag" (exit 2).
Status ApplyLogOptions(const LogOptions& options);

// Before any command runs: nothing is logged.
void QuietLog();

}  // namespace charchive::cli
