// GET /api/stats: the statistics page's numbers (store/library_stats.h) as
// JSON: {cards, favorites, sources, specs, creators, tags, tokens, imports},
// each chart a list of {label, count}.
//
// Thread safety: handlers run on the server's threads; the archive is safe there.
#pragma once

#include <httplib.h>

#include "store/archive.h"

namespace charchive::api {

void AddStatsRoutes(httplib::Server& server, Archive& archive);

}  // namespace charchive::api
