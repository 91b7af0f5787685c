#include "federation/federation_service.h"

#include <algorithm>

#include "card/archive_marker.h"
#include "card/card_file.h"
#include "card/content_hash.h"
#include "federation/archive_identity.h"
#include "federation/errors.h"
#include "federation/hub_identity.h"
#include "federation/peer_http.h"
#include "federation/remote_content.h"
#include "federation/sync_log.h"
#include "store/federation_repository.h"
#include "util/parallel_for.h"

namespace charchive::federation {
namespace {

namespace repo = federation_repository;

constexpr char kVisibilities[] = "public, private, nsfw_only, unlisted";

bool IsCardsHubVisibility(const std::string& visibility) {
  return visibility == "public" || visibility == "private" || visibility == "nsfw_only" || visibility == "unlisted";
}

Status ValidateOptions(const Json& options) {
  if (!options.is_object()) return Status::Invalid(federation_error::kBadField, "options must be an object");
  for (const auto& [key, value] : options.items()) {
    if (key == "use_cforge") {
      if (!value.is_boolean())
        return Status::Invalid(federation_error::kBadField, "options.use_cforge must be true or false");
    } else if (key == "timeout_seconds") {
      if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > 300) {
        return Status::Invalid(federation_error::kBadField,
                               "options.timeout_seconds must be a whole number from 1 to 300");
      }
    } else if (key == "auto_push") {
      if (!value.is_boolean())
        return Status::Invalid(federation_error::kBadField, "options.auto_push must be true or false");
    } else if (key == "poll_minutes") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 1440) {
        return Status::Invalid(federation_error::kBadField,
                               "options.poll_minutes must be a whole number from 0 (off) to 1440");
      }
    } else if (key == "visibility") {
      if (!value.is_string() || !IsCardsHubVisibility(value.get<std::string>())) {
        return Status::Invalid(federation_error::kBadField,
                               "options.visibility must be one of " + std::string(kVisibilities));
      }
    } else if (key == "pull_public") {
      if (!value.is_boolean())
        return Status::Invalid(federation_error::kBadField, "options.pull_public must be true or false");
    } else if (key == "pull_search" || key == "pull_tags") {
      if (!value.is_string() || value.get<std::string>().size() > 200) {
        return Status::Invalid(federation_error::kBadField, "options." + key + " must be text of at most 200 bytes");
      }
    } else if (key == "pull_max_cards") {
      if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > 10000) {
        return Status::Invalid(federation_error::kBadField,
                               "options.pull_max_cards must be a whole number from 1 to 10000");
      }
    } else {
      return Status::Invalid(federation_error::kBadField,
                             "unknown option '" + key +
                                 "' (known: use_cforge, timeout_seconds, auto_push, poll_minutes, "
                                 "visibility, pull_public, pull_search, pull_tags, pull_max_cards)");
    }
  }
  return Status::Ok();
}

// The record as it would be once `update` is saved.
PlatformRecord WithUpdate(PlatformRecord record, const PlatformUpdate& update) {
  if (update.display_name) record.display_name = *update.display_name;
  if (update.base_url) record.base_url = *update.base_url;
  if (update.api_key_sealed) record.api_key_sealed = *update.api_key_sealed;
  if (update.auth_kind) record.auth_kind = *update.auth_kind;
  if (update.username) record.username = *update.username;
  if (update.options_json) record.options_json = *update.options_json;
  if (update.enabled) record.enabled = *update.enabled;
  return record;
}

Result<std::string> RemoteHash(const RemoteCard& remote, const std::string& display_name) {
  CHARCHIVE_ASSIGN_OR_RETURN(Card card, ParseRemote(remote, display_name));
  return ContentHash(card);
}

}  // namespace

Result<std::unique_ptr<FederationService>> FederationService::Open(Archive& archive, RetryPolicy retry) {
  CHARCHIVE_ASSIGN_OR_RETURN(SecretBox secrets, SecretBox::OpenOrCreate(archive.data_dir() + "/secret.key"));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string archive_id, LoadOrCreateArchiveId(archive.data_dir()));
  return std::unique_ptr<FederationService>(
      new FederationService(archive, std::move(secrets), std::move(retry), std::move(archive_id)));
}

Result<std::vector<PlatformRecord>> FederationService::Platforms() {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::ListPlatforms(*db);
}

