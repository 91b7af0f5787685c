// The archive subcommands: import (bulk, parallel, with a progress bar) and
// doctor (integrity and file consistency). Both take --data DIR.
#pragma once

#include <CLI/CLI.hpp>

namespace charchive::cli {

void AddImportCommand(CLI::App& app, int& exit_code);
void AddDoctorCommand(CLI::App& app, int& exit_code);

}  // namespace charchive::cli
