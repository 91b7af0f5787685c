// SourceHttp: the polite HTTP client of one source sync run (docs/sources.md
// "Politeness"). Every GET waits for its host's slot in a shared
// HostRateLimiter (1 request per second per host by default), carries a
// User-Agent that names the archive, and is retried on 408, 425, 429 and 5xx
// and on timeouts, after the server's Retry-After when it sends one and with
// growing back-off otherwise. A refused connection or an unknown host fails at
// once (kRemoteError): the source cannot be reached. Cancellation is checked
// before and while waiting.
//
// Thread safety: one run's thread; the limiter may be shared.
#pragma once

#include <functional>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "federation/peer_http.h"
#include "sources/host_rate_limiter.h"

namespace charchive::sources {

struct Politeness {
  std::chrono::milliseconds min_interval{1000};  // between two requests to one host
  int max_attempts = 4;
  std::vector<std::chrono::milliseconds> backoff{std::chrono::seconds(1), std::chrono::seconds(3),
                                                 std::chrono::seconds(7)};
  std::chrono::milliseconds max_retry_after{std::chrono::minutes(2)};  // a longer Retry-After fails the request
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
};

// "charchive/<version> (self-hosted card archive; ...)".
std::string SourceUserAgent();

// Retry-After as seconds or an HTTP date; nullopt when absent or unreadable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& value,
                                                         std::chrono::system_clock::time_point now);

class SourceHttp {
 public:
  SourceHttp(HostRateLimiter& limiter, Politeness politeness,
             std::vector<std::pair<std::string, std::string>> headers, std::function<bool()> cancelled)
      : limiter_(limiter), politeness_(std::move(politeness)), headers_(std::move(headers)), cancelled_(std::move(cancelled)) {}

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
