// The store's federation value types: a platform's settings, a card's sync
// state on one platform, and one sync-history event. Plain data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/card_record.h"

namespace charchive {

// A card's state on one platform. Its names are what the database keeps
// (federation_sync.status) and the API and CLI show; they are converted only
// there (SyncStateName, ParseSyncState).
enum class SyncState { kPending, kSynced, kConflict, kError, kRemoteDeleted };
inline constexpr std::array<SyncState, 5> kSyncStates = {SyncState::kPending, SyncState::kSynced, SyncState::kConflict,
                                                         SyncState::kError, SyncState::kRemoteDeleted};

// "pending", "synced", "conflict", "error", "remote_deleted".
constexpr const char* SyncStateName(SyncState state) {
  switch (state) {
    case SyncState::kPending:
      return "pending";
    case SyncState::kSynced:
      return "synced";
    case SyncState::kConflict:
      return "conflict";
    case SyncState::kError:
      return "error";
    case SyncState::kRemoteDeleted:
      return "remote_deleted";
  }
  return "error";
}

// The state a name stands for; nullopt for any other text.
inline std::optional<SyncState> ParseSyncState(std::string_view name) {
  for (SyncState state : kSyncStates) {
    if (name == SyncStateName(state)) return state;
  }
  return std::nullopt;
}

// The peers the archive federates with. Their names ("architect",
// "sillytavern", "hub" for CardsHub, "archive" for another Character Archive
// over ActivityPub) key the database's rows and the API's routes, so records
// keep the name; code that acts on the kind of peer compares the enum.
enum class PlatformKind { kArchitect, kSillyTavern, kCardsHub, kArchive };
inline constexpr std::array<PlatformKind, 4> kPlatformKinds = {PlatformKind::kArchitect, PlatformKind::kSillyTavern,
                                                               PlatformKind::kCardsHub, PlatformKind::kArchive};

constexpr const char* PlatformName(PlatformKind platform) {
  switch (platform) {
    case PlatformKind::kArchitect:
      return "architect";
    case PlatformKind::kSillyTavern:
      return "sillytavern";
    case PlatformKind::kCardsHub:
      return "hub";
    case PlatformKind::kArchive:
      return "archive";
  }
  return "architect";
}

// The platform a name stands for; nullopt for any other text.
inline std::optional<PlatformKind> ParsePlatformKind(std::string_view name) {
  for (PlatformKind platform : kPlatformKinds) {
    if (name == PlatformName(platform)) return platform;
  }
  return std::nullopt;
}

// How the archive authenticates to a platform. Its names ("none", "bearer",
// "basic", "sillytavern-csrf", "login") are what the database keeps and the API
// and CLI take and show; they are converted only there. `login` is a user name
// and password (the sealed key) exchanged for a session cookie (CardsHub).
enum class AuthKind { kNone, kBearer, kBasic, kSillyTavernCsrf, kLogin };
inline constexpr std::array<AuthKind, 5> kAuthKinds = {AuthKind::kNone, AuthKind::kBearer, AuthKind::kBasic,
                                                       AuthKind::kSillyTavernCsrf, AuthKind::kLogin};

constexpr const char* AuthKindName(AuthKind kind) {
  switch (kind) {
    case AuthKind::kNone:
      return "none";
    case AuthKind::kBearer:
      return "bearer";
    case AuthKind::kBasic:
      return "basic";
    case AuthKind::kSillyTavernCsrf:
      return "sillytavern-csrf";
    case AuthKind::kLogin:
      return "login";
  }
  return "none";
}

// The kind a name stands for; nullopt for any other text.
inline std::optional<AuthKind> ParseAuthKind(std::string_view name) {
  for (AuthKind kind : kAuthKinds) {
    if (name == AuthKindName(kind)) return kind;
  }
  return std::nullopt;
}

struct PlatformRecord {
  int64_t id = 0;
  std::string platform;  // a PlatformName
  std::string display_name;
  std::string base_url;
  std::optional<std::string> api_key_sealed;  // SecretBox text; never leaves the service
  AuthKind auth_kind = AuthKind::kNone;
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
  std::optional<AuthKind> auth_kind;
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
  SyncState status = SyncState::kPending;
  std::optional<std::string> error_message;
  std::string created_at;
  std::string updated_at;
  // From the platform row.
  std::string display_name;
  std::string base_url;
  bool enabled = false;

  // Pushed, but the peer's copy was never read back (the read-back after the
  // push failed): the link has a platform id and the archive's hash, but no
  // remote hash and no remote base. The next push or sync reads the peer's
  // copy first and decides three ways against what was pushed; nothing is
  // overwritten blindly (docs/federation.md "Unverified links").
  bool unverified() const { return platform_id && local_hash && !remote_hash; }
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
  SyncState status = SyncState::kSynced;
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
  int64_t active_syncs = 0;                           // tracked platforms
  int64_t error_syncs = 0;
};

struct EventRecord {
  int64_t id = 0;
  std::optional<CardId> card_id;
  std::string platform;
  std::string
      action;  // push | pull | sync | test | conflict | resolve | relink | unlink | delete | visibility | unpublish
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
