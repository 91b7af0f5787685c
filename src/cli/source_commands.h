// `charchive source`: the public card hubs the archive pulls from
// (docs/sources.md): list and set their settings, sync one now with progress
// and a report (exit 3 when it cannot be reached, 130 when interrupted),
// show its runs, the block list of deleted cards, unblock, and resolve a card
// in conflict with its source. The same SourceSync the API calls.
#pragma once

#include <CLI/CLI.hpp>

namespace charchive::cli {

void AddSourceCommand(CLI::App& app, int& exit_code);

}  // namespace charchive::cli
