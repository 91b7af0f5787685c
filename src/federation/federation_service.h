// FederationService: the archive's side of federation (design.md §5-§7):
// platform settings with their secrets sealed at rest, pushes of cards to a
// platform with the sync state and history they leave, bulk pushes with
// bounded concurrency, and the sync-state queries the API and the CLI show.
// The API's routes and `charchive push|status` call this one service.
//
// A push sends the card's current content; the peer is read back and both
// content hashes are recorded, so later syncs tell a local edit from a remote
// one (docs/federation.md). A card pushed before is overwritten in place
// (same platform id), never duplicated. Without `overwrite`, a card changed on
// the peer since the last sync is not overwritten: the state becomes
// `conflict`. A failed push changes no card: the state becomes `error` with
// the message, and the event is recorded.
//
// Thread safety: all methods may be called concurrently; pushes of the same
// card to the same platform are serialized.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "federation/platform_adapter.h"
#include "store/archive.h"
#include "store/federation_records.h"
#include "util/secret_box.h"

namespace charchive::federation {

// A settings change; absent fields keep their value.
struct PlatformSettings {
  std::optional<std::string> display_name;
  std::optional<std::string> base_url;
  // Absent or empty: keep the stored key; present and null: clear it.
  std::optional<std::optional<std::string>> api_key;
  std::optional<std::string> auth_kind;
  std::optional<std::string> username;
  std::optional<Json> options;  // {use_cforge: bool, timeout_seconds: 1..300}
  std::optional<bool> enabled;
};

struct ConnectionTest {
  bool connected = false;
  Json data;          // what the peer said about itself
  std::string error;  // why not, when not connected
};

struct PushOptions {
  bool overwrite = false;
  std::string trigger = "api";  // recorded in the history: api | cli | job
};

struct PushResult {
  CardId card_id = 0;
  Status status;            // ok, or why this card was not pushed
  std::string platform_id;  // the peer's id for the card (SillyTavern: file name without .png)
};

struct BulkPushOptions : PushOptions {
  int concurrency = 4;
  // Called after each card (from worker threads, one call at a time).
  std::function<void(const PushResult&, size_t done, size_t total)> progress;
};

struct BulkPushReport {
  size_t total = 0;
  size_t succeeded = 0;
  size_t failed = 0;
  std::vector<PushResult> results;  // in the order of the ids asked for
};

class FederationService {
 public:
  // The secret key lives in <data dir>/secret.key (0600), made on first use.
  static Result<std::unique_ptr<FederationService>> Open(Archive& archive);

  Result<std::vector<PlatformRecord>> Platforms();
  // kNotFound "unknown_platform".
  Result<PlatformRecord> Platform(const std::string& platform);
  // Validates and applies; kInvalidInput names the bad field.
  Result<PlatformRecord> UpdatePlatform(const std::string& platform, const PlatformSettings& settings);
  // Reaches the peer with the stored settings; success sets last_connected_at.
  // Only settings problems fail; an unreachable peer is {connected: false}.
  Result<ConnectionTest> TestPlatform(const std::string& platform, const std::string& trigger = "api");

  Result<std::vector<SyncRecord>> CardSyncs(CardId card_id);
  Result<PushResult> Push(CardId card_id, const std::string& platform, const PushOptions& options);
  // Never stops at one card's failure; fails only when the platform cannot be
  // used at all (unknown, disabled, unconfigured).
  Result<BulkPushReport> BulkPush(const std::string& platform, const std::vector<CardId>& card_ids,
                                  const BulkPushOptions& options);
  Result<std::vector<PlatformCard>> PlatformCards(const std::string& platform, const std::optional<std::string>& status);
  // Forgets sync states (the peer's copies stay); platform empty: all.
  Result<int> Unlink(CardId card_id, const std::string& platform);
  Result<std::vector<BulkSyncStatus>> BulkStatus(const std::vector<CardId>& card_ids);
  Result<std::vector<std::pair<std::string, int64_t>>> StatusCounts(const std::string& platform);
  Result<std::vector<EventRecord>> Events(const EventFilter& filter);

 private:
  FederationService(Archive& archive, SecretBox secrets) : archive_(archive), secrets_(std::move(secrets)) {}

  // The platform's adapter, or kConflict naming what to configure.
  Result<std::unique_ptr<PlatformAdapter>> UsableAdapter(const std::string& platform);
  Result<PlatformConfig> ConfigFor(const PlatformRecord& record) const;
  Result<PushResult> PushWith(PlatformAdapter& adapter, CardId card_id, const std::string& platform,
                              const PushOptions& options);
  void RecordEvent(EventRecord event);

  // Serializes work on one (card, platform) pair.
  class PairLock;

  Archive& archive_;
  SecretBox secrets_;
  std::mutex busy_mu_;
  std::condition_variable busy_cv_;
  std::set<std::pair<CardId, std::string>> busy_;
};

}  // namespace charchive::federation
