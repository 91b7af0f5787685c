// JSON shapes of the federation routes (docs/api.md "The plan's contract"): platforms with the
// key masked, sync states, push results, tracked cards, bulk status, events.
// Pure functions.
#pragma once

#include "card/card.h"
#include "federation/federation_service.h"

namespace charchive::api {

// api_key is "***configured***" or null: the secret never leaves the server.
Json PlatformJson(const PlatformRecord& platform);
Json SyncStateJson(const SyncRecord& sync);
// [{item, sent, stored, text}]: what the peer changed in the card as it stored
// it, each with one sentence naming `peer` (sync/import_rewrites.h).
Json ImportRewritesJson(const std::vector<sync::Rewrite>& rewrites, const std::string& peer);
// SillyTavern answers {filename}, Architect {remoteId}, as the plan's client expects.
Json PushResultJson(const std::string& platform, const federation::PushResult& result);
Json PlatformCardJson(const PlatformCard& card);
Json BulkSyncStatusJson(const BulkSyncStatus& status);
Json EventJson(const EventRecord& event);

}  // namespace charchive::api
