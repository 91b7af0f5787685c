// CardsHubSession: a logged-in client of CardsHub (docs/peers.md "CardsHub").
// CardsHub's one credential is the `cardshub_session` cookie that
// POST /api/auth/login {username, password} sets; the session logs in on the
// first request that needs it, keeps the cookie in memory only (in the
// service's SessionCookies, so the next adapter reuses it; never stored,
// never logged), and logs in anew once when a request is answered 401 (the
// cookie expired or the hub forgot it). A refused login is final (a wrong
// password); a 429 comes back as the transient failure HttpError makes, with
// the hub's Retry-After, for the caller's RetryPolicy to wait.
//
// Thread safety: Send and Login may be called from many threads; logins are
// made one at a time and the cookie is shared.
#pragma once

#include <mutex>
#include <string>

#include "federation/peer_http.h"
#include "federation/platform_adapter.h"
#include "federation/session_cookies.h"

namespace charchive::federation {

// CardsHub's own error text (its `{error}`), empty when the body has none.
std::string CardsHubErrorText(const PeerResponse& res);

class CardsHubSession {
 public:
  CardsHubSession(PeerHttp http, const PlatformConfig& config);

  // Sends with the session cookie, logging in first when there is none.
  // `what` names the route in errors ("CardsHub GET /api/cards/:slug").
  Result<PeerResponse> Send(PeerRequest request, const std::string& what);
  // Logs in now; the hub's `user` object ({id, username, displayName, …}).
  Result<Json> Login();
  // CardsHub answers 404, not 401, for a private card to a session it forgot,
  // as to anyone else: after a 404 this asks GET /api/auth/session whether the
  // session still names the user, and logs in anew when it does not. True when
  // it did (the request is worth sending once more).
  Result<bool> RenewIfExpired();

  const std::string& username() const { return username_; }

 private:
  // The cookie, logging in when `stale` is it (or there is none yet).
  Result<std::string> Cookie(const std::string& stale);

  PeerHttp http_;
  std::string username_;
  std::string password_;
  std::shared_ptr<SessionCookies> kept_;  // may be null
  std::string kept_key_;
  std::mutex login_mu_;  // held while a login for a missing or stale cookie is made
  std::mutex mu_;
  std::string cookie_;  // "cardshub_session=…", empty until logged in
};

}  // namespace charchive::federation
