// SillyTavernSession: what a program must carry to call a SillyTavern server
// (docs/peers.md "SillyTavern's native API"): the CSRF token from GET /csrf-token with the
// session cookies it sets (names vary per host, so they are read from
// Set-Cookie), and Basic credentials when the server runs with basicAuthMode.
// A POST refused for its CSRF token is retried once with a fresh session.
//
// Thread safety: Send may be called from many threads; the session is set up
// once and shared.
#pragma once

#include <mutex>
#include <string>

#include "federation/peer_http.h"
#include "federation/platform_adapter.h"

namespace charchive::federation {

class SillyTavernSession {
 public:
  SillyTavernSession(PeerHttp http, const PlatformConfig& config);

  // Sends with the auth headers; state-changing methods carry the CSRF token.
  Result<PeerResponse> Send(PeerRequest request);
  // GET /csrf-token now: whether CSRF protection is on.
  Result<bool> Refresh();

  const PeerHttp& http() const { return http_; }

 private:
  struct Credentials {
    std::string csrf_token;  // empty when protection is off
    std::string cookies;
  };
  Result<Credentials> Current(bool refresh);
  void AddBasicAuth(PeerRequest& request) const;

  PeerHttp http_;
  std::string basic_auth_;  // "Basic ..." or empty
  std::mutex mu_;
  bool have_credentials_ = false;
  Credentials credentials_;
};

}  // namespace charchive::federation
