#include "util/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace charchive {

void ParallelFor(size_t count, size_t workers, const std::function<void(size_t)>& body) {
  std::atomic<size_t> next{0};
  std::mutex error_mu;
  std::exception_ptr error;
  auto work = [&] {
    try {
      for (size_t i = next++; i < count; i = next++) body(i);
    } catch (...) {
      next = count;  // the others finish the item they hold and take no more
      std::lock_guard lock(error_mu);
      if (!error) error = std::current_exception();
    }
  };
  size_t threads = std::min(std::max<size_t>(workers, 1), count);
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) {
    try {
      helpers.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no thread to be had: fewer workers do it all
    }
  }
  work();
  for (auto& helper : helpers) helper.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace charchive
