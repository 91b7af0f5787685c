#include "federation/peer_http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>

#include "card/json_parse.h"
#include "federation/curl_handle_pool.h"
#include "federation/errors.h"
#include "federation/http_signature.h"
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

// A request body sent from where its pieces are: a multipart body is its
// framing plus the parts' contents, which are never copied into one buffer (a
// bulk push sends thousands of images). libcurl reads it through Read and
// rewinds it through Seek when it sends the request again on a new connection.
class PieceBody {
 public:
  PieceBody(const std::vector<HttpPart>& parts, const std::string& boundary) {
    for (const HttpPart& p : parts) {
      std::string head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
      if (!p.file_name.empty()) head += "; filename=\"" + p.file_name + "\"";
      head += "\r\n";
      if (!p.content_type.empty()) head += "Content-Type: " + p.content_type + "\r\n";
      Own(head + "\r\n");
      Add(p.content);
      Add("\r\n");
    }
    Own("--" + boundary + "--\r\n");
  }

  size_t size() const { return size_; }

  static size_t Read(char* out, size_t item, size_t count, void* user) {
    PieceBody& b = *static_cast<PieceBody*>(user);
    size_t room = item * count, written = 0;
    while (written < room && b.piece_ < b.pieces_.size()) {
      std::string_view piece = b.pieces_[b.piece_].substr(b.within_);
      size_t n = std::min(room - written, piece.size());
      std::copy_n(piece.data(), n, out + written);
      written += n;
      b.within_ += n;
      if (b.within_ == b.pieces_[b.piece_].size()) {
        ++b.piece_;
        b.within_ = 0;
      }
    }
    return written;
  }

  static int Seek(void* user, curl_off_t offset, int origin) {
    PieceBody& b = *static_cast<PieceBody*>(user);
    if (origin != SEEK_SET || offset < 0 || static_cast<size_t>(offset) > b.size_) return CURL_SEEKFUNC_FAIL;
    b.piece_ = 0;
    b.within_ = static_cast<size_t>(offset);
    while (b.piece_ < b.pieces_.size() && b.within_ >= b.pieces_[b.piece_].size())
      b.within_ -= b.pieces_[b.piece_++].size();
    return CURL_SEEKFUNC_OK;
  }

 private:
  void Own(std::string text) { Add(*owned_.emplace_back(std::make_unique<std::string>(std::move(text)))); }
  void Add(std::string_view piece) {
    if (piece.empty()) return;
    pieces_.push_back(piece);
    size_ += piece.size();
  }

  std::vector<std::unique_ptr<std::string>> owned_;  // framing; pointers stay put as it grows
  std::vector<std::string_view> pieces_;
  size_t size_ = 0;
  size_t piece_ = 0, within_ = 0;  // the read position
};

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
  http.handles_ = std::make_shared<CurlHandlePool>();
  return http;
}

