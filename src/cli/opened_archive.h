// OpenedArchive: an archive and its federation service, opened for one CLI
// command; failures are reported (one line on stderr) and become the exit code.
//
// Thread safety: for the command's thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "federation/federation_service.h"
#include "store/archive.h"

namespace charchive::cli {

struct OpenedArchive {
  std::unique_ptr<Archive> archive;
  std::unique_ptr<federation::FederationService> federation;
};

// nullopt after reporting the error into exit_code.
std::optional<OpenedArchive> OpenArchive(const std::string& data, int& exit_code);

}  // namespace charchive::cli
