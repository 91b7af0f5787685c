// The check in front of every /api route: a request is admitted with the
// bearer token (Authorization: Bearer, for scripts and the CLI) or with the
// web UI's session cookie; a cookie-authenticated request that changes state
// (POST, PUT, PATCH, DELETE) must also carry the session's X-CSRF-Token.
// GET /api/health and the login (POST /api/session) need neither.
// Comparisons are constant-time (over SHA-256 digests, so not even the length
// leaks). Wrong tokens count as failed logins per client address
// (LoginLimiter): past the limit every token attempt from that address gets
// 429 with Retry-After until the window frees it. Safe from any thread.
#pragma once

#include <httplib.h>

#include <string>

#include "api/login_limiter.h"
#include "api/session_store.h"

namespace charchive::api {

inline constexpr char kSessionCookie[] = "charchive_session";

class AuthFilter {
 public:
  AuthFilter(const std::string& token, SessionStore& sessions, LoginLimits limits = {});
  // True when the request may proceed; otherwise writes the 401/403 response.
  bool Admit(const httplib::Request& req, httplib::Response& res) const;
  // Whether `token` is the API token.
  bool IsToken(std::string_view token) const;
  // A login attempt from `client`: true when `token` is right and the client
  // is not locked out; otherwise writes the 401 or 429 response.
  bool Login(const std::string& client, std::string_view token, httplib::Response& res) const;

 private:
  std::string token_digest_;
  SessionStore& sessions_;
  mutable LoginLimiter limiter_;
};

}  // namespace charchive::api
