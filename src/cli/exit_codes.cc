#include "cli/exit_codes.h"

#include <cstdio>

#include "federation/errors.h"

namespace charchive::cli {

int ExitCodeFor(const Status& status) {
  // A peer's copy that is gone is the peer's answer, reported as one.
  if (status.kind() == federation_error::kRemoteMissing || status.kind() == federation_error::kRemoteDeleted) {
    return kExitRemote;
  }
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidInput:
    case StatusCode::kNotFound:
    case StatusCode::kConflict:
    case StatusCode::kUnauthenticated:
    case StatusCode::kForbidden:
      return kExitInvalid;
    case StatusCode::kRemoteError:
      return kExitRemote;
    case StatusCode::kIoError:
    case StatusCode::kInternal:
      return kExitIo;
  }
  return kExitIo;
}

int ReportError(const Status& status, const std::string& context) {
  std::string line = context.empty() ? status.ToString() : context + ": " + status.ToString();
  std::fprintf(stderr, "charchive: %s\n", line.c_str());
  return ExitCodeFor(status);
}

}  // namespace charchive::cli
