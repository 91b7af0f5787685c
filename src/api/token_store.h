// The API token: given on the command line, or created once (32 random bytes,
// hex) and kept in <data>/api-token with mode 0600.
#pragma once

#include <string>

#include "util/result.h"

namespace charchive::api {

struct ApiToken {
  std::string value;
  bool created = false;  // true the first time, when the caller prints it once
};

Result<ApiToken> LoadOrCreateToken(const std::string& data_dir);

}  // namespace charchive::api
