// The card tool subcommands: info, validate, convert, hash. They read a card
// file of any format and print or write; nothing here touches the archive.
#pragma once

#include <CLI/CLI.hpp>

namespace charchive::cli {

void AddInfoCommand(CLI::App& app, int& exit_code);
void AddValidateCommand(CLI::App& app, int& exit_code);
void AddConvertCommand(CLI::App& app, int& exit_code);
void AddHashCommand(CLI::App& app, int& exit_code);

}  // namespace charchive::cli
