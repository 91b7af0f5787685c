// The store's federation value types: a platform's settings, a card's sync
// state on one platform, and one sync-history event. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/card_record.h"

namespace charchive {

struct PlatformRecord {
  int64_t id = 0;
  std::string platform;  // "architect" | "sillytavern" | "hub"
  std::string display_name;
  std::string base_url;
  std::optional<std::string> api_key_sealed;  // SecretBox text; never leaves the service
  std::string auth_kind;  // none | bearer | basic | sillytavern-csrf
  std::string username;
  std::string options_json = "{}";
  bool enabled = false;
  std::optional<std::string> last_connected_at;
  std::string created_at;
  std::string updated_at;
};

// Fields an update sets; absent ones keep their value.
struct PlatformUpdate {
  std::optional<std::string> display_name;
  std::optional<std::string> base_url;
  // Absent: keep the stored key; present and null: clear it.
  std::optional<std::optional<std::string>> api_key_sealed;
  std::optional<std::string> auth_kind;
  std::optional<std::string> username;
  std::optional<std::string> options_json;
  std::optional<bool> enabled;
};

struct SyncRecord {
  int64_t id = 0;
  CardId card_id = 0;
  std::string platform;
  std::optional<std::string> platform_id;
  std::optional<std::string> last_sync_at;
  std::optional<std::string> local_hash;
  std::optional<std::string> remote_hash;
  std::optional<std::string> remote_updated_at;
  std::optional<int64_t> base_version_id;
  std::string status;  // pending | synced | conflict | error
  std::optional<std::string> error_message;
  std::string created_at;
  std::string updated_at;
  // From the platform row.
  std::string display_name;
  std::string base_url;
  bool enabled = false;
};

// What an exchange that reached the peer establishes. A push whose read-back
// failed still records the platform id (status "error"), so the next push
// overwrites that copy instead of making another.
struct SyncSuccess {
  std::string platform_id;
  std::string local_hash;
  std::optional<std::string> remote_hash;
  std::optional<std::string> remote_updated_at;
  std::optional<int64_t> base_version_id;
  // The peer's copy as read back now (its card JSON): the remote base of the
  // next sync. Absent when it was not read back; the stored one is cleared
  // then, so a base never outlives the exchange it belongs to.
  std::optional<std::string> remote_base_json;
  std::string status = "synced";
  std::optional<std::string> error_message;
};

// A card tracked on a platform, for the platform's card list.
struct PlatformCard {
  SyncRecord sync;
  std::string name;
  std::string creator;
  std::string spec;
  std::vector<std::string> tags;
  std::string content_hash;
  std::string updated_at;
};

struct BulkSyncStatus {
  CardId card_id = 0;
  std::string name;
  std::vector<std::string> synced_platforms;
  std::vector<std::string> remote_deleted_platforms;  // the peer deleted its copy
  int64_t active_syncs = 0;  // tracked platforms
  int64_t error_syncs = 0;
};

struct EventRecord {
  int64_t id = 0;
  std::optional<CardId> card_id;
  std::string platform;
  std::string action;  // push | pull | test | conflict | resolve | unlink
  std::string status;  // ok | error | conflict
  std::optional<std::string> platform_id;
  std::optional<std::string> local_hash;
  std::optional<std::string> remote_hash;
  std::string trigger = "api";  // api | cli | job
  std::string message;
  std::string created_at;
};

struct EventFilter {
  std::optional<CardId> card_id;
  std::optional<std::string> platform;
  std::optional<std::string> status;
  std::optional<int64_t> before_id;  // events older than this id
  int64_t limit = 100;
};

}  // namespace charchive
