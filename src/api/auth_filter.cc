#include "api/auth_filter.h"

#include <openssl/crypto.h>

#include "api/json_response.h"
#include "util/sha256.h"

namespace charchive::api {
namespace {

bool SameSecret(std::string_view a, std::string_view b) {
  std::string da = Sha256Hex(a), db = Sha256Hex(b);
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

}  // namespace

AuthFilter::AuthFilter(const std::string& token, SessionStore& sessions, LoginLimits limits)
    : token_digest_(Sha256Hex(token)), sessions_(sessions), limiter_(limits) {}

bool AuthFilter::IsToken(std::string_view token) const {
  std::string digest = Sha256Hex(token);
  return CRYPTO_memcmp(digest.data(), token_digest_.data(), digest.size()) == 0;
}

bool AuthFilter::Login(const std::string& client, std::string_view token, httplib::Response& res) const {
  if (int wait = limiter_.RetryAfter(client); wait > 0) {
    res.set_header("Retry-After", std::to_string(wait));
    WriteError(res, 429, "login_rate_limited",
               "too many failed logins from " + client + "; try again in " + std::to_string(wait) + " s");
    return false;
  }
  if (IsToken(token)) return true;
  limiter_.RecordFailure(client);
  res.set_header("WWW-Authenticate", "Bearer");
  WriteError(res, 401, "wrong_token", "wrong token");
  return false;
}

bool AuthFilter::Admit(const httplib::Request& req, httplib::Response& res) const {
  if (req.path.rfind("/api/", 0) != 0 && req.path != "/api") return true;
  if (req.method == "GET" && req.path == "/api/health") return true;
  if (req.method == "POST" && req.path == "/api/session") return true;
  static constexpr std::string_view kBearer = "Bearer ";
  std::string header = req.get_header_value("Authorization");
  if (!header.empty()) {
    std::string_view token = std::string_view(header).substr(0, kBearer.size()) == kBearer
                                 ? std::string_view(header).substr(kBearer.size())
                                 : std::string_view();
    return Login(req.remote_addr, token, res);
  }
  auto csrf = sessions_.CsrfFor(CookieValue(req.get_header_value("Cookie"), kSessionCookie));
  if (header.empty() && csrf) {
    bool changes_state = req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS";
    if (!changes_state || SameSecret(req.get_header_value("X-CSRF-Token"), *csrf)) return true;
    WriteError(res, 403, "bad_csrf_token", "missing or wrong X-CSRF-Token for this session");
    return false;
  }
  res.set_header("WWW-Authenticate", "Bearer");
  WriteError(res, 401, "no_credentials", "log in, or send Authorization: Bearer <token>");
  return false;
}

}  // namespace charchive::api
