// PeerHttp: the one HTTP client through which the archive talks to peers
// (SillyTavern, Character Architect, hubs, card sources), over libcurl. It
// applies the limits every outbound request needs — connect and read timeouts,
// one deadline for the whole exchange, caps on the answer's head (fields, line
// length, bytes) and body, no redirects, no proxy, an address policy
// (address_policy.h) checked on the resolved addresses, which are then the
// ones connected to — and turns every failure into a Status (code
// kRemoteError) whose message a user can act on: refused, unknown host,
// timeout, TLS, too large, a head past its caps.
// Transport failures are marked transient (util/status.h) when a retry may
// pass: timeouts, refused or broken connections. HTTP error statuses are not
// failures here; adapters judge them and build their Status with HttpError.
//
// Requests reuse the connections earlier ones left open (curl_handle_pool.h);
// copies of a PeerHttp share them.
//
// Thread safety: a PeerHttp may be used from many threads at once; each
// request has a libcurl handle to itself and runs on the caller's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "card/card.h"
#include "federation/address_policy.h"
#include "util/result.h"

namespace charchive::federation {

class CurlHandlePool;

struct PeerHttpLimits {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{30000};  // longest wait for the peer's bytes
  // The whole exchange (connect, send, head, body), however the peer paces its
  // bytes, ends at connect_timeout + 2 × request_timeout.
  uint64_t max_response_bytes = 64ull << 20;
  // The answer's head: past any of these the transfer stops, peer_bad_response.
  size_t max_header_count = 100;
  size_t max_header_line_bytes = 8 << 10;
  size_t max_header_bytes = 64 << 10;
  AddressPolicy addresses = AddressPolicy::kAnyAddress;
};

// One part of a multipart body. The content is not copied: it must outlive
// the request (card images are large, and a bulk push sends thousands).
struct HttpPart {
  std::string name;
  std::string_view content;
  std::string file_name;     // empty: a plain field
  std::string content_type;  // for file parts
};

struct PeerRequest {
  std::string method = "GET";
  std::string path;  // below the base URL's path, starting with '/'
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type;
  std::vector<HttpPart> parts;  // non-empty: a multipart/form-data body
};

struct PeerResponse {
  int status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // names lower-cased

  // Every value of a header (e.g. set-cookie).
  std::vector<std::string> HeaderValues(const std::string& lower_name) const;
  std::string ContentType() const;
};

class PeerHttp {
 public:
  // base_url: http(s)://host[:port][/prefix]. Fails with "bad_base_url".
  static Result<PeerHttp> ForBaseUrl(const std::string& base_url, PeerHttpLimits limits = {});

  Result<PeerResponse> Send(const PeerRequest& request) const;

  const std::string& base_url() const { return base_url_; }

 private:
  PeerHttp() = default;

  std::string base_url_;  // as configured, for messages
  std::string scheme_;
  std::string host_;
  int port_ = 0;
  std::string prefix_;  // path prefix without trailing '/'
  PeerHttpLimits limits_;
  std::shared_ptr<CurlHandlePool> handles_;
};

// The body as JSON, read by the bounded reader (card/json_parse.h: nesting,
// size); "peer_bad_response" naming `what` when it is not JSON or too deep.
Result<Json> JsonBody(const PeerResponse& response, const std::string& what);

// Percent-encodes everything but RFC 3986 unreserved characters (for one
// path segment).
std::string PercentEncode(const std::string& text);

// Retry-After as delta-seconds or an HTTP date, relative to `now`; nullopt
// when unreadable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& value,
                                                         std::chrono::system_clock::time_point now);

// The wait a refusal (429, 503) asks for: its Retry-After, else, when the
// rate-limit window is spent (X-RateLimit-Remaining: 0), X-RateLimit-Reset
// (delta-seconds, or a Unix time). nullopt for other statuses or without them.
std::optional<std::chrono::milliseconds> RetryAfter(
    const PeerResponse& response, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// Why an HTTP error status may pass on a retry: 429 kRateLimited, 408
// kTimeout, 425 and 5xx (but 501) kServerError; kNone otherwise.
Transient TransientOf(int http_status);

// "HTTP 503 from <what>: <first line of the body>": a readable message for a
// peer's error status, with "(retry after N s)" when the peer asked for a wait.
// `detail` replaces the body's first line (a peer's own error field).
std::string DescribeHttpError(const PeerResponse& response, const std::string& what, const std::string& detail = "");

// The failure a peer's error status is: kRemoteError `kind` with the
// DescribeHttpError message, marked transient (TransientOf) with the wait the
// peer asked for (RetryAfter). Every adapter and client builds its HTTP
// errors here, so retries never read messages.
Status HttpError(const PeerResponse& response, std::string kind, const std::string& what,
                 const std::string& detail = "");

}  // namespace charchive::federation
