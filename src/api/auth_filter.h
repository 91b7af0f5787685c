// The bearer-token check in front of every /api route except GET /api/health.
// Comparison is constant-time (over SHA-256 digests, so not even the length
// leaks). Stateless; safe from any thread.
#pragma once

#include <httplib.h>

#include <string>

namespace charchive::api {

class AuthFilter {
 public:
  explicit AuthFilter(const std::string& token);
  // True when the request may proceed; otherwise writes the 401 response.
  bool Admit(const httplib::Request& req, httplib::Response& res) const;

 private:
  std::string token_digest_;
};

}  // namespace charchive::api