Result<PlatformRecord> FederationService::Platform(const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::GetPlatform(*db, platform);
}

Result<PlatformRecord> FederationService::UpdatePlatform(const std::string& platform, const PlatformSettings& s) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord current, repo::GetPlatform(*db, platform));
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformUpdate update, ValidatedUpdate(current, s));
  CHARCHIVE_RETURN_IF_ERROR(repo::UpdatePlatform(*db, platform, update));
  return repo::GetPlatform(*db, platform);
}

Result<PlatformUpdate> FederationService::ValidatedUpdate(const PlatformRecord& current,
                                                          const PlatformSettings& s) const {
  PlatformUpdate update;
  if (s.display_name) {
    if (s.display_name->empty()) return Status::Invalid(federation_error::kBadField, "display_name must not be empty");
    update.display_name = s.display_name;
  }
  if (s.base_url) {
    std::string url = *s.base_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (!url.empty()) {
      auto parsed = PeerHttp::ForBaseUrl(url);
      if (!parsed.ok()) return Status::Invalid(federation_error::kBadField, "base_url: " + parsed.status().message());
    }
    update.base_url = url;
  }
  if (s.api_key) {
    if (!s.api_key->has_value()) {
      update.api_key_sealed = std::optional<std::string>();
    } else if (!(*s.api_key)->empty()) {
      update.api_key_sealed = secrets_.Seal(**s.api_key);
    }
  }
  if (s.auth_kind) {
    update.auth_kind = ParseAuthKind(*s.auth_kind);
    if (!update.auth_kind) {
      return Status::Invalid(federation_error::kBadField,
                             "auth_kind must be one of none, bearer, basic, sillytavern-csrf, login");
    }
  }
  update.username = s.username;
  if (s.options) {
    CHARCHIVE_RETURN_IF_ERROR(ValidateOptions(*s.options));
    Json merged = Json::parse(current.options_json, nullptr, false);
    if (!merged.is_object()) merged = Json::object();
    merged.update(*s.options);
    update.options_json = merged.dump();
  }
  update.enabled = s.enabled;
  return update;
}

Result<PlatformConfig> FederationService::ConfigFor(const PlatformRecord& record) const {
  PlatformConfig config;
  config.platform = record.platform;
  config.display_name = record.display_name;
  config.base_url = record.base_url;
  config.auth_kind = record.auth_kind;
  config.username = record.username;
  config.session_cookies = session_cookies_;
  if (record.api_key_sealed) {
    CHARCHIVE_ASSIGN_OR_RETURN(config.api_key, secrets_.Open(*record.api_key_sealed));
  }
  Json options = Json::parse(record.options_json, nullptr, false);
  if (options.is_object()) {
    config.use_cforge = options.value("use_cforge", false);
    config.request_timeout = std::chrono::seconds(options.value("timeout_seconds", 30));
    config.cardshub.visibility = options.value("visibility", config.cardshub.visibility);
    config.cardshub.pull_public = options.value("pull_public", false);
    config.cardshub.pull_search = options.value("pull_search", "");
    config.cardshub.pull_tags = options.value("pull_tags", "");
    config.cardshub.pull_max_cards = options.value("pull_max_cards", config.cardshub.pull_max_cards);
  }
  if (ParsePlatformKind(record.platform) == PlatformKind::kArchive) {
    auto identity = LoadHubIdentity(archive_);
    if (identity.ok()) config.hub_identity = *identity;
  }
  return config;
}

Result<std::unique_ptr<PlatformAdapter>> FederationService::UsableAdapter(const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord record, Platform(platform));
  if (!record.enabled) {
    return Status::Conflict(federation_error::kPlatformDisabled,
                            record.display_name + " is disabled: enable it in the Federation settings first");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformConfig config, ConfigFor(record));
  return MakeAdapter(config);
}

Result<ConnectionTest> FederationService::TestPlatform(const std::string& platform, const std::string& trigger) {
  return TestSettings(platform, PlatformSettings(), trigger);
}

