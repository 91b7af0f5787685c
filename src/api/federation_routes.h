// The /api/federation routes (docs/api.md "Federation: platforms, pushes and
// sync state", whose "The plan's contract" they keep). Each
// handler parses the request, calls one FederationService method and
// serializes the result.
#pragma once

#include <httplib.h>

#include "federation/federation_service.h"

namespace charchive::api {

void AddFederationRoutes(httplib::Server& server, federation::FederationService& federation);

}  // namespace charchive::api
