// ParallelFor: the project's one worker pool for a batch of independent
// items. Runs body(i) for every i in [0, count) on up to `workers` threads
// (the calling thread is one of them; `workers` below 1 counts as 1), each
// taking the next index not yet taken, and returns when every call returned.
// An exception thrown by a call on a helper thread is caught there and
// rethrown on the calling thread once all threads have ended (the first one
// only), so no worker thread ever reaches std::terminate.
//
// Thread safety: `body` runs on several threads at once and must be safe so.
#pragma once

#include <cstddef>
#include <functional>

namespace charchive {

void ParallelFor(size_t count, size_t workers, const std::function<void(size_t)>& body);

}  // namespace charchive
