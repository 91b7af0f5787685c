// The background-job routes (docs/api.md "Background jobs"): submit, list, look at and
// cancel federation jobs, and the Server-Sent Events stream of job progress
// and sync-state changes. Handlers parse, call the JobRunner, serialize.
#pragma once

#include <httplib.h>

#include "federation/event_bus.h"
#include "federation/job_runner.h"

namespace charchive::api {

void AddJobRoutes(httplib::Server& server, federation::JobRunner& jobs, federation::EventBus& events);

}  // namespace charchive::api
