// The /api/cards and /api/tags routes. Each handler parses the request, calls
// one Archive method and serializes the result.
#pragma once

#include <httplib.h>

#include "store/archive.h"

namespace charchive::api {

void AddCardRoutes(httplib::Server& server, Archive& archive);

}  // namespace charchive::api