Result<ConnectionTest> FederationService::TestSettings(const std::string& platform, const PlatformSettings& typed,
                                                       const std::string& trigger) {
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord saved, Platform(platform));
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformUpdate update, ValidatedUpdate(saved, typed));
  const PlatformRecord record = WithUpdate(saved, update);
  // Only a test of what is saved says the saved settings connect.
  const bool unsaved = record.display_name != saved.display_name || record.base_url != saved.base_url ||
                       record.api_key_sealed != saved.api_key_sealed || record.auth_kind != saved.auth_kind ||
                       record.username != saved.username || record.options_json != saved.options_json;
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformConfig config, ConfigFor(record));
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, MakeAdapter(config));
  ConnectionTest test;
  auto data = adapter->TestConnection();
  EventRecord event{.platform = platform, .action = "test", .trigger = trigger};
  if (data.ok()) {
    test.connected = true;
    test.data = *data;
    if (!unsaved) {
      CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
      CHARCHIVE_RETURN_IF_ERROR(repo::MarkConnected(*db, platform));
    }
    event.status = "ok";
    event.message = "connected to " + record.base_url + (unsaved ? " (settings not saved)" : "");
  } else {
    test.error = data.status().message();
    test.kind = data.status().kind();
    event.status = "error";
    event.message = test.error;
  }
  RecordEvent(std::move(event));
  return test;
}

Result<std::vector<SyncRecord>> FederationService::CardSyncs(CardId card_id) {
  CHARCHIVE_RETURN_IF_ERROR(archive_.Get(card_id).status());
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::CardSyncs(*db, card_id);
}

void FederationService::RecordEvent(EventRecord event) {
  LogSyncEvent(event);
  // History is best effort: a failure to record it never fails the sync.
  auto db = archive_.pool().Acquire();
  if (db.ok()) (void)repo::InsertEvent(**db, event);
}

Result<PushResult> FederationService::Push(CardId card_id, const std::string& platform, const PushOptions& options) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, UsableAdapter(platform));
  PairLock pair(*this, card_id, platform);
  return PushWith(*adapter, card_id, platform, options);
}

