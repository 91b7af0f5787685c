// The tag manager's and bulk tag edit's routes: rename, merge and delete a
// tag everywhere (/api/tags/rename|merge|delete) and add or remove tags on
// chosen cards (/api/cards/bulk/tags). Each handler parses the request, calls
// one TagEditor method and answers the cards changed with the new tag counts.
//
// Thread safety: handlers run on the server's threads; TagEditor is safe there.
#pragma once

#include <httplib.h>

#include "store/archive.h"

namespace charchive::api {

void AddTagRoutes(httplib::Server& server, Archive& archive);

}  // namespace charchive::api
