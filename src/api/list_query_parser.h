// Reads GET /api/cards query parameters into a ListQuery, rejecting bad values
// with an error naming the parameter (page, limit, sort, order, spec,
// favorite, has_lorebook). Pure function.
#pragma once

#include <httplib.h>

#include "store/card_record.h"
#include "util/result.h"

namespace charchive::api {

Result<ListQuery> ParseListQuery(const httplib::Request& req);

}  // namespace charchive::api
