// The duplicates view's routes (store/duplicate_finder.h): GET /api/duplicates
// (groups of cards with the same name and creator, or the same content) and
// GET /api/cards/:id/related (one card's).
//
// Thread safety: handlers run on the server's threads; the archive is safe there.
#pragma once

#include <httplib.h>

#include "store/archive.h"

namespace charchive::api {

void AddDuplicateRoutes(httplib::Server& server, Archive& archive);

}  // namespace charchive::api