Result<PushResult> FederationService::PushWith(PlatformAdapter& adapter, CardId card_id, const std::string& platform,
                                               const PushOptions& options) {
  // The card leaves with its identity marker, in the JSON and in the PNG.
  CHARCHIVE_ASSIGN_OR_RETURN(Departure departure, Outgoing(card_id));
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord record, Platform(platform));
  std::optional<SyncRecord> sync;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(sync, repo::GetSync(*db, card_id, platform));
  }
  OutgoingCard& out = departure.card;
  if (sync) out.platform_id = sync->platform_id;
  const std::string& local_hash = departure.record.content_hash;
  const RetryPolicy& retry = RetryFor(options.retry);
  EventRecord event{.card_id = card_id,
                    .platform = platform,
                    .action = "push",
                    .platform_id = out.platform_id,
                    .local_hash = local_hash,
                    .trigger = options.trigger};

  auto fail = [&](const Status& status, SyncState state) -> Status {
    {  // released before RecordEvent takes its own
      auto db = archive_.pool().Acquire();
      if (db.ok()) (void)repo::RecordFailure(**db, card_id, platform, state, status.message());
    }
    event.status = SyncStateName(state);  // an event is "error" or "conflict" as the state
    event.message = status.message();
    RecordEvent(event);
    return status;
  };

  // A peer that cannot update a card: a later push is refused, or, when the
  // user chose it, the card is published anew and the link moves.
  std::optional<std::string> replaced;
  if (options.publish_as_new && adapter.UpdatesInPlace()) {
    return Status::Invalid(federation_error::kBadField, record.display_name +
                                                            " updates cards in place: publish as new is for peers "
                                                            "that cannot (CardsHub)");
  }
  if (out.platform_id && !adapter.UpdatesInPlace()) {
    if (options.publish_as_new) {
      replaced = std::move(out.platform_id);
      out.platform_id.reset();
      event.platform_id.reset();
    } else if (sync->status == SyncState::kSynced && sync->local_hash == local_hash) {
      return PushResult{card_id, Status::Ok(), *out.platform_id};  // the peer has this content already
    } else {
      return fail(Status::Conflict(federation_error::kPeerCannotUpdate,
                                   record.display_name + " cannot update a published card; publish as a new card, "
                                                         "or keep the archive version local"),
                  SyncState::kError);
    }
  }

  // A first push to a peer where the archive names the card: the name is
  // chosen and recorded before anything is sent.
  // Names are probed on the peer outside the lock (bulk pushes probe in
  // parallel) and claimed under it; a name another card claimed meanwhile is
  // skipped and the next one probed.
  // No connection is held while the adapter probes the peer: each lookup
  // takes one briefly.
  for (int attempt = 0; !out.platform_id && attempt < 8; ++attempt) {
    Status lookup;
    auto taken = [&](const std::string& candidate) {
      auto db = archive_.pool().Acquire();
      if (!db.ok()) {
        lookup = db.status();
        return true;
      }
      auto in_use = repo::PlatformIdTaken(**db, platform, candidate);
      if (!in_use.ok()) lookup = in_use.status();
      return !in_use.ok() || *in_use;
    };
    auto id = retry.Run([&](int) { return adapter.FreeIdFor(out.card, taken); });
    CHARCHIVE_RETURN_IF_ERROR(lookup);
    if (!id.ok()) return fail(id.status(), SyncState::kError);
    if (!*id) break;  // the peer assigns ids
    std::lock_guard reserve(reserve_mu_);
    if (taken(**id)) continue;
    CHARCHIVE_RETURN_IF_ERROR(lookup);
    {
      CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
      CHARCHIVE_RETURN_IF_ERROR(repo::RecordIntent(*db, card_id, platform, **id));
    }
    out.platform_id = *id;
    event.platform_id = *id;
  }

  // Without overwrite, a copy changed on the peer since the last sync stays.
  // An unverified link (its last push never read back) has no remote hash:
  // the peer's copy is compared with what was pushed, item by item. On a peer
  // where copies move, an overwrite too looks for the copy first: it replaces
  // a renamed copy, never writes a second one under the old id.
  const bool pushed_before = out.platform_id && sync && (sync->remote_hash || sync->unverified());
  if (pushed_before && (!options.overwrite || adapter.CopiesMove())) {
    auto remote = retry.Run([&](int) { return adapter.Fetch(*out.platform_id); });
    if (!remote.ok() && remote.status().kind() == federation_error::kRemoteMissing) {
      // Moved on the peer (a SillyTavern rename), not deleted: the copy with
      // the card's marker is compared instead, and pushed over if unchanged.
      auto moved = FollowMovedCopy(adapter, card_id, record, *out.platform_id, retry, options.trigger);
      if (!moved.ok()) return fail(moved.status(), SyncState::kError);
      if (*moved) {
        out.platform_id = (*moved)->platform_id;
        event.platform_id = out.platform_id;
        remote = std::move(**moved);
      }
    }
    if (remote.ok() && !options.overwrite) {
      auto remote_card = ParseRemote(*remote, record.display_name);
      if (!remote_card.ok()) return fail(remote_card.status(), SyncState::kError);
      const std::string remote_hash = ContentHash(*remote_card);
      std::string changed;  // why the copy holds what a push would overwrite; empty: nothing
      if (sync->remote_hash) {
        if (remote_hash != *sync->remote_hash)
          changed = "the card changed on " + record.display_name + " since the last sync";
      } else {
        auto edits = PeerEditsSincePush(card_id, *sync, *remote_card);
        if (!edits.ok()) return fail(edits.status(), SyncState::kError);
        if (*edits) {
          changed = "the last push was never read back, and " + record.display_name +
                    "'s copy differs from what was pushed (" + **edits + ")";
        }
      }
      if (!changed.empty()) {
        event.remote_hash = remote_hash;
        return fail(Status::Conflict(federation_error::kRemoteChanged,
                                     changed + "; push with overwrite to replace it, or resolve the conflict"),
                    SyncState::kConflict);
      }
    } else if (!remote.ok() && remote.status().kind() != federation_error::kRemoteMissing) {
      return fail(remote.status(), SyncState::kError);
    }
  }

  // A first push the peer names itself is sent again only once the peer's
  // cards show that the try that got no answer (a timeout, a 5xx) did not land.
  Status unanswered;
  auto platform_id = retry.Run([&](int attempt) -> Result<std::string> {
    if (attempt > 1 && !out.platform_id && !unanswered.ok()) {
      auto landed = LandedCopy(adapter, card_id, platform, out);
      // Still unknown whether it landed: the push's failure, retried as the lookup allows.
      if (!landed.ok()) return unanswered.WithTransient(landed.status().transient(), landed.status().retry_after());
      if (*landed) return **landed;
    }
    auto pushed = adapter.Push(out);
    Transient why = pushed.status().transient();
    unanswered = why == Transient::kTimeout || why == Transient::kServerError ? pushed.status() : Status::Ok();
    return pushed;
  });
  if (!platform_id.ok()) return fail(platform_id.status(), SyncState::kError);
  event.platform_id = *platform_id;
  SyncSuccess success{.platform_id = *platform_id, .local_hash = local_hash, .base_version_id = departure.version_id};
  Status verified;
  auto remote = retry.Run([&](int) { return adapter.Fetch(*platform_id); });
  if (remote.ok()) {
    auto remote_hash = RemoteHash(*remote, record.display_name);
    if (remote_hash.ok()) {
      success.remote_hash = *remote_hash;
      success.remote_updated_at = remote->updated_at;
      success.remote_base_json = remote->raw_json;
    } else {
      verified = remote_hash.status();
    }
  } else {
    verified = remote.status().WithContext("pushed, but reading it back failed");
  }
  if (!verified.ok()) {
    success.status = SyncState::kError;
    success.error_message = verified.message();
  }
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(repo::RecordSuccess(*db, card_id, platform, success));
  }
  event.remote_hash = success.remote_hash;
  event.status = verified.ok() ? "ok" : "error";
  event.message = verified.ok() ? "pushed as " + *platform_id : verified.message();
  if (replaced) {
    event.message += "; published as a new card, the previous copy " + *replaced + " stays on " + record.display_name;
  }
  if (verified.ok() && *success.remote_hash != local_hash) {
    event.message += " (the peer's copy hashes differently: it changed the content on import)";
  }
  RecordEvent(std::move(event));
  if (!verified.ok()) return verified;
  return PushResult{card_id, Status::Ok(), *platform_id};
}

