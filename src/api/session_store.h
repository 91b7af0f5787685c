// SessionStore: the web UI's login sessions. A session is a random 256-bit
// id, sent to the browser in an HttpOnly, SameSite=Strict cookie, and a CSRF
// token the UI sends back in X-CSRF-Token on every state-changing request.
// Sessions live in memory (keyed by the id's SHA-256, so a lookup does not
// compare secrets byte by byte) and end at logout or when the server stops.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace charchive::api {

class SessionStore {
 public:
  struct Session {
    std::string id;    // the cookie's value
    std::string csrf;  // the CSRF token
  };

  Session Create();
  // The session's CSRF token; nullopt for an unknown id.
  std::optional<std::string> CsrfFor(const std::string& id) const;
  void Remove(const std::string& id);

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string> csrf_by_id_digest_;
};

// The value of cookie `name` in a Cookie header; empty when absent.
std::string CookieValue(const std::string& cookie_header, const std::string& name);

}  // namespace charchive::api
