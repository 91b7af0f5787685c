#include "federation/peer_http.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netdb.h>
#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "card/json_parse.h"
#include "federation/errors.h"
#include "federation/http_signature.h"
#include "federation/request_watchdog.h"
#include "federation/secret_redaction.h"

#include "util/base64.h"
#include "util/url.h"

namespace charchive::federation {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Seconds(std::chrono::milliseconds ms) {
  auto tenths = ms.count() / 100;
  std::string s = std::to_string(tenths / 10);
  if (tenths % 10) s += "." + std::to_string(tenths % 10);
  return s + " s";
}

std::string RandomBoundary() {
  unsigned char bytes[12];
  if (getrandom(bytes, sizeof bytes, 0) != sizeof bytes) std::fill(std::begin(bytes), std::end(bytes), 0x5a);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "----charchive";
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string MultipartBody(const std::vector<HttpPart>& parts, const std::string& boundary) {
  size_t size = boundary.size() + 8;
  for (const HttpPart& p : parts) size += p.content.size() + p.name.size() + p.file_name.size() + boundary.size() + 128;
  std::string body;
  body.reserve(size);
  for (const HttpPart& p : parts) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.file_name.empty()) body += "; filename=\"" + p.file_name + "\"";
    body += "\r\n";
    if (!p.content_type.empty()) body += "Content-Type: " + p.content_type + "\r\n";
    body += "\r\n";
    body += p.content;
    body += "\r\n";
  }
  return body + "--" + boundary + "--\r\n";
}

Status DescribeTransportError(httplib::Error error, const PeerHttp& http, const PeerHttpLimits& limits) {
  const std::string& base = http.base_url();
  switch (error) {
    case httplib::Error::Connection:
      return Status::Remote(
                 federation_error::kPeerUnreachable,
                 "cannot connect to " + base + " (connection refused or host unreachable; is the server running?)")
          .WithTransient(Transient::kUnreachable);
    case httplib::Error::ConnectionTimeout:
      return Status::Remote(federation_error::kPeerTimeout,
                            "timed out connecting to " + base + " after " + Seconds(limits.connect_timeout))
          .WithTransient(Transient::kTimeout);
    case httplib::Error::Read:
      return Status::Remote(federation_error::kPeerTimeout, "no complete answer from " + base + " within " +
                                                                Seconds(limits.request_timeout) +
                                                                " (timed out or the connection was closed)")
          .WithTransient(Transient::kTimeout);
    case httplib::Error::Write:
      return Status::Remote(federation_error::kPeerUnreachable,
                            "the connection to " + base + " broke while sending the request")
          .WithTransient(Transient::kUnreachable);
    case httplib::Error::Canceled:
      return Status::Remote(
          federation_error::kPeerResponseTooLarge,
          "the answer from " + base + " is larger than " + std::to_string(limits.max_response_bytes >> 20) + " MiB");
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return Status::Remote(federation_error::kPeerTls,
                            "TLS with " + base + " failed (" + httplib::to_string(error) + ")");
    default:
      return Status::Remote(federation_error::kPeerError,
                            "request to " + base + " failed (" + httplib::to_string(error) + ")");
  }
}

}  // namespace