namespace {

// The credentials a request carries: Authorization (whole, the part after the
// scheme, and a Basic password decoded) and any *token* / *key* header.
std::vector<std::string> SecretsIn(const std::vector<std::pair<std::string, std::string>>& headers) {
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

std::string Kib(size_t bytes) { return std::to_string(bytes >> 10) + " KiB"; }

// What one exchange gathers while libcurl runs it: the answer as it arrives,
// and why one of our callbacks stopped it.
struct Exchange {
  const PeerHttpLimits& limits;
  PeerResponse& out;
  CURL* handle;
  size_t head_fields = 0;  // in the current head (a 1xx answer starts another)
  size_t head_bytes = 0;   // in every head of the answer
  bool connected = false;
  bool idle = false;  // no byte for the read timeout
  bool body_too_large = false;
  std::chrono::steady_clock::time_point last_byte;
  curl_off_t received = 0, sent = 0;
  std::string refused_head;  // why the head broke a cap; empty while it keeps them
};

// One line of the answer's head, terminator included: the status line, a
// field, or the empty line that ends it. Returning less than `size` stops the
// transfer (CURLE_WRITE_ERROR).
size_t OnHeadLine(char* data, size_t, size_t size, void* user) {
  Exchange& x = *static_cast<Exchange*>(user);
  x.last_byte = std::chrono::steady_clock::now();
  x.head_bytes += size;
  if (size > x.limits.max_header_line_bytes) {
    x.refused_head = "a header line longer than " + Kib(x.limits.max_header_line_bytes);
    return 0;
  }
  if (x.head_bytes > x.limits.max_header_bytes) {
    x.refused_head = "headers larger than " + Kib(x.limits.max_header_bytes) + " in all";
    return 0;
  }
  std::string_view line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {  // a new status line: the head of the final answer follows a 1xx
    x.out.headers.clear();
    x.head_fields = 0;
    return size;
  }
  if (line.empty()) return size;
  if (++x.head_fields > x.limits.max_header_count) {
    x.refused_head = "more than " + std::to_string(x.limits.max_header_count) + " header fields";
    return 0;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return size;  // not a field: ignored
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  x.out.headers.emplace(Lower(std::string(line.substr(0, colon))), std::string(value));
  return size;
}

size_t OnBody(char* data, size_t, size_t size, void* user) {
  Exchange& x = *static_cast<Exchange*>(user);
  x.last_byte = std::chrono::steady_clock::now();
  std::string& body = x.out.body;
  size_t needed = body.size() + size;
  if (needed > x.limits.max_response_bytes) {
    x.body_too_large = true;
    return 0;
  }
  // Room for the length the peer announced, else for the cap, at once: pages
  // count only once written, and growing by copies would hold two buffers at
  // the end (a 64 MiB answer peaked at ~190 MiB). Send gives back what is
  // left unused.
  if (body.empty()) {
    curl_off_t announced = -1;
    curl_easy_getinfo(x.handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced);
    body.reserve(announced > 0 ? std::max(needed, static_cast<size_t>(announced)) : x.limits.max_response_bytes);
  }
  body.append(data, size);
  return size;
}

// Called once the connection is up, before the request is sent.
int OnConnected(void* user, char*, char*, int, int) {
  Exchange& x = *static_cast<Exchange*>(user);
  x.connected = true;
  x.last_byte = std::chrono::steady_clock::now();
  return CURL_PREREQFUNC_OK;
}

// libcurl's progress, at least once a second: the read timeout is the longest
// gap between bytes either way once connected (libcurl's own low-speed check
// averages over seconds, so a request's upload hides a silent peer).
int OnProgress(void* user, curl_off_t, curl_off_t received, curl_off_t, curl_off_t sent) {
  Exchange& x = *static_cast<Exchange*>(user);
  auto now = std::chrono::steady_clock::now();
  if (received != x.received || sent != x.sent) {
    x.received = received;
    x.sent = sent;
    x.last_byte = now;
  } else if (x.connected && now - x.last_byte > x.limits.request_timeout) {
    x.idle = true;
    return 1;  // stops the transfer: CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool IsAddressLiteral(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string Bracketed(const std::string& address) {
  return address.find(':') == std::string::npos ? address : "[" + address + "]";
}

}  // namespace

Result<PeerResponse> PeerHttp::Send(const PeerRequest& request) const {
  // Resolve first so that an unknown host gets its own message and the policy
  // sees every address; the connection goes to an address it saw (pinned for
  // libcurl, so a DNS answer that changes between check and connect cannot
  // slip by).
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
    if (inet_ntop(a->ai_family, raw, text, sizeof text) &&
        std::find(addresses.begin(), addresses.end(), text) == addresses.end())
      addresses.emplace_back(text);
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

  InitCurlOnce();
  CurlHandlePool::Lease curl = handles_->Take();
  if (!curl) return Status::Remote(federation_error::kPeerError, "cannot start a request to " + base_url_);
  CURL* h = curl.get();
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> pinned(nullptr, &curl_slist_free_all);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(nullptr, &curl_slist_free_all);
  auto append = [](auto& list, const std::string& line) {
    list.reset(curl_slist_append(list.release(), line.c_str()));
  };

  std::string port = std::to_string(port_);
  std::string url = scheme_ + "://" + Bracketed(host_) + ":" + port + prefix_ + request.path;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  if (!IsAddressLiteral(host_)) {
    std::string pin = host_ + ":" + port + ":";
    for (size_t i = 0; i < addresses.size(); ++i) pin += (i ? "," : "") + Bracketed(addresses[i]);
    append(pinned, pin);
    curl_easy_setopt(h, CURLOPT_RESOLVE, pinned.get());
  }
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_PROXY, "");  // never a proxy from the environment
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  if (scheme_ == "https") curl_easy_setopt(h, CURLOPT_CAINFO, "/etc/ssl/certs/ca-certificates.crt");

  // Time: connecting, then no byte for request_timeout (OnProgress), and the
  // whole exchange however the peer paces its bytes.
  auto deadline = limits_.connect_timeout + 2 * limits_.request_timeout;
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(deadline.count()));

  std::vector<std::pair<std::string, std::string>> sent_headers = request.headers;
  bool own_agent = false;
  for (const auto& [name, value] : request.headers) own_agent = own_agent || Lower(name) == "user-agent";
  if (!own_agent) sent_headers.emplace_back("User-Agent", std::string("charchive/") + CHARCHIVE_VERSION);
  std::optional<PieceBody> multipart;
  if (!request.parts.empty()) {
    std::string boundary = RandomBoundary();
    multipart.emplace(request.parts, boundary);
    sent_headers.emplace_back("Content-Type", "multipart/form-data; boundary=" + boundary);
  } else if (!request.content_type.empty()) {
    sent_headers.emplace_back("Content-Type", request.content_type);
  }
  for (const auto& [name, value] : sent_headers) append(header_list, name + ": " + value);
  append(header_list, "Expect:");  // the body goes at once, without waiting for 100 Continue

  if (request.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (multipart) {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_READFUNCTION, &PieceBody::Read);
      curl_easy_setopt(h, CURLOPT_READDATA, &*multipart);
      curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, &PieceBody::Seek);
      curl_easy_setopt(h, CURLOPT_SEEKDATA, &*multipart);
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(multipart->size()));
    } else {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    bool typed = std::any_of(sent_headers.begin(), sent_headers.end(),
                             [](const auto& header) { return Lower(header.first) == "content-type"; });
    if (!typed) append(header_list, "Content-Type:");  // not libcurl's form-urlencoded default
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());

  PeerResponse out;
  Exchange exchange{.limits = limits_, .out = out, .handle = h};
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeadLine);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, &OnConnected);
  curl_easy_setopt(h, CURLOPT_PREREQDATA, &exchange);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &exchange);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits_.max_response_bytes));
  char curl_error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_error);

  auto started = std::chrono::steady_clock::now();
  CURLcode code = curl_easy_perform(h);
  auto took = std::chrono::steady_clock::now() - started;
  if (code != CURLE_OK) {
    std::string why = curl_error[0] ? curl_error : curl_easy_strerror(code);
    // libcurl gives up by itself on a line past its own cap (100 KiB), which
    // our callback never sees whole.
    if (code == CURLE_OUT_OF_MEMORY && exchange.connected && exchange.refused_head.empty())
      exchange.refused_head = "a header line longer than " + Kib(limits_.max_header_line_bytes);
    if (!exchange.refused_head.empty()) {
      return Status::Remote(federation_error::kPeerBadResponse,
                            "the answer from " + base_url_ + " has " + exchange.refused_head + "; refused");
    }
    if (exchange.body_too_large || code == CURLE_FILESIZE_EXCEEDED) {
      return Status::Remote(federation_error::kPeerResponseTooLarge,
                            "the answer from " + base_url_ + " is larger than " +
                                std::to_string(limits_.max_response_bytes >> 20) + " MiB");
    }
    switch (code) {
      case CURLE_COULDNT_CONNECT:
        return Status::Remote(federation_error::kPeerUnreachable,
                              "cannot connect to " + base_url_ +
                                  " (connection refused or host unreachable; is the server running?)")
            .WithTransient(Transient::kUnreachable);
      case CURLE_ABORTED_BY_CALLBACK:  // OnProgress: the peer went silent
      case CURLE_OPERATION_TIMEDOUT:
        if (!exchange.connected) {
          return Status::Remote(federation_error::kPeerTimeout,
                                "timed out connecting to " + base_url_ + " after " + Seconds(limits_.connect_timeout))
              .WithTransient(Transient::kTimeout);
        }
        // libcurl's own timer may end the exchange a few milliseconds before ours says.
        if (took + std::chrono::milliseconds(100) >= deadline) {
          return Status::Remote(federation_error::kPeerTimeout, "no complete answer from " + base_url_ + " within " +
                                                                    Seconds(deadline) + " (the peer sends too slowly)")
              .WithTransient(Transient::kTimeout);
        }
        [[fallthrough]];
      case CURLE_GOT_NOTHING:
      case CURLE_RECV_ERROR:
      case CURLE_PARTIAL_FILE:
        return Status::Remote(federation_error::kPeerTimeout, "no complete answer from " + base_url_ + " within " +
                                                                  Seconds(limits_.request_timeout) +
                                                                  " (timed out or the connection was closed)")
            .WithTransient(Transient::kTimeout);
      case CURLE_SEND_ERROR:
        return Status::Remote(federation_error::kPeerUnreachable,
                              "the connection to " + base_url_ + " broke while sending the request")
            .WithTransient(Transient::kUnreachable);
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CERTPROBLEM:
        return Status::Remote(federation_error::kPeerTls, "TLS with " + base_url_ + " failed (" + why + ")");
      case CURLE_COULDNT_RESOLVE_HOST:
        return Status::Remote(federation_error::kPeerDns, "cannot resolve host '" + host_ + "' of " + base_url_);
      default:
        return Status::Remote(federation_error::kPeerError, "request to " + base_url_ + " failed (" + why + ")");
    }
  }
  if (out.body.capacity() > 2 * out.body.size() + 4096) out.body.shrink_to_fit();
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  out.status = static_cast<int>(status);
  // A peer that refuses an upload may answer before it read the body (a rate
  // limiter looks at the head only): what it left unread would be taken for
  // the next request on this connection, so the connection is closed.
  if (status >= 400 && (multipart || !request.body.empty())) curl_easy_cleanup(curl.release());
  std::vector<std::string> secrets = SecretsIn(sent_headers);
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
