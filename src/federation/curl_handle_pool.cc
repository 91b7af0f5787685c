#include "federation/curl_handle_pool.h"

namespace charchive::federation {

CurlHandlePool::~CurlHandlePool() {
  for (CURL* handle : idle_) curl_easy_cleanup(handle);
}

CurlHandlePool::Lease CurlHandlePool::Take() {
  CURL* handle = nullptr;
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      handle = idle_.back();
      idle_.pop_back();
    }
  }
  return Lease(handle ? handle : curl_easy_init(), Giver{this});
}

void CurlHandlePool::Give(CURL* handle) {
  // At once: the options point into the finished request's buffers.
  curl_easy_reset(handle);
  {
    std::lock_guard lock(mu_);
    if (idle_.size() < kMaxIdle) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(handle);
}

}  // namespace charchive::federation
