// SessionStore: the web UI's login sessions. A session is a random 256-bit
// id, sent to the browser in an HttpOnly, SameSite=Strict cookie, and a CSRF
// token the UI sends back in X-CSRF-Token on every state-changing request.
// Sessions are kept by the id's SHA-256 (a lookup compares no secret byte by
// byte, and the file never holds a usable cookie) and end at logout; with a
// file (DATA/sessions, mode 0600, written atomically) they survive restarts.
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

  // Without a path, sessions live in memory only.
  explicit SessionStore(std::string path = "");

  Session Create();
  // The session's CSRF token; nullopt for an unknown id.
  std::optional<std::string> CsrfFor(const std::string& id) const;
  void Remove(const std::string& id);

 private:
  void SaveLocked() const;  // best effort: a failed write only costs a login

  std::string path_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string> csrf_by_id_digest_;
};

// The value of cookie `name` in a Cookie header; empty when absent.
std::string CookieValue(const std::string& cookie_header, const std::string& name);

}  // namespace charchive::api
