// CurlHandlePool: the libcurl easy handles one PeerHttp reuses, so that its
// requests to a peer go over the connections libcurl keeps alive in each
// handle instead of a new TCP (and TLS) connection every time. A bulk push
// sends three requests a card; opening a connection for each cost more than
// the request.
// A handle is reset as it comes back (curl_easy_reset: options cleared, live
// connections kept); at most kMaxIdle wait, the rest are cleaned up.
//
// Thread safety: Take and the returned lease's release from any thread; a
// leased handle is used by one thread at a time.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <vector>

namespace charchive::federation {

class CurlHandlePool {
 public:
  static constexpr size_t kMaxIdle = 8;

  CurlHandlePool() = default;
  CurlHandlePool(const CurlHandlePool&) = delete;
  CurlHandlePool& operator=(const CurlHandlePool&) = delete;
  ~CurlHandlePool();

  struct Giver {
    CurlHandlePool* pool;
    void operator()(CURL* handle) const { pool->Give(handle); }
  };
  using Lease = std::unique_ptr<CURL, Giver>;

  // An idle handle, else a new one; null when libcurl cannot make one. A
  // handle whose connection must not be reused is taken out of its lease and
  // cleaned up by the caller.
  Lease Take();

 private:
  void Give(CURL* handle);

  std::mutex mu_;
  std::vector<CURL*> idle_;
};

}  // namespace charchive::federation
