#include "api/auth_filter.h"

#include <openssl/crypto.h>

#include "api/json_response.h"
#include "util/sha256.h"

namespace charchive::api {

AuthFilter::AuthFilter(const std::string& token) : token_digest_(Sha256Hex(token)) {}

bool AuthFilter::Admit(const httplib::Request& req, httplib::Response& res) const {
  if (req.path.rfind("/api/", 0) != 0 && req.path != "/api") return true;
  if (req.method == "GET" && req.path == "/api/health") return true;
  static constexpr std::string_view kBearer = "Bearer ";
  std::string header = req.get_header_value("Authorization");
  if (header.size() > kBearer.size() && std::string_view(header).substr(0, kBearer.size()) == kBearer) {
    std::string digest = Sha256Hex(std::string_view(header).substr(kBearer.size()));
    if (CRYPTO_memcmp(digest.data(), token_digest_.data(), digest.size()) == 0) return true;
  }
  res.set_header("WWW-Authenticate", "Bearer");
  WriteError(res, 401, header.empty() ? "missing Authorization: Bearer <token>" : "invalid token");
  return false;
}

}  // namespace charchive::api