std::vector<std::string> PeerResponse::HeaderValues(const std::string& lower_name) const {
  std::vector<std::string> out;
  auto range = headers.equal_range(lower_name);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

std::string PeerResponse::ContentType() const {
  auto it = headers.find("content-type");
  return it == headers.end() ? "" : Lower(it->second);
}

Result<PeerHttp> PeerHttp::ForBaseUrl(const std::string& base_url, PeerHttpLimits limits) {
  auto url = ParseUrl(base_url);
  if (!url.ok() || !url->query.empty() || base_url.find('#') != std::string::npos) {
    return Status::Invalid(federation_error::kBadBaseUrl,
                           "base URL '" + base_url + "' must look like http://host:port or https://host/path");
  }
  PeerHttp http;
  http.base_url_ = base_url;
  http.scheme_ = url->scheme;
  http.host_ = url->host;
  http.port_ = url->port;
  http.prefix_ = url->path;
  while (!http.prefix_.empty() && http.prefix_.back() == '/') http.prefix_.pop_back();
  http.limits_ = limits;
  return http;
}

namespace {

// The credentials a request carries: Authorization (whole, the part after the
// scheme, and a Basic password decoded) and any *token* / *key* header.
std::vector<std::string> SecretsIn(const httplib::Headers& headers) {
  std::vector<std::string> secrets;
  for (const auto& [name, value] : headers) {
    std::string lower = Lower(name);
    if (lower == "authorization") {
      secrets.push_back(value);
      size_t space = value.find(' ');
      if (space == std::string::npos) continue;
      std::string credential = value.substr(space + 1);
      secrets.push_back(credential);
      if (Lower(value.substr(0, space)) == "basic") {
        auto decoded = Base64Decode(credential);
        if (decoded.ok()) {
          secrets.push_back(*decoded);
          if (size_t colon = decoded->find(':'); colon != std::string::npos)
            secrets.push_back(decoded->substr(colon + 1));
        }
      }
    } else if (lower.find("token") != std::string::npos || lower.find("key") != std::string::npos) {
      secrets.push_back(value);
    }
  }
  // Longest first, so a whole header is replaced before its parts.
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return secrets;
}

}  // namespace

Result<PeerResponse> PeerHttp::Send(const PeerRequest& request) const {
  // Resolve first so that an unknown host gets its own message and the policy
  // sees every address; under kPublicOnly the connection goes to an address it
  // saw (a DNS answer that changes between check and connect cannot slip by).
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host_.c_str(), nullptr, &hints, &found) != 0) {
    return Status::Remote(federation_error::kPeerDns, "cannot resolve host '" + host_ + "' of " + base_url_);
  }
  std::vector<std::string> addresses;
  for (addrinfo* a = found; a; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {0};
    const void* raw = a->ai_family == AF_INET6
                          ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr)
                          : static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr);
    if (inet_ntop(a->ai_family, raw, text, sizeof text)) addresses.emplace_back(text);
  }
  freeaddrinfo(found);
  if (addresses.empty())
    return Status::Remote(federation_error::kPeerDns, "host '" + host_ + "' of " + base_url_ + " has no address");
  if (limits_.addresses == AddressPolicy::kPublicOnly) {
    for (const std::string& address : addresses) {
      if (!IsPublicAddress(address)) {
        return Status::Forbidden(federation_error::kBlockedAddress,
                                 "refused to connect to " + base_url_ + ": '" + host_ + "' is the non-public address " +
                                     address + " (URLs from peers and cards must point to public hosts)");
      }
    }
  }

  std::unique_ptr<httplib::ClientImpl> client;
  if (scheme_ == "https") {
    auto tls = std::make_unique<httplib::SSLClient>(host_, port_);
    tls->set_ca_cert_path("/etc/ssl/certs/ca-certificates.crt");
    tls->enable_server_certificate_verification(true);
    client = std::move(tls);
  } else {
    client = std::make_unique<httplib::ClientImpl>(host_, port_);
  }
  auto to_timeval = [](std::chrono::milliseconds ms) {
    return std::pair<time_t, time_t>(ms.count() / 1000, (ms.count() % 1000) * 1000);
  };
  auto [cs, cus] = to_timeval(limits_.connect_timeout);
  auto [rs, rus] = to_timeval(limits_.request_timeout);
  client->set_connection_timeout(cs, cus);
  client->set_read_timeout(rs, rus);
  client->set_write_timeout(rs, rus);
  client->set_follow_location(false);
  if (limits_.addresses == AddressPolicy::kPublicOnly) client->set_hostname_addr_map({{host_, addresses.front()}});
  client->set_keep_alive(false);

  httplib::Request req;
  req.method = request.method;
  req.path = prefix_ + request.path;
  bool own_agent = false;
  for (const auto& [name, value] : request.headers) {
    req.headers.emplace(name, value);
    own_agent = own_agent || Lower(name) == "user-agent";
  }
  if (!own_agent) req.headers.emplace("User-Agent", std::string("charchive/") + CHARCHIVE_VERSION);
  if (!request.parts.empty()) {
    std::string boundary = RandomBoundary();
    req.body = MultipartBody(request.parts, boundary);
    req.headers.emplace("Content-Type", "multipart/form-data; boundary=" + boundary);
  } else {
    req.body = request.body;
    if (!request.content_type.empty()) req.headers.emplace("Content-Type", request.content_type);
  }
  if (request.method != "GET" && request.method != "HEAD" && req.body.empty()) {
    req.headers.emplace("Content-Length", "0");
  }

  PeerResponse out;
  uint64_t cap = limits_.max_response_bytes;
  req.content_receiver = [&out, cap](const char* data, size_t size, uint64_t, uint64_t) {
    if (out.body.size() + size > cap) return false;
    out.body.append(data, size);
    return true;
  };
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  // A peer that drips its answer just inside the read timeout would hold the
  // request for ever: past the deadline the process's one watchdog stops it.
  auto deadline = limits_.connect_timeout + 2 * limits_.request_timeout;
  bool sent, stopped;
  {
    RequestWatchdog::Watch watch(RequestWatchdog::Shared(), RequestWatchdog::Clock::now() + deadline,
                                 [&client] { client->stop(); });
    sent = client->send(req, res, error);
    stopped = watch.fired();
  }
  if (stopped) {
    return Status::Remote(federation_error::kPeerTimeout, "no complete answer from " + base_url_ + " within " +
                                                              Seconds(deadline) + " (the peer sends too slowly)")
        .WithTransient(Transient::kTimeout);
  }
  if (!sent) return DescribeTransportError(error, *this, limits_);
  out.status = res.status;
  for (const auto& [name, value] : res.headers) out.headers.emplace(Lower(name), value);
  if (out.body.empty() && !res.body.empty()) out.body = std::move(res.body);
  std::vector<std::string> secrets = SecretsIn(req.headers);
  RedactSecrets(out.body, secrets);
  for (auto& [name, value] : out.headers) RedactSecrets(value, secrets);
  return out;
}

