// The watched-folder routes (docs/api.md "Watched folders", docs/watch.md):
// GET /api/watch lists the folders (kept and from the command line, each
// with whether it is watched), how many files wait to be read, and the files
// seen most recently; PUT /api/watch {"folders": [...]} replaces the kept
// folders. Handlers parse, call the FolderWatcher and answer; nothing else.
#pragma once

#include <httplib.h>

#include "watch/folder_watcher.h"

namespace charchive::api {

void AddWatchRoutes(httplib::Server& server, watch::FolderWatcher& watcher);

}  // namespace charchive::api