Result<FederationService::Departure> FederationService::Outgoing(CardId card_id) {
  auto record = archive_.Get(card_id);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound)
      return Status::NotFound(federation_error::kCardNotFound, "Card not found");
    return record.status();
  }
  CHARCHIVE_ASSIGN_OR_RETURN(Card card, Card::FromJson(record->raw_json));
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<int64_t> version, archive_.LatestVersionId(card_id));
  CHARCHIVE_ASSIGN_OR_RETURN(Card marked, WithArchiveMarker(card, ArchiveMarker{archive_id_, card_id}));
  // The card is embedded once, over the stored image (a PNG card's file read
  // once, its old card chunks replaced by the marked card's).
  CHARCHIVE_ASSIGN_OR_RETURN(std::string bytes, archive_.PngWith(*record, marked));
  return Departure{.record = std::move(record).value(),
                   .version_id = version.value_or(0),
                   .card = OutgoingCard{card_id, std::move(marked), std::move(bytes), std::nullopt}};
}

std::optional<CardId> FederationService::MarkedFor(const RemoteCard& remote) const {
  auto card = Card::FromJson(remote.raw_json);
  if (!card.ok()) return std::nullopt;
  auto marker = ReadArchiveMarker(*card);
  if (!marker || marker->archive != archive_id_) return std::nullopt;
  return marker->card_id;
}

Result<BulkPushReport> FederationService::BulkPush(const std::string& platform, const std::vector<CardId>& card_ids,
                                                   const BulkPushOptions& options) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, UsableAdapter(platform));
  BulkPushReport report;
  report.total = card_ids.size();
  report.results.resize(card_ids.size());
  std::mutex progress_mu;
  size_t done = 0;
  ParallelFor(card_ids.size(), std::clamp<size_t>(options.concurrency, 1, 16), [&](size_t i) {
    Result<PushResult> pushed = [&] {
      PairLock pair(*this, card_ids[i], platform);
      return PushWith(*adapter, card_ids[i], platform, options);
    }();
    PushResult result = pushed.ok() ? *pushed : PushResult{card_ids[i], pushed.status(), ""};
    std::lock_guard lock(progress_mu);
    report.results[i] = result;
    ++done;
    if (result.status.ok()) {
      ++report.succeeded;
    } else {
      ++report.failed;
    }
    if (options.progress) options.progress(result, done, card_ids.size());
  });
  return report;
}

Result<std::vector<PlatformCard>> FederationService::PlatformCards(const std::string& platform,
                                                                   const std::optional<SyncState>& status) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_RETURN_IF_ERROR(repo::GetPlatform(*db, platform).status());
  return repo::PlatformCards(*db, platform, status);
}

