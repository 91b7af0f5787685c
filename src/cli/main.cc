// charchive: the Character Archive server and command-line tools.
#include <malloc.h>

#include <CLI/CLI.hpp>

#include "cli/archive_commands.h"
#include "cli/card_commands.h"
#include "cli/exit_codes.h"
#include "cli/federation_commands.h"
#include "cli/hub_commands.h"
#include "cli/log_options.h"
#include "cli/serve_command.h"
#include "cli/source_commands.h"

int main(int argc, char** argv) {
  // Card images are hundreds of kilobytes. With glibc's defaults each one is a
  // fresh mmap, or lands in an arena that is trimmed again on free, and the page
  // faults cost more than the work (bench/push_bench.sh: a bulk push went from
  // ~390 to ~640 cards/s). Keep freed memory for reuse instead.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  charchive::cli::QuietLog();  // until a command with --log-level says otherwise
  CLI::App app{"Character Archive: keep, search, edit and sync AI-roleplay character cards"};
  app.set_version_flag("--version", std::string("charchive ") + CHARCHIVE_VERSION);
  app.require_subcommand(1);
  int exit_code = charchive::cli::kExitOk;
  charchive::cli::AddInfoCommand(app, exit_code);
  charchive::cli::AddValidateCommand(app, exit_code);
  charchive::cli::AddConvertCommand(app, exit_code);
  charchive::cli::AddHashCommand(app, exit_code);
  charchive::cli::AddImportCommand(app, exit_code);
  charchive::cli::AddDoctorCommand(app, exit_code);
  charchive::cli::AddServeCommand(app, exit_code);
  charchive::cli::AddPushCommand(app, exit_code);
  charchive::cli::AddPullCommand(app, exit_code);
  charchive::cli::AddSyncCommand(app, exit_code);
  charchive::cli::AddStatusCommand(app, exit_code);
  charchive::cli::AddHistoryCommand(app, exit_code);
  charchive::cli::AddPlatformCommand(app, exit_code);
  charchive::cli::AddRemoteCardCommands(app, exit_code);
  charchive::cli::AddHubCommand(app, exit_code);
  charchive::cli::AddSourceCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : charchive::cli::kExitInvalid;
  }
  return exit_code;
}
