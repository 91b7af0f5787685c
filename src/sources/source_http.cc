#include "sources/source_http.h"

#include "sources/errors.h"

#include "util/url.h"

namespace charchive::sources {

std::string SourceUserAgent() {
  return std::string("charchive/") + CHARCHIVE_VERSION +
         " (self-hosted Character Archive; incremental sync, at most 1 request/s per host)";
}

std::string HostKey(const std::string& base_url) {
  auto url = ParseUrl(base_url);
  return url.ok() ? url->scheme + "://" + url->host + ":" + std::to_string(url->port) : base_url;
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
  // A retry's wait is the host's next slot: Acquire sleeps until then.
  RetryPolicy policy(politeness_.retry, [&](std::chrono::milliseconds delay) {
    limiter_.DeferUntil(host, limiter_.clock().Now() + delay);
    return true;
  });
  int requests = 0;
  auto response = policy.Run([&](int request_number) -> Result<federation::PeerResponse> {
    requests = request_number;
    CHARCHIVE_RETURN_IF_ERROR(limiter_.Acquire(host, politeness_.min_interval, cancelled_));
    ++requests_;
    auto answer = client->Send(request);
    if (!answer.ok()) return answer.status().WithContext(what);
    if (federation::TransientOf(answer->status) != Transient::kNone) {
      return federation::HttpError(*answer, source_error::kSourceHttpError, what);
    }
    return answer;  // any other status is the caller's to judge
  });
  if (response.ok()) return response;
  const Status& failure = response.status();
  if (failure.retry_after() && *failure.retry_after() > politeness_.retry.max_retry_after) {
    return Status::Remote(source_error::kSourceRateLimited,
                          what + ": the server asks to wait " +
                              std::to_string(std::chrono::ceil<std::chrono::seconds>(*failure.retry_after()).count()) +
                              " s (Retry-After), longer than this run waits");
  }
  if (failure.transient() != Transient::kNone && requests > 1) {
    return failure.WithContext("gave up after " + std::to_string(requests) + " requests");
  }
  return failure;
}

}  // namespace charchive::sources
