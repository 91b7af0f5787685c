// The background-job routes (docs/api.md "Background jobs"): submit, list, look at and
// cancel federation jobs, and the Server-Sent Events stream of job progress
// and sync-state changes. Handlers parse, call the JobRunner, serialize.
#pragma once

#include "api/guarded_server.h"
#include "federation/event_bus.h"
#include "federation/job_runner.h"

namespace charchive::api {

void AddJobRoutes(GuardedServer& server, federation::JobRunner& jobs, federation::EventBus& events);

}  // namespace charchive::api
