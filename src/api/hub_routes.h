// The hub node's HTTP routes (docs/api.md "Hub node", docs/federation.md "Hub
// federation"). Public, outside /api and its auth: WebFinger, NodeInfo, the
// actor, outbox, followers/following, card objects and images, and the inbox
// (which verifies HTTP Signatures itself). For the owner, under /api/hub:
// settings, publish flags, follow/unfollow, answering followers.
#pragma once

#include <httplib.h>

#include "federation/hub_node.h"

namespace charchive::api {

void AddHubRoutes(httplib::Server& server, federation::HubNode& hub);

}  // namespace charchive::api
