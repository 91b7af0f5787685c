// HubIdentity: who this archive is on ActivityPub — its public URL (where
// other nodes reach it; set by `charchive serve --public-url` or the node
// settings) and its RSA key pair (DATA/federation.key, made on first use).
// The node signs its deliveries with it, and the hub adapter its pushes.
//
// Thread safety: immutable once loaded; share it freely.
#pragma once

#include <memory>

#include "federation/activity_documents.h"
#include "federation/http_signature.h"
#include "store/archive.h"

namespace charchive::federation {

struct HubIdentity {
  NodeKey key;
  NodeUrls urls;
};

// kConflict "no_public_url" when the node's public URL was never set.
Result<std::shared_ptr<const HubIdentity>> LoadHubIdentity(Archive& archive);

// "http(s)://host[:port]" without a path or trailing slash; kInvalidInput
// "bad_field" otherwise.
Result<std::string> NormalizePublicUrl(const std::string& url);

}  // namespace charchive::federation
