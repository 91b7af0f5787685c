// The store's card-source value types (docs/sources.md): a source's settings,
// the state kept per card taken from a source, a blocked card, and a sync run.
// Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/card_record.h"

namespace charchive {

struct SourceRecord {
  std::string source;  // chub | ct
  std::string display_name;
  std::string base_url;
  std::string image_base_url;
  std::optional<std::string> api_key_sealed;
  std::string filters_json = "{}";  // {tags, creators, nsfw, min_tokens}
  int64_t interval_minutes = 0;     // 0: no schedule
  int64_t request_interval_ms = 1000;
  bool enabled = false;
  std::string cursor_json = "{}";  // per listing: the newest change seen by the last complete run
  std::optional<std::string> last_run_at;
  std::string updated_at;
};

// A settings change; absent fields keep their value.
struct SourceUpdate {
  std::optional<std::string> base_url;
  std::optional<std::string> image_base_url;
  std::optional<std::optional<std::string>> api_key_sealed;  // nullopt inside: clear
  std::optional<std::string> filters_json;
  std::optional<int64_t> interval_minutes;
  std::optional<int64_t> request_interval_ms;
  std::optional<bool> enabled;
};

struct SourceCardState {
  std::string source;
  std::string source_id;
  CardId card_id = 0;
  std::string remote_updated_at;
  int64_t token_count = 0;
  std::string content_hash;  // the source's content at the last sync
  std::string local_hash;    // the archive's content at the last sync
  std::optional<int64_t> base_version_id;
  std::string status = "synced";  // synced | conflict
  std::optional<std::string> pending_json;
  std::string message;
  std::string synced_at;
};

struct SourceBlock {
  std::string source;
  std::string source_id;
  std::string card_name;
  std::string blocked_at;
};

struct SourceRun {
  int64_t id = 0;
  std::string source;
  std::string status;  // queued | running | done | failed | cancelled
  bool full = false;
  std::string trigger;  // cli | api | schedule
  int64_t pages = 0;
  int64_t seen = 0;
  int64_t new_cards = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t conflicts = 0;
  int64_t blocked = 0;
  int64_t failed = 0;
  int64_t requests = 0;
  std::string message;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> finished_at;
};

}  // namespace charchive
