// The card-source routes (docs/api.md "Card sources", docs/sources.md):
// settings (the API key never shown), sync runs queued for the server's
// SourceScheduler with their progress, the block list, and conflict
// resolution. Handlers parse, call SourceSync and answer; nothing else.
#pragma once

#include <httplib.h>

#include "sources/source_scheduler.h"
#include "sources/source_sync.h"

namespace charchive::api {

void AddSourceRoutes(httplib::Server& server, sources::SourceSync& sync, sources::SourceScheduler& scheduler);

}  // namespace charchive::api
