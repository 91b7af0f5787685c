// The web UI's login routes: POST /api/session {token} sets the session
// cookie and answers {csrfToken}; GET /api/session tells whether the caller is
// logged in (and its CSRF token); DELETE /api/session logs out. A login must
// come from our own origin (Sec-Fetch-Site: same-origin, or an Origin equal to
// the Host; a client that sends neither is not a browser) with the token as
// application/json; any other is answered 403 without counting as a failed
// login, so that another site's page cannot lock the owner out.
#pragma once

#include <httplib.h>

#include "api/auth_filter.h"
#include "api/session_store.h"

namespace charchive::api {

void AddSessionRoutes(httplib::Server& server, const AuthFilter& auth, SessionStore& sessions);

}  // namespace charchive::api
