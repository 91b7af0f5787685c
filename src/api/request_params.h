// Request parsing the route files share: a numeric path parameter and a JSON
// object body. Pure functions of the request.
//
// Thread safety: pure; safe from any thread.
#pragma once

#include <httplib.h>

#include "card/card.h"
#include "store/card_record.h"
#include "util/result.h"

namespace charchive::api {

// The `index`th regex group as an id (routes match it as \d{1,18}).
CardId IdParam(const httplib::Request& req, size_t index = 1);

// The body as a JSON object; an empty body is {}; kInvalidInput "bad_json"
// otherwise.
Result<Json> ObjectBody(const httplib::Request& req);

}  // namespace charchive::api
