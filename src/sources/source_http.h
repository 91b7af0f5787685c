// SourceHttp: the polite HTTP client of one source sync run (docs/sources.md
// "Politeness"). Every GET waits for its host's slot in a shared
// HostRateLimiter (1 request per second per host by default), carries a
// User-Agent that names the archive, and is retried by the archive's one
// RetryPolicy (util/retry_policy.h) on what the peer layer marks transient
// (408, 425, 429 and 5xx, timeouts): after the server's Retry-After when it
// sends one, with growing back-off otherwise; the wait is the host's next
// slot, so other runs to that host wait too. A refused connection or an
// unknown host fails at once (kRemoteError): the source cannot be reached.
// Cancellation is checked before and while waiting.
//
// Thread safety: one run's thread; the limiter may be shared.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "federation/peer_http.h"
#include "sources/host_rate_limiter.h"
#include "util/retry_policy.h"

namespace charchive::sources {

struct Politeness {
  std::chrono::milliseconds min_interval{1000};  // between two requests to one host
  // A Retry-After longer than max_retry_after fails the request.
  RetryOptions retry{.max_attempts = 4,
                     .first_backoff = std::chrono::seconds(1),
                     .max_backoff = std::chrono::seconds(30),
                     .max_retry_after = std::chrono::minutes(2),
                     .jitter = 0,
                     .retry_unreachable = false};
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
};

// "charchive/<version> (self-hosted card archive; ...)".
std::string SourceUserAgent();

class SourceHttp {
 public:
  SourceHttp(HostRateLimiter& limiter, Politeness politeness, std::vector<std::pair<std::string, std::string>> headers,
             std::function<bool()> cancelled)
      : limiter_(limiter),
        politeness_(std::move(politeness)),
        headers_(std::move(headers)),
        cancelled_(std::move(cancelled)) {}

  // GET base_url + path (path starts with '/', may carry a query). Any final
  // HTTP status is returned for the caller to judge; transport failures and
  // exhausted retries are errors. `what` names the request in messages.
  Result<federation::PeerResponse> Get(const std::string& base_url, const std::string& path, const std::string& what);

  int64_t requests() const { return requests_; }

 private:
  Result<const federation::PeerHttp*> ClientFor(const std::string& base_url);

  HostRateLimiter& limiter_;
  Politeness politeness_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::function<bool()> cancelled_;
  std::map<std::string, federation::PeerHttp> clients_;
  int64_t requests_ = 0;
};

// The limiter key of a base URL: scheme://host:port.
std::string HostKey(const std::string& base_url);

}  // namespace charchive::sources
