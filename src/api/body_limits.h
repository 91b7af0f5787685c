// Request body limits per route, checked from a request's head before any of
// its body is read (the pre-routing handler in api/server.cc): only /api
// routes and the hub inbox take a body at all; the login takes a few KiB,
// the inbox an activity's 4 MiB, the other /api routes (uploads, card JSON)
// the server's upload cap. A chunked body is refused (411): its size is not
// known before it is read.
//
// Thread safety: free functions without state.
#pragma once

#include <httplib.h>

#include <cstddef>

namespace charchive::api {

struct BodyLimits {
  size_t login_bytes = 8u << 10;  // POST /api/session
  size_t inbox_bytes = 4u << 20;  // POST /ap/inbox
  size_t api_bytes = 256u << 20;  // every other /api route
};

// The largest body `path` accepts; 0 for paths that take none.
size_t BodyLimitFor(const BodyLimits& limits, const std::string& path);

// True when the head declares a body `path` accepts; otherwise writes 411
// (chunked) or 413 (too large, or a Content-Length that is not a number).
bool BodySizeAcceptable(const BodyLimits& limits, const httplib::Request& req, httplib::Response& res);

}  // namespace charchive::api
