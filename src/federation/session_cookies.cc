#include "federation/session_cookies.h"

#include "util/sha256.h"

namespace charchive::federation {

std::string SessionCookies::KeyFor(const std::string& base_url, const std::string& username,
                                   const std::string& password) {
  return base_url + "\n" + username + "\n" + Sha256Hex(password);
}

std::string SessionCookies::Get(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = cookies_.find(key);
  return it == cookies_.end() ? "" : it->second;
}

void SessionCookies::Put(const std::string& key, const std::string& cookie) {
  std::lock_guard lock(mu_);
  cookies_[key] = cookie;
}

}  // namespace charchive::federation
