// The trash's routes: DELETE /api/cards/:id and POST /api/cards/bulk/trash
// move cards to the trash; POST /api/cards/:id/restore and POST
// /api/trash/restore take them out; GET /api/trash lists it, DELETE /api/trash
// empties it (the only route that deletes a card for good). docs/api.md "Trash".
//
// Thread safety: handlers run on the server's threads; the archive is safe there.
#pragma once

#include <httplib.h>

#include "store/archive.h"

namespace charchive::api {

void AddTrashRoutes(httplib::Server& server, Archive& archive);

}  // namespace charchive::api
