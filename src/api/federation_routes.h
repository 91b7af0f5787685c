// The /api/federation routes (design.md §7.1, docs/api.md "Federation"). Each
// handler parses the request, calls one FederationService method and
// serializes the result.
#pragma once

#include <httplib.h>

#include "federation/federation_service.h"

namespace charchive::api {

void AddFederationRoutes(httplib::Server& server, federation::FederationService& federation);

}  // namespace charchive::api
