// JSON responses and the one place where a Status becomes an HTTP status:
// invalid input 400, not found 404, conflict 409, peer failure 502 (504 when
// the peer timed out), anything
// else 500. Error bodies are always {"error": "...", "kind": "..."}: the kind
// is the Status's, or the one a refusal names, or the status's generic one
// (GenericErrorKind); the request log (api/request_log.h) reports it.
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>

#include "card/card.h"
#include "util/status.h"

namespace charchive::api {

int HttpStatusFor(const Status& status);
void WriteJson(httplib::Response& res, int http_status, const Json& body);
void WriteError(httplib::Response& res, const Status& status);
void WriteError(httplib::Response& res, int http_status, const std::string& message);
void WriteError(httplib::Response& res, int http_status, std::string_view kind, const std::string& message);
// bad_request, unauthenticated, forbidden, not_found, ... for an HTTP status.
std::string GenericErrorKind(int http_status);

}  // namespace charchive::api
