// The check in front of every /api route: a request is admitted with the
// bearer token (Authorization: Bearer, for scripts and the CLI) or with the
// web UI's session cookie; a cookie-authenticated request that changes state
// (POST, PUT, PATCH, DELETE) must also carry the session's X-CSRF-Token.
// GET /api/health and the login (POST /api/session) need neither.
// Comparisons are constant-time (over SHA-256 digests, so not even the length
// leaks). Safe from any thread.
#pragma once

#include <httplib.h>

#include <string>

#include "api/session_store.h"

namespace charchive::api {

inline constexpr char kSessionCookie[] = "charchive_session";

class AuthFilter {
 public:
  AuthFilter(const std::string& token, const SessionStore& sessions);
  // True when the request may proceed; otherwise writes the 401/403 response.
  bool Admit(const httplib::Request& req, httplib::Response& res) const;
  // Whether `token` is the API token.
  bool IsToken(std::string_view token) const;

 private:
  std::string token_digest_;
  const SessionStore& sessions_;
};

}  // namespace charchive::api
