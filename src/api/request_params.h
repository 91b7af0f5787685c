// Request parsing the route files share: a numeric path parameter and a JSON
// object body. Pure functions of the request.
//
// Thread safety: pure; safe from any thread.
#pragma once

#include <httplib.h>

#include <vector>

#include "card/card.h"
#include "store/card_record.h"
#include "util/result.h"

namespace charchive::api {

// The route pattern of one card, /api/cards/ID, whose ID IdParam reads;
// routes below a card append to it.
inline constexpr char kCardRoute[] = R"(/api/cards/(\d{1,18}))";

// The `index`th regex group as an id (routes match it as \d{1,18}).
CardId IdParam(const httplib::Request& req, size_t index = 1);

// The query parameter `name` as a whole number from `min` to `max`;
// "bad_parameter" otherwise (the caller decides what an absent one means).
Result<int64_t> IntParam(const httplib::Request& req, const char* name, int64_t min, int64_t max);

// The body as a JSON object, read by the bounded reader (card/json_parse.h);
// an empty body is {}. kInvalidInput "bad_json" (not JSON, not an object),
// "json_too_deep" or "json_too_large" otherwise: every route that reads a
// JSON body reads it through here, so later copies and dumps are bounded.
Result<Json> ObjectBody(const httplib::Request& req);

// The body's `cardIds`: a non-empty array of positive ids, at most
// kMaxBulkCards; "bad_field" otherwise. Every bulk route reads it here.
inline constexpr size_t kMaxBulkCards = 10000;
Result<std::vector<CardId>> CardIds(const Json& body);

}  // namespace charchive::api
