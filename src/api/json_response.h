// JSON responses and the one place where a Status becomes an HTTP status:
// invalid input 400, not found 404, conflict 409, peer failure 502 (504 when
// the peer timed out), anything
// else 500. Error bodies are always {"error": "..."}.
#pragma once

#include <httplib.h>

#include "card/card.h"
#include "util/status.h"

namespace charchive::api {

int HttpStatusFor(const Status& status);
void WriteJson(httplib::Response& res, int http_status, const Json& body);
void WriteError(httplib::Response& res, const Status& status);
void WriteError(httplib::Response& res, int http_status, const std::string& message);

}  // namespace charchive::api
