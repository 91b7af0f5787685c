#include "sources/source_http.h"

#include <ctime>

namespace charchive::sources {
namespace {

bool Retryable(int status) { return status == 408 || status == 425 || status == 429 || status >= 500; }

}  // namespace

std::string SourceUserAgent() {
  return std::string("charchive/") + CHARCHIVE_VERSION +
         " (self-hosted Character Archive; incremental sync, at most 1 request/s per host)";
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& value,
                                                         std::chrono::system_clock::time_point now) {
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789 ") == std::string::npos) {
    if (value.size() > 9) return std::nullopt;
    return std::chrono::seconds(std::stoll(value));
  }
  std::tm tm{};
  const char* end = strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end) return std::nullopt;
  auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (when <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
}

std::string HostKey(const std::string& base_url) {
  auto scheme_end = base_url.find("://");
  if (scheme_end == std::string::npos) return base_url;
  auto path = base_url.find('/', scheme_end + 3);
  return path == std::string::npos ? base_url : base_url.substr(0, path);
}

Result<const federation::PeerHttp*> SourceHttp::ClientFor(const std::string& base_url) {
  auto it = clients_.find(base_url);
  if (it == clients_.end()) {
    federation::PeerHttpLimits limits;
    limits.request_timeout = politeness_.request_timeout;
    CHARCHIVE_ASSIGN_OR_RETURN(federation::PeerHttp client, federation::PeerHttp::ForBaseUrl(base_url, limits));
    it = clients_.emplace(base_url, std::move(client)).first;
  }
  return &it->second;
}

Result<federation::PeerResponse> SourceHttp::Get(const std::string& base_url, const std::string& path,
                                                 const std::string& what) {
  CHARCHIVE_ASSIGN_OR_RETURN(const federation::PeerHttp* client, ClientFor(base_url));
  const std::string host = HostKey(base_url);
  federation::PeerRequest request;
  request.path = path;
  request.headers = headers_;
  request.headers.emplace_back("User-Agent", SourceUserAgent());
  request.headers.emplace_back("Accept", "application/json, image/png;q=0.9, */*;q=0.5");
  Status last;
  for (int attempt = 1; attempt <= politeness_.max_attempts; ++attempt) {
    CHARCHIVE_RETURN_IF_ERROR(limiter_.Acquire(host, politeness_.min_interval, cancelled_));
    ++requests_;
    auto response = client->Send(request);
    std::chrono::milliseconds wait =
        politeness_.backoff.empty()
            ? std::chrono::milliseconds(1000)
            : politeness_.backoff[std::min<size_t>(attempt - 1, politeness_.backoff.size() - 1)];
    if (!response.ok()) {
      // Nobody listening, or no such host: retrying would only delay the report.
      if (response.status().kind() != "peer_timeout") return response.status().WithContext(what);
      last = response.status().WithContext(what);
    } else if (!Retryable(response->status)) {
      return response;
    } else {
      last = Status::Remote("source_http_error", federation::DescribeHttpError(*response, what));
      auto header = response->headers.find("retry-after");
      if (header != response->headers.end()) {
        auto asked = ParseRetryAfter(header->second, limiter_.clock().SystemNow());
        if (asked) {
          if (*asked > politeness_.max_retry_after) {
            return Status::Remote("source_rate_limited", what + ": the server asks to wait " +
                                                             std::to_string(asked->count() / 1000) +
                                                             " s (Retry-After), longer than this run waits");
          }
          wait = *asked;
        }
      }
    }
    if (attempt == politeness_.max_attempts) break;
    limiter_.DeferUntil(host, limiter_.clock().Now() + wait);
  }
  return last.WithContext("gave up after " + std::to_string(politeness_.max_attempts) + " attempts");
}

}  // namespace charchive::sources
