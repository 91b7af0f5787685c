#include "cli/log_options.h"

#include "util/log.h"

namespace charchive::cli {

void AddLogOptions(CLI::App* cmd, LogOptions& options, const std::string& default_level) {
  options.level = default_level;
  cmd->add_option("--log-level", options.level,
                  "The operator log on stderr: debug, info, warn, error or off (default " + default_level + ")");
  cmd->add_option("--log-format", options.format, "text (key=value) or json (one object per line); default text");
}

Status ApplyLogOptions(const LogOptions& options) {
  auto level = log::ParseLevel(options.level);
  if (!level) {
    return Status::Invalid("bad_flag",
                           "--log-level must be debug, info, warn, error or off, not '" + options.level + "'");
  }
  auto format = log::ParseFormat(options.format);
  if (!format) return Status::Invalid("bad_flag", "--log-format must be text or json, not '" + options.format + "'");
  log::Configure(*level, *format);
  return Status::Ok();
}

void QuietLog() { log::Configure(log::Level::kOff, log::Format::kText); }

}  // namespace charchive::cli