Result<Json> JsonBody(const PeerResponse& response, const std::string& what) {
  auto body = ParseJsonText(response.body);
  if (!body.ok()) {
    return Status::Remote(federation_error::kPeerBadResponse,
                          what + " answered HTTP " + std::to_string(response.status) +
                              " with a body that is not JSON we accept (" + body.status().message() + ")");
  }
  return body;
}

std::string PercentEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string DescribeHttpError(const PeerResponse& response, const std::string& what, const std::string& own_detail) {
  std::string detail = own_detail.empty() ? response.body.substr(0, 300) : own_detail;
  // HTML error pages: keep the text of the first <pre>/<title> line if any.
  static const std::regex kTag("<[^>]*>");
  detail = std::regex_replace(detail, kTag, " ");
  auto nl = detail.find_first_of("\r\n");
  if (nl != std::string::npos) detail.resize(nl);
  while (!detail.empty() && std::isspace(static_cast<unsigned char>(detail.back()))) detail.pop_back();
  while (!detail.empty() && std::isspace(static_cast<unsigned char>(detail.front()))) detail.erase(detail.begin());
  std::string reason;
  switch (response.status) {
    case 401:
      reason = " (authentication failed: check the user name and password or API key)";
      break;
    case 403:
      reason = " (forbidden: check the credentials, the CSRF token or the peer's IP whitelist)";
      break;
    case 404:
      reason = " (not found: check the base URL)";
      break;
    case 429:
      reason = " (rate limited)";
      break;
    default:
      break;
  }
  if (auto wait = RetryAfter(response)) {
    reason += " (retry after " + std::to_string(std::chrono::ceil<std::chrono::seconds>(*wait).count()) + " s)";
  }
  return "HTTP " + std::to_string(response.status) + " from " + what + reason + (detail.empty() ? "" : ": " + detail);
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& value,
                                                         std::chrono::system_clock::time_point now) {
  if (!value.empty() && value.size() <= 9 && std::all_of(value.begin(), value.end(), ::isdigit)) {
    return std::chrono::seconds(std::stoll(value));
  }
  if (auto when = ParseHttpDate(value)) {
    return std::max(std::chrono::duration_cast<std::chrono::milliseconds>(*when - now), std::chrono::milliseconds(0));
  }
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> RetryAfter(const PeerResponse& response,
                                                    std::chrono::system_clock::time_point now) {
  if (response.status != 429 && response.status != 503) return std::nullopt;
  auto header = [&](const char* name) -> std::optional<std::string> {
    auto it = response.headers.find(name);
    if (it == response.headers.end()) return std::nullopt;
    return it->second;
  };
  if (auto value = header("retry-after")) {
    if (auto wait = ParseRetryAfter(*value, now)) return wait;
  }
  auto remaining = header("x-ratelimit-remaining");
  auto reset = header("x-ratelimit-reset");
  if (!remaining || *remaining != "0" || !reset || reset->empty() || reset->size() > 12 ||
      !std::all_of(reset->begin(), reset->end(), ::isdigit)) {
    return std::nullopt;
  }
  int64_t value = std::stoll(*reset);
  // Some peers send the seconds left in the window, others the Unix time it ends.
  constexpr int64_t kUnixTimeFrom = 1000000000;
  if (value < kUnixTimeFrom) return std::chrono::seconds(value);
  auto until = std::chrono::system_clock::time_point(std::chrono::seconds(value));
  return std::max(std::chrono::duration_cast<std::chrono::milliseconds>(until - now), std::chrono::milliseconds(0));
}

Transient TransientOf(int http_status) {
  if (http_status == 429) return Transient::kRateLimited;
  if (http_status == 408) return Transient::kTimeout;
  if (http_status == 425 || (http_status >= 500 && http_status <= 599 && http_status != 501)) {
    return Transient::kServerError;
  }
  return Transient::kNone;
}

Status HttpError(const PeerResponse& response, std::string kind, const std::string& what, const std::string& detail) {
  return Status::Remote(std::move(kind), DescribeHttpError(response, what, detail))
      .WithTransient(TransientOf(response.status), RetryAfter(response));
}

}  // namespace charchive::federation
