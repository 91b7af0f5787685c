// SessionStore: the web UI's login sessions. A session is a random 256-bit
// id, sent to the browser in an HttpOnly, SameSite=Strict cookie, and a CSRF
// token the UI sends back in X-CSRF-Token on every state-changing request.
// Sessions are kept by the id's SHA-256 (a lookup compares no secret byte by
// byte, and the file never holds a usable cookie) and end at logout, after
// kIdleLimit without use, or kLifetime after the login, whichever comes first:
// the server forgets them, whatever the browser still holds. With a file
// (DATA/sessions, mode 0600, written atomically) they survive restarts.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace charchive::api {

class SessionStore {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  static constexpr std::chrono::hours kIdleLimit{7 * 24};
  static constexpr std::chrono::hours kLifetime{30 * 24};

  struct Session {
    std::string id;    // the cookie's value
    std::string csrf;  // the CSRF token
  };

  // Without a path, sessions live in memory only. `now` is the wall clock
  // (tests pass their own).
  explicit SessionStore(std::string path = "", Clock now = std::chrono::system_clock::now);

  Session Create();
  // The session's CSRF token, and the session counts as used now; nullopt for
  // an unknown or expired id (an expired one is forgotten).
  std::optional<std::string> CsrfFor(const std::string& id);
  void Remove(const std::string& id);

 private:
  struct Entry {
    std::string csrf;
    int64_t created = 0;    // seconds since the epoch
    int64_t last_used = 0;  // seconds since the epoch; saved at most hourly
    int64_t saved_last_used = 0;
  };
  int64_t NowSeconds() const;
  bool ExpiredLocked(const Entry& e, int64_t now) const;
  void SaveLocked();  // best effort: a failed write only costs a login

  std::string path_;
  Clock now_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> by_id_digest_;
};

// The value of cookie `name` in a Cookie header; empty when absent.
std::string CookieValue(const std::string& cookie_header, const std::string& name);

}  // namespace charchive::api