Result<int> FederationService::Unlink(CardId card_id, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  if (!platform.empty()) CHARCHIVE_RETURN_IF_ERROR(repo::GetPlatform(*db, platform).status());
  CHARCHIVE_ASSIGN_OR_RETURN(int removed, repo::DeleteSync(*db, card_id, platform));
  if (removed > 0) {
    EventRecord event{.card_id = card_id,
                      .platform = platform.empty() ? "*" : platform,
                      .action = "unlink",
                      .status = "ok",
                      .message = "sync state forgotten; the peer's copy was left as it is"};
    LogSyncEvent(event);
    repo::InsertEvent(*db, event);
  }
  return removed;
}

Result<std::vector<BulkSyncStatus>> FederationService::BulkStatus(const std::vector<CardId>& card_ids) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::BulkStatus(*db, card_ids);
}

Result<std::vector<std::pair<std::string, int64_t>>> FederationService::StatusCounts(const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  if (!platform.empty()) CHARCHIVE_RETURN_IF_ERROR(repo::GetPlatform(*db, platform).status());
  return repo::StatusCounts(*db, platform);
}

Result<std::vector<EventRecord>> FederationService::Events(const EventFilter& filter) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::ListEvents(*db, filter);
}

Status FederationService::SetRemoteVisibility(CardId card_id, const std::string& platform,
                                              const std::string& visibility, const std::string& trigger) {
  if (!IsCardsHubVisibility(visibility)) {
    return Status::Invalid(federation_error::kBadField, "visibility must be one of " + std::string(kVisibilities));
  }
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, UsableAdapter(platform));
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord record, Platform(platform));
  PairLock pair(*this, card_id, platform);
  CHARCHIVE_ASSIGN_OR_RETURN(SyncRecord state, LinkedState(card_id, platform, record.display_name));
  Status set = RetryFor(nullptr).Run([&](int) { return adapter->SetVisibility(*state.platform_id, visibility); });
  RecordEvent(EventRecord{
      .card_id = card_id,
      .platform = platform,
      .action = "visibility",
      .status = set.ok() ? "ok" : "error",
      .platform_id = state.platform_id,
      .trigger = trigger,
      .message = set.ok() ? "visibility on " + record.display_name + " set to " + visibility : set.message()});
  return set;
}

Result<RemoteCardStats> FederationService::RemoteStats(CardId card_id, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, UsableAdapter(platform));
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord record, Platform(platform));
  CHARCHIVE_ASSIGN_OR_RETURN(SyncRecord state, LinkedState(card_id, platform, record.display_name));
  return RetryFor(nullptr).Run([&](int) { return adapter->Stats(*state.platform_id); });
}

Status FederationService::Unpublish(CardId card_id, const std::string& platform, const std::string& trigger) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, UsableAdapter(platform));
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord record, Platform(platform));
  PairLock pair(*this, card_id, platform);
  CHARCHIVE_RETURN_IF_ERROR(archive_.Get(card_id).status());
  std::optional<SyncRecord> state;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(state, repo::GetSync(*db, card_id, platform));
  }
  if (!state || !state->platform_id) {
    return Status::Conflict(federation_error::kNotLinked,
                            "card " + std::to_string(card_id) + " is not published on " + record.display_name);
  }
  Status removed = RetryFor(nullptr).Run([&](int) { return adapter->Remove(*state->platform_id); });
  // Already gone from the peer is what was asked for.
  if (!removed.ok() && removed.kind() != federation_error::kRemoteMissing) {
    RecordEvent(EventRecord{.card_id = card_id,
                            .platform = platform,
                            .action = "unpublish",
                            .status = "error",
                            .platform_id = state->platform_id,
                            .trigger = trigger,
                            .message = removed.message()});
    return removed;
  }
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(repo::DeleteSync(*db, card_id, platform).status());
  }
  RecordEvent(EventRecord{
      .card_id = card_id,
      .platform = platform,
      .action = "unpublish",
      .status = "ok",
      .platform_id = state->platform_id,
      .trigger = trigger,
      .message = "deleted " + *state->platform_id + " on " + record.display_name + "; the archive keeps its card"});
  return Status::Ok();
}

}  // namespace charchive::federation
