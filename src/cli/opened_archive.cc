#include "cli/opened_archive.h"

#include "cli/exit_codes.h"

namespace charchive::cli {

std::optional<OpenedArchive> OpenArchive(const std::string& data, int& exit_code) {
  auto archive = Archive::Open(data);
  if (!archive.ok()) {
    exit_code = ReportError(archive.status(), data);
    return std::nullopt;
  }
  auto federation = federation::FederationService::Open(**archive);
  if (!federation.ok()) {
    exit_code = ReportError(federation.status(), data);
    return std::nullopt;
  }
  return OpenedArchive{std::move(archive).value(), std::move(federation).value()};
}

}  // namespace charchive::cli
