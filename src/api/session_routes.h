// The web UI's login routes: POST /api/session {token} sets the session
// cookie and answers {csrfToken}; GET /api/session tells whether the caller is
// logged in (and its CSRF token); DELETE /api/session logs out.
#pragma once

#include <httplib.h>

#include "api/auth_filter.h"
#include "api/session_store.h"

namespace charchive::api {

void AddSessionRoutes(httplib::Server& server, const AuthFilter& auth, SessionStore& sessions);

}  // namespace charchive::api
