// FederationService's two-way half: three-way sync, pulls of new cards, diffs
// and conflict resolution (docs/federation.md "Two-way sync"). The push half is
// federation_service.cc.
#include <atomic>
#include <map>
#include <set>

#include "card/card_convert.h"
#include "card/content_hash.h"
#include "federation/errors.h"
#include "federation/federation_service.h"
#include "federation/remote_content.h"
#include "store/federation_repository.h"
#include "sync/merge.h"
#include "sync/reconciliation.h"
#include "util/log.h"
#include "util/parallel_for.h"

namespace charchive::federation {
namespace {

namespace repo = federation_repository;

// The card's current version, as the base of a sync; unknown on a read error.
std::optional<int64_t> CurrentVersion(Archive& archive, CardId id) {
  auto version = archive.LatestVersionId(id);
  return version.ok() ? *version : std::nullopt;
}

std::string ShortHash(const std::optional<std::string>& hash) { return hash ? hash->substr(0, 12) : "none"; }

// "scenario, character_book.entries[id:2].content" for a history message.
std::string ItemList(const std::vector<sync::ItemPath>& paths) {
  std::string out;
  for (const sync::ItemPath& path : paths) out += (out.empty() ? "" : ", ") + path.ToString();
  return out.empty() ? "nothing" : out;
}

std::vector<sync::ItemPath> ItemsDecided(const sync::Reconciliation& reconciliation, sync::Decision decision) {
  std::vector<sync::ItemPath> out;
  for (const sync::Item& item : reconciliation.items) {
    if (item.decision == decision) out.push_back(item.path);
  }
  return out;
}

// A link's remote base as a card. A base the archive cannot read is not
// known: the core falls back (sync/reconciliation.h).
std::optional<Card> ParsedBase(const std::optional<std::string>& stored_base) {
  if (!stored_base) return std::nullopt;
  auto parsed = Card::FromJson(*stored_base);
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed).value();
}

// `card` with its V3 `data` replaced, kept in its own spec (V1 becomes V2).
Result<Card> WithData(const Card& card, Json data) {
  Json document = ToV3Document(card);
  document["data"] = std::move(data);
  CHARCHIVE_ASSIGN_OR_RETURN(Card merged, Card::FromDocument(document));
  if (card.spec() == CardSpec::kV3) return merged;
  return Card::FromDocument(ToSpecDocument(merged, CardSpec::kV2));
}

// The listed copy, parsed, when by the listing neither side changed since
// the last sync: the archive's card hashes as then, and the listed copy as
// the peer's copy then (the link's remote hash). The card need not be read
// again: the sync ends `unchanged`. nullopt otherwise, and when it cannot
// tell (no listed copy, an unverified link, a copy it cannot read): the card
// is read from the peer, so whatever is written is decided on the peer's copy
// as it is now, never on a listing that may have aged since.
std::optional<Card> ListedAsLastSynced(const RemoteCard* listed, const SyncRecord& state, const std::string& local_hash,
                                       const std::string& display_name) {
  if (!listed || !state.remote_hash || state.local_hash != local_hash || listed->platform_id != state.platform_id) {
    return std::nullopt;
  }
  auto card = ParseRemote(*listed, display_name);
  if (!card.ok() || ContentHash(*card) != *state.remote_hash) return std::nullopt;
  return std::move(card).value();
}

}  // namespace

const char* SyncActionName(SyncAction action) {
  switch (action) {
    case SyncAction::kUnchanged:
      return "unchanged";
    case SyncAction::kPushed:
      return "pushed";
    case SyncAction::kPending:
      return "pending";
    case SyncAction::kPulled:
      return "pulled";
    case SyncAction::kConverged:
      return "converged";
    case SyncAction::kConflict:
      return "conflict";
    case SyncAction::kImported:
      return "imported";
    case SyncAction::kLinked:
      return "linked";
    case SyncAction::kDuplicate:
      return "duplicate";
  }
  return "?";
}

Result<SyncRecord> FederationService::LinkedState(CardId card_id, const std::string& platform,
                                                  const std::string& display_name) {
  CHARCHIVE_RETURN_IF_ERROR(archive_.Get(card_id).status());
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto state, repo::GetSync(*db, card_id, platform));
  // An unverified link (pushed, never read back) is linked: its sync reads
  // the peer's copy and decides against what was pushed.
  if (!state || !state->platform_id || !state->local_hash) {
    return Status::Conflict(
        federation_error::kNotLinked,
        "card " + std::to_string(card_id) + " has not been synced with " + display_name + " yet: push it first");
  }
  return *state;
}

Result<CardRecord> FederationService::TakeRemote(CardId card_id, const Card& local, const Card& remote) {
  CardSpec spec = local.spec() == CardSpec::kV3 ? CardSpec::kV3 : CardSpec::kV2;
  CHARCHIVE_ASSIGN_OR_RETURN(Card card, Card::FromDocument(ToSpecDocument(remote, spec)));
  return archive_.ReplaceContent(card_id, card, "pull");
}

Result<std::optional<Card>> FederationService::BaseContent(CardId card_id, const SyncRecord& state) {
  if (!state.base_version_id) return std::optional<Card>();
  auto version = archive_.Version(card_id, *state.base_version_id);
  if (!version.ok()) return std::optional<Card>();
  CHARCHIVE_ASSIGN_OR_RETURN(Card card, Card::FromJson(version->raw_json));
  return std::optional<Card>(std::move(card));
}

Result<std::vector<sync::Rewrite>> FederationService::ImportRewrites(const SyncRecord& state) {
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<std::string> stored_base, StoredRemoteBase(state.card_id, state.platform));
  if (!stored_base) return std::vector<sync::Rewrite>();
  CHARCHIVE_ASSIGN_OR_RETURN(auto sent, BaseContent(state.card_id, state));
  const std::optional<Card> stored = ParsedBase(stored_base);
  if (!sent || !stored) return std::vector<sync::Rewrite>();
  return sync::ImportRewrites(*sent, *stored);
}

Result<std::optional<std::string>> FederationService::PeerEditsSincePush(CardId card_id, const SyncRecord& state,
                                                                         const Card& remote) {
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord local_record, archive_.Get(card_id));
  CHARCHIVE_ASSIGN_OR_RETURN(Card local, Card::FromJson(local_record.raw_json));
  CHARCHIVE_ASSIGN_OR_RETURN(auto pushed, BaseContent(card_id, state));
  // No remote base: the core takes the peer's base to be what was pushed.
  const sync::Reconciliation reconciliation = sync::Reconcile(pushed, local, std::nullopt, remote);
  std::vector<sync::ItemPath> edits;
  for (const sync::Item& item : reconciliation.items) {
    if (item.decision == sync::Decision::kTakeRemote || item.decision == sync::Decision::kConflict) {
      edits.push_back(item.path);
    }
  }
  if (edits.empty()) return std::optional<std::string>();
  return std::optional<std::string>(ItemList(edits));
}

Result<RemoteCard> FederationService::ReadRemote(PlatformAdapter& adapter, const SyncRecord& state,
                                                 const std::optional<std::string>& stored_base,
                                                 const RetryPolicy& retry) {
  // A peer whose change clock has not moved is not read again: its copy is
  // the one read at the last sync.
  const bool clock_known = state.remote_updated_at && stored_base;
  CHARCHIVE_ASSIGN_OR_RETURN(auto changed, retry.Run([&](int) {
    return adapter.FetchIfChanged(*state.platform_id, clock_known ? state.remote_updated_at : std::nullopt);
  }));
  if (changed) return std::move(*changed);
  return RemoteCard{*state.platform_id, *stored_base, state.remote_updated_at};
}

Result<std::optional<std::string>> FederationService::StoredRemoteBase(CardId card_id, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::RemoteBase(*db, card_id, platform);
}

Result<SyncResult> FederationService::Sync(CardId card_id, const std::string& platform, const SyncOptions& options) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, UsableAdapter(platform));
  PairLock pair(*this, card_id, platform);
  return SyncWith(*adapter, card_id, platform, options);
}

Result<SyncResult> FederationService::SyncWith(PlatformAdapter& adapter, CardId card_id, const std::string& platform,
                                               const SyncOptions& options) {
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord record, Platform(platform));
  CHARCHIVE_ASSIGN_OR_RETURN(SyncRecord state, LinkedState(card_id, platform, record.display_name));
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord local_record, archive_.Get(card_id));
  SyncResult result{card_id, Status::Ok(), SyncAction::kUnchanged, *state.platform_id};
  EventRecord event{.card_id = card_id,
                    .platform = platform,
                    .platform_id = state.platform_id,
                    .local_hash = local_record.content_hash,
                    .trigger = options.trigger};
  auto fail = [&](const Status& status) -> Status {
    {  // released before RecordEvent takes its own
      auto db = archive_.pool().Acquire();
      if (db.ok()) (void)repo::RecordFailure(**db, card_id, platform, SyncState::kError, status.message());
    }
    event.action = "sync";
    event.status = "error";
    event.message = status.message();
    RecordEvent(event);
    return status;
  };

  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<std::string> stored_base, StoredRemoteBase(card_id, platform));
  const RetryPolicy& retry = RetryFor(options.retry);
  std::optional<Card> listed_card =
      ListedAsLastSynced(options.listed, state, local_record.content_hash, record.display_name);
  auto remote = options.arrived ? Result<RemoteCard>(*options.arrived)
                : listed_card   ? Result<RemoteCard>(*options.listed)
                                : ReadRemote(adapter, state, stored_base, retry);
  if (!remote.ok() && remote.status().kind() == federation_error::kRemoteMissing &&
      state.status != SyncState::kRemoteDeleted) {
    // Moved on the peer (a SillyTavern rename): the copy with the card's
    // marker is the link's; what the move changed (the name) is the peer's edit.
    auto moved = FollowMovedCopy(adapter, card_id, record, *state.platform_id, retry, options.trigger);
    if (!moved.ok()) return fail(moved.status());
    if (*moved) {
      state.platform_id = (*moved)->platform_id;
      result.platform_id = *state.platform_id;
      event.platform_id = state.platform_id;
      remote = std::move(**moved);
    }
  }
  if (!remote.ok()) {
    if (remote.status().kind() == federation_error::kRemoteMissing) {
      const std::string kept = record.display_name + " deleted its copy; the archive keeps the card";
      if (state.status == SyncState::kRemoteDeleted) return Status::Conflict(federation_error::kRemoteDeleted, kept);
      if (!adapter.UpdatesInPlace()) {
        // The card cannot be made again under its id: the link records the deletion.
        {
          CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
          CHARCHIVE_RETURN_IF_ERROR(repo::RecordFailure(*db, card_id, platform, SyncState::kRemoteDeleted, kept));
        }
        event.action = "delete";
        event.status = "ok";
        event.message = kept;
        RecordEvent(event);
        return Status::NotFound(federation_error::kRemoteDeleted, kept);
      }
      return fail(Status::Conflict(federation_error::kRemoteMissing, "the card was deleted on " + record.display_name +
                                                                         ": push it to create it again, or unlink it"));
    }
    return fail(remote.status());
  }
  auto remote_card = listed_card ? Result<Card>(std::move(*listed_card)) : ParseRemote(*remote, record.display_name);
  if (!remote_card.ok()) return fail(remote_card.status());
  const std::string L = local_record.content_hash;
  const std::string R = ContentHash(*remote_card);
  event.remote_hash = R;
  SyncSuccess agreed{.platform_id = *state.platform_id,
                     .local_hash = L,
                     .remote_hash = R,
                     .remote_updated_at = remote->updated_at,
                     .base_version_id = state.base_version_id,
                     .remote_base_json = remote->raw_json};
  auto record_agreed = [&]() -> Status {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    return repo::RecordSuccess(*db, card_id, platform, agreed);
  };
  const std::optional<Card> remote_base = ParsedBase(stored_base);

  // Neither side's hash moved: nothing to decide. A link made before the
  // peer's copy was kept gets it now. An unverified link has no remote hash
  // to compare: the core decides, against what was pushed.
  if (state.remote_hash && L == *state.local_hash && R == *state.remote_hash) {
    if (state.status != SyncState::kSynced || !remote_base) CHARCHIVE_RETURN_IF_ERROR(record_agreed());
    log::Debug("sync_event", {{"action", "sync"},
                              {"platform", platform},
                              {"card", card_id},
                              {"status", "unchanged"},
                              {"trigger", options.trigger}});
    return result;
  }
  auto local_card = Card::FromJson(local_record.raw_json);
  if (!local_card.ok()) return fail(local_card.status());
  auto local_base = BaseContent(card_id, state);
  if (!local_base.ok()) return fail(local_base.status());
  const sync::Reconciliation reconciliation = sync::Reconcile(*local_base, *local_card, remote_base, *remote_card);

  switch (reconciliation.outcome) {
    case sync::Outcome::kUnchanged:
    case sync::Outcome::kConverged: {
      agreed.base_version_id = CurrentVersion(archive_, card_id);
      CHARCHIVE_RETURN_IF_ERROR(record_agreed());
      if (reconciliation.outcome == sync::Outcome::kUnchanged) return result;
      event.action = "sync";
      event.status = "ok";
      event.message = "both sides changed to the same content";
      RecordEvent(event);
      result.action = SyncAction::kConverged;
      return result;
    }
    case sync::Outcome::kConflict: {
      const std::string items = ItemList(reconciliation.Conflicts());
      {
        CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
        CHARCHIVE_RETURN_IF_ERROR(repo::RecordFailure(*db, card_id, platform, SyncState::kConflict,
                                                      "changed differently in the archive and on " +
                                                          record.display_name + " since the last sync (" + items +
                                                          "); resolve it"));
      }
      if (state.status != SyncState::kConflict) {
        event.action = "conflict";
        event.status = "conflict";
        event.message = "both sides changed " + items + " (local " + ShortHash(state.local_hash) + " -> " +
                        L.substr(0, 12) + ", remote " + ShortHash(state.remote_hash) + " -> " + R.substr(0, 12) +
                        "); nothing was overwritten";
        RecordEvent(event);
      }
      result.action = SyncAction::kConflict;
      return result;
    }
    case sync::Outcome::kPush:
    case sync::Outcome::kPull:
    case sync::Outcome::kPushAndPull:
      break;
  }

  const bool to_push = reconciliation.outcome != sync::Outcome::kPull;
  if (reconciliation.outcome != sync::Outcome::kPush) {
    // Only the items the peer changed since its own base come in; the rest of
    // the archive's card stays byte for byte.
    auto merged = sync::Merge(reconciliation);
    if (!merged.ok()) return fail(merged.status());
    auto pulled = WithData(*local_card, std::move(merged->local));
    if (!pulled.ok()) return fail(pulled.status());
    const std::optional<int64_t> previous = CurrentVersion(archive_, card_id);
    auto taken = archive_.ReplaceContent(card_id, *pulled, "pull");
    if (!taken.ok()) return fail(taken.status());
    event.action = "pull";
    event.status = "ok";
    event.local_hash = taken->content_hash;
    event.message = "pulled " + ItemList(ItemsDecided(reconciliation, sync::Decision::kTakeRemote)) + " changed on " +
                    record.display_name + "; the previous content is version " + std::to_string(previous.value_or(0));
    RecordEvent(event);
    result.action = SyncAction::kPulled;
    if (!to_push) {
      agreed.local_hash = taken->content_hash;
      agreed.base_version_id = CurrentVersion(archive_, card_id);
      CHARCHIVE_RETURN_IF_ERROR(record_agreed());
      return result;
    }
  }
  if (!options.push_local_changes) {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(repo::RecordFailure(*db, card_id, platform, SyncState::kPending,
                                                  "changed in the archive since the last sync; not pushed yet"));
    if (result.action != SyncAction::kPulled) result.action = SyncAction::kPending;
    return result;
  }
  // The peer's copy was just read and holds nothing the archive lacks: the
  // archive's card (with whatever was just pulled) replaces it.
  auto pushed =
      PushWith(adapter, card_id, platform, {.overwrite = true, .trigger = options.trigger, .retry = options.retry});
  if (!pushed.ok()) return pushed.status();
  result.action = SyncAction::kPushed;
  result.platform_id = pushed->platform_id;
  return result;
}

Result<PushResult> FederationService::PushThrough(PlatformAdapter& adapter, CardId card_id, const std::string& platform,
                                                  const PushOptions& options) {
  PairLock pair(*this, card_id, platform);
  return PushWith(adapter, card_id, platform, options);
}

Result<SyncResult> FederationService::SyncThrough(PlatformAdapter& adapter, CardId card_id, const std::string& platform,
                                                  const SyncOptions& options) {
  PairLock pair(*this, card_id, platform);
  return SyncWith(adapter, card_id, platform, options);
}

Result<std::set<std::string>> FederationService::LinkedIds(const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  std::set<std::string> linked;
  CHARCHIVE_ASSIGN_OR_RETURN(auto tracked, repo::PlatformCards(*db, platform, std::nullopt));
  for (const auto& t : tracked) {
    if (t.sync.platform_id) linked.insert(*t.sync.platform_id);
  }
  return linked;
}

Result<std::optional<std::string>> FederationService::LandedCopy(PlatformAdapter& adapter, CardId card_id,
                                                                 const std::string& platform,
                                                                 const OutgoingCard& card) {
  if (auto copies = adapter.CopiesOf(card)) {
    if (!copies->ok()) return copies->status();
    CHARCHIVE_ASSIGN_OR_RETURN(std::set<std::string> taken, LinkedIds(platform));
    for (const std::string& id : **copies) {
      if (!taken.count(id)) return std::optional<std::string>(id);
    }
    return std::optional<std::string>();
  }
  CHARCHIVE_ASSIGN_OR_RETURN(auto listed, adapter.List());
  CHARCHIVE_ASSIGN_OR_RETURN(auto landed, MarkedCopy(card_id, platform, listed));
  if (!landed) return std::optional<std::string>();
  return std::optional<std::string>(landed->platform_id);
}

Result<std::optional<RemoteCard>> FederationService::MarkedCopy(CardId card_id, const std::string& platform,
                                                                const std::vector<RemoteCard>& remote) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  for (const RemoteCard& r : remote) {
    if (MarkedFor(r) != card_id) continue;
    CHARCHIVE_ASSIGN_OR_RETURN(std::optional<CardId> linked, repo::CardWithPlatformId(*db, platform, r.platform_id));
    if (!linked || *linked == card_id) return std::optional<RemoteCard>(r);
  }
  return std::optional<RemoteCard>();
}

Result<std::optional<RemoteCard>> FederationService::FollowMovedCopy(PlatformAdapter& adapter, CardId card_id,
                                                                     const PlatformRecord& record,
                                                                     const std::string& from, const RetryPolicy& retry,
                                                                     const std::string& trigger) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto listed, retry.Run([&](int) { return adapter.List(); }));
  CHARCHIVE_ASSIGN_OR_RETURN(auto moved, MarkedCopy(card_id, record.platform, listed));
  if (!moved) return moved;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(repo::RecordMove(*db, card_id, record.platform, moved->platform_id));
  }
  RecordEvent(EventRecord{.card_id = card_id,
                          .platform = record.platform,
                          .action = "relink",
                          .status = "ok",
                          .platform_id = moved->platform_id,
                          .trigger = trigger,
                          .message = "moved on " + record.display_name + " from " + from + " to " + moved->platform_id +
                                     " (found by its identity marker); the link follows it"});
  return moved;
}

Result<bool> FederationService::AdoptRemoteCopy(PlatformAdapter& adapter, CardId card_id, const std::string& platform,
                                                const RetryPolicy* retry) {
  PairLock pair(*this, card_id, platform);
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(auto state, repo::GetSync(*db, card_id, platform));
    if (state && state->platform_id) return false;
  }
  CHARCHIVE_ASSIGN_OR_RETURN(Departure departure, Outgoing(card_id));
  const std::string& content_hash = departure.record.content_hash;
  const OutgoingCard& out = departure.card;
  CHARCHIVE_ASSIGN_OR_RETURN(auto landed,
                             RetryFor(retry).Run([&](int) { return LandedCopy(adapter, card_id, platform, out); }));
  if (!landed) return false;
  CHARCHIVE_ASSIGN_OR_RETURN(RemoteCard copy, RetryFor(retry).Run([&](int) { return adapter.Fetch(*landed); }));
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord platform_record, Platform(platform));
  CHARCHIVE_ASSIGN_OR_RETURN(Card remote_card, ParseRemote(copy, platform_record.display_name));
  // The copy as it is on the peer (rewrites included) is the link's remote base.
  SyncSuccess success{.platform_id = copy.platform_id,
                      .local_hash = content_hash,
                      .remote_hash = ContentHash(remote_card),
                      .remote_updated_at = copy.updated_at,
                      .base_version_id = CurrentVersion(archive_, card_id),
                      .remote_base_json = copy.raw_json};
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(repo::RecordSuccess(*db, card_id, platform, success));
  }
  RecordEvent(EventRecord{.card_id = card_id,
                          .platform = platform,
                          .action = "push",
                          .status = "ok",
                          .platform_id = copy.platform_id,
                          .local_hash = content_hash,
                          .remote_hash = success.remote_hash,
                          .trigger = "job",
                          .message = "an interrupted push had reached the peer: linked to its copy, found by "
                                     "its identity marker or its exact bytes"});
  return true;
}

Result<std::vector<CardId>> FederationService::LocallyChanged(const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::LocallyChanged(*db, platform);
}

Result<std::vector<SyncResult>> FederationService::SyncAll(
    const std::string& platform, const SyncOptions& options,
    const std::function<void(const SyncResult&, size_t, size_t)>& progress) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, UsableAdapter(platform));
  CHARCHIVE_ASSIGN_OR_RETURN(auto tracked, PlatformCards(platform, std::nullopt));
  // One listing in place of a read per card (the peer's id -> its listed copy).
  std::map<std::string, RemoteCard> listed;
  if (adapter->ListsContent() && !options.arrived && tracked.size() >= kListingFrom) {
    auto all = RetryFor(options.retry).Run([&](int) { return adapter->List(); });
    if (all.ok()) {
      for (RemoteCard& remote : *all) listed.emplace(remote.platform_id, std::move(remote));
    } else {
      // Each card is read instead, and reports its own failure.
      log::Warn("sync_listing_failed", {{"platform", platform}, {"error", all.status().message()}});
    }
  }
  std::vector<SyncResult> results(tracked.size());
  std::mutex mu;
  size_t done = 0;
  ParallelFor(tracked.size(), 4, [&](size_t i) {
    CardId id = tracked[i].sync.card_id;
    SyncOptions card_options = options;
    const std::optional<std::string>& platform_id = tracked[i].sync.platform_id;
    auto copy = platform_id ? listed.find(*platform_id) : listed.end();
    card_options.listed = copy != listed.end() ? &copy->second : nullptr;
    Result<SyncResult> synced = [&] {
      PairLock pair(*this, id, platform);
      return SyncWith(*adapter, id, platform, card_options);
    }();
    std::lock_guard lock(mu);
    results[i] = synced.ok() ? *synced : SyncResult{id, synced.status()};
    ++done;
    if (progress) progress(results[i], done, tracked.size());
  });
  return results;
}

Result<std::vector<SyncResult>> FederationService::PullNew(const std::string& platform, const std::string& trigger) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, UsableAdapter(platform));
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord record, Platform(platform));
  std::optional<std::string> cursor;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(cursor, repo::NewestRemoteUpdate(*db, platform));
  }
  std::optional<Result<std::vector<RemoteCard>>> changes;
  CHARCHIVE_RETURN_IF_ERROR(retry_.Run([&](int) {
    changes = adapter->ChangesSince(cursor);
    return changes ? changes->status() : Status::Ok();
  }));
  if (changes) return PullChanges(*adapter, record, **changes, trigger);
  // What is linked already: the peer's ids, and the content of each linked
  // card, so that another copy of one is reported, not imported (KnownCopy).
  std::set<std::string> linked;
  std::map<std::string, CardId> linked_content;  // content hash -> the linked card that has it
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto tracked, PlatformCards(platform, std::nullopt));
    for (const auto& t : tracked) {
      if (!t.sync.platform_id) continue;
      linked.insert(*t.sync.platform_id);
      for (const auto& hash : {std::optional<std::string>(t.content_hash), t.sync.local_hash, t.sync.remote_hash}) {
        if (hash) linked_content.emplace(*hash, t.sync.card_id);
      }
    }
  }
  std::vector<SyncResult> results;
  auto take = [&](const RemoteCard& remote, const std::set<std::string>& listed) -> Status {
    CHARCHIVE_ASSIGN_OR_RETURN(auto known, KnownCopy(*adapter, record, remote, listed, linked_content, trigger));
    if (known) {
      results.push_back(std::move(*known));
      return Status::Ok();
    }
    CHARCHIVE_ASSIGN_OR_RETURN(SyncResult result, ImportRemote(*adapter, record, remote, trigger));
    results.push_back(std::move(result));
    return Status::Ok();
  };
  std::optional<Result<std::vector<std::string>>> ids;
  CHARCHIVE_RETURN_IF_ERROR(retry_.Run([&](int) {
    ids = adapter->ListIds();
    return ids ? ids->status() : Status::Ok();
  }));
  if (ids) {
    // A listing without content: only the cards the archive lacks are read.
    if (!adapter->UpdatesInPlace()) {
      // The archive's own superseded copies (published anew since) are not new.
      CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
      CHARCHIVE_ASSIGN_OR_RETURN(std::set<std::string> pushed, repo::PushedPlatformIds(*db, platform));
      linked.insert(pushed.begin(), pushed.end());
    }
    const std::set<std::string> listed((**ids).begin(), (**ids).end());
    for (const std::string& id : **ids) {
      if (linked.count(id)) continue;
      auto remote = retry_.Run([&](int) { return adapter->Fetch(id); });
      if (!remote.ok()) {
        if (remote.status().kind() == federation_error::kRemoteMissing) continue;  // gone since the listing
        results.push_back(SyncResult{0, remote.status(), SyncAction::kImported, id});
        continue;
      }
      CHARCHIVE_RETURN_IF_ERROR(take(*remote, listed));
    }
    return results;
  }
  CHARCHIVE_ASSIGN_OR_RETURN(auto remote_cards, retry_.Run([&](int) { return adapter->List(); }));
  std::set<std::string> listed;
  for (const RemoteCard& remote : remote_cards) listed.insert(remote.platform_id);
  for (const RemoteCard& remote : remote_cards) {
    if (linked.count(remote.platform_id)) continue;
    CHARCHIVE_RETURN_IF_ERROR(take(remote, listed));
  }
  return results;
}

Result<std::optional<SyncResult>> FederationService::KnownCopy(PlatformAdapter& adapter, const PlatformRecord& record,
                                                               const RemoteCard& remote,
                                                               const std::set<std::string>& listed,
                                                               const std::map<std::string, CardId>& linked_content,
                                                               const std::string& trigger) {
  const std::string& platform = record.platform;
  auto duplicate = [&](CardId of) {
    log::Info("sync_duplicate_copy", {{"platform", platform}, {"card", of}, {"copy", remote.platform_id}});
    return std::optional<SyncResult>(SyncResult{of, Status::Ok(), SyncAction::kDuplicate, remote.platform_id});
  };
  std::optional<CardId> marked = MarkedFor(remote);
  if (marked && archive_.Get(*marked).ok()) {
    PairLock pair(*this, *marked, platform);
    std::optional<SyncRecord> state;
    {
      CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
      CHARCHIVE_ASSIGN_OR_RETURN(state, repo::GetSync(*db, *marked, platform));
    }
    if (state && state->platform_id && state->local_hash) {
      if (listed.count(*state->platform_id)) return duplicate(*marked);
      // Its linked copy is gone from the peer and this one carries its marker:
      // the card moved there (a rename). The link follows; the sync pulls
      // what the move changed.
      auto synced = SyncWith(adapter, *marked, platform, {.push_local_changes = false, .trigger = trigger});
      return std::optional<SyncResult>(synced.ok() ? *synced : SyncResult{*marked, synced.status()});
    }
    // The archive's own card, not linked here (unlinked, or a push never
    // recorded): linked again to its copy, as it is on the peer now.
    CHARCHIVE_ASSIGN_OR_RETURN(Card card, ParseRemote(remote, record.display_name));
    CHARCHIVE_ASSIGN_OR_RETURN(CardRecord local, archive_.Get(*marked));
    SyncSuccess success{.platform_id = remote.platform_id,
                        .local_hash = local.content_hash,
                        .remote_hash = ContentHash(card),
                        .remote_updated_at = remote.updated_at,
                        .base_version_id = CurrentVersion(archive_, *marked),
                        .remote_base_json = remote.raw_json};
    {
      CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
      CHARCHIVE_RETURN_IF_ERROR(repo::RecordSuccess(*db, *marked, platform, success));
    }
    RecordEvent(
        EventRecord{.card_id = *marked,
                    .platform = platform,
                    .action = "pull",
                    .status = "ok",
                    .platform_id = remote.platform_id,
                    .local_hash = local.content_hash,
                    .remote_hash = success.remote_hash,
                    .trigger = trigger,
                    .message = "linked to its copy on " + record.display_name + ", found by its identity marker"});
    return std::optional<SyncResult>(SyncResult{*marked, Status::Ok(), SyncAction::kLinked, remote.platform_id});
  }
  auto card = Card::FromJson(remote.raw_json);
  if (!card.ok()) return std::optional<SyncResult>();  // ImportRemote reports it
  auto same = linked_content.find(ContentHash(*card));
  if (same != linked_content.end()) return duplicate(same->second);
  return std::optional<SyncResult>();
}

Result<std::vector<SyncResult>> FederationService::PullChanges(PlatformAdapter& adapter, const PlatformRecord& record,
                                                               const std::vector<RemoteCard>& changes,
                                                               const std::string& trigger) {
  std::vector<SyncResult> results;
  for (const RemoteCard& remote : changes) {
    CHARCHIVE_ASSIGN_OR_RETURN(std::optional<CardId> linked, CardLinkedTo(record.platform, remote.platform_id));
    if (remote.deleted) {
      if (!linked) continue;
      CHARCHIVE_RETURN_IF_ERROR(MarkRemoteDeleted(
          *linked, record.platform, "deleted on " + record.display_name + "; the archive keeps its card", trigger));
      results.push_back(SyncResult{*linked, Status::Ok(), SyncAction::kUnchanged, remote.platform_id});
      continue;
    }
    if (linked) {
      PairLock pair(*this, *linked, record.platform);
      auto synced = SyncWith(adapter, *linked, record.platform, {.push_local_changes = false, .trigger = trigger});
      results.push_back(synced.ok() ? *synced : SyncResult{*linked, synced.status()});
      continue;
    }
    CHARCHIVE_ASSIGN_OR_RETURN(SyncResult imported, ImportRemote(adapter, record, remote, trigger));
    results.push_back(std::move(imported));
  }
  return results;
}

Result<SyncResult> FederationService::PullCard(const std::string& platform, const RemoteCard& remote,
                                               const std::string& trigger) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, UsableAdapter(platform));
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord record, Platform(platform));
  PairLock copy(*this, RemoteId{remote.platform_id}, platform);
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<CardId> linked, CardLinkedTo(platform, remote.platform_id));
  if (linked) {
    PairLock pair(*this, *linked, platform);
    return SyncWith(*adapter, *linked, platform, {.push_local_changes = false, .trigger = trigger, .arrived = &remote});
  }
  return ImportRemote(*adapter, record, remote, trigger);
}

Result<std::optional<CardId>> FederationService::CardLinkedTo(const std::string& platform,
                                                              const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::CardWithPlatformId(*db, platform, platform_id);
}

Status FederationService::MarkRemoteDeleted(CardId card_id, const std::string& platform, const std::string& message,
                                            const std::string& trigger) {
  PairLock pair(*this, card_id, platform);
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(repo::RecordFailure(*db, card_id, platform, SyncState::kRemoteDeleted, message));
  }
  CHARCHIVE_ASSIGN_OR_RETURN(auto state, CardSyncs(card_id));
  std::optional<std::string> platform_id;
  for (const auto& s : state) {
    if (s.platform == platform) platform_id = s.platform_id;
  }
  RecordEvent(EventRecord{.card_id = card_id,
                          .platform = platform,
                          .action = "delete",
                          .status = "ok",
                          .platform_id = platform_id,
                          .trigger = trigger,
                          .message = message});
  return Status::Ok();
}

Result<CardRecord> FederationService::ApplyRemoteEdit(CardId card_id, const std::string& platform, const Card& content,
                                                      const std::string& message, const std::string& trigger) {
  PairLock pair(*this, card_id, platform);
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord before, archive_.Get(card_id));
  if (ContentHash(content) == before.content_hash) return before;
  CHARCHIVE_ASSIGN_OR_RETURN(Card local, Card::FromJson(before.raw_json));
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord after, TakeRemote(card_id, local, content));
  RecordEvent(EventRecord{.card_id = card_id,
                          .platform = platform,
                          .action = "pull",
                          .status = "ok",
                          .local_hash = after.content_hash,
                          .remote_hash = ContentHash(content),
                          .trigger = trigger,
                          .message = message});
  return after;
}

Result<SyncResult> FederationService::ImportRemote(PlatformAdapter& adapter, const PlatformRecord& record,
                                                   const RemoteCard& remote, const std::string& trigger) {
  const std::string& platform = record.platform;
  SyncResult result{0, Status::Ok(), SyncAction::kImported, remote.platform_id};
  EventRecord event{.platform = platform, .action = "pull", .platform_id = remote.platform_id, .trigger = trigger};
  auto card = ParseRemote(remote, record.display_name);
  if (!card.ok()) {
    result.status = card.status();
    event.status = "error";
    event.message = card.status().message();
    RecordEvent(std::move(event));
    return result;
  }
  std::string R = ContentHash(*card);
  // The peer's stored file carries its image; without one the JSON is imported.
  auto image = retry_.Run([&](int) { return adapter.FetchImage(remote.platform_id); });
  std::string bytes = image.ok() ? std::move(image).value() : remote.raw_json;
  PreparedImport prepared =
      archive_.PrepareImport(std::move(bytes), remote.platform_id + (image.ok() ? ".png" : ".json"));
  if (!prepared.status.ok() && image.ok()) {
    prepared = archive_.PrepareImport(remote.raw_json, remote.platform_id + ".json");
  }
  prepared.source = platform;
  prepared.source_id = remote.platform_id;
  std::vector<PreparedImport> batch;
  batch.push_back(std::move(prepared));
  ImportResult imported = std::move(archive_.CommitImports(std::move(batch)).front());
  if (!imported.status.ok()) {
    result.status = imported.status;
    event.status = "error";
    event.message = "import failed: " + imported.status.message();
    RecordEvent(std::move(event));
    return result;
  }
  result.card_id = imported.id ? *imported.id : *imported.duplicate_of;
  if (!imported.id) result.action = SyncAction::kLinked;
  auto snapshot = archive_.Get(result.card_id);
  auto version = archive_.LatestVersionId(result.card_id);
  if (!snapshot.ok() || !version.ok()) {
    result.status = snapshot.ok() ? version.status() : snapshot.status();
    return result;
  }
  SyncSuccess success{.platform_id = remote.platform_id,
                      .local_hash = snapshot->content_hash,
                      .remote_hash = R,
                      .remote_updated_at = remote.updated_at,
                      .base_version_id = *version,
                      .remote_base_json = remote.raw_json};
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(repo::RecordSuccess(*db, result.card_id, platform, success));
  }
  event.card_id = result.card_id;
  event.status = "ok";
  event.local_hash = snapshot->content_hash;
  event.remote_hash = R;
  event.message = result.action == SyncAction::kImported ? "imported from " + record.display_name
                                                         : "linked to the archive's card with the same content";
  RecordEvent(std::move(event));
  return result;
}

Result<CardDiff> FederationService::Diff(CardId card_id, const std::string& platform) {
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord record, Platform(platform));
  CHARCHIVE_ASSIGN_OR_RETURN(SyncRecord state, LinkedState(card_id, platform, record.display_name));
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformConfig config, ConfigFor(record));
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, MakeAdapter(config));
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<std::string> stored_base, StoredRemoteBase(card_id, platform));
  CHARCHIVE_ASSIGN_OR_RETURN(RemoteCard remote, ReadRemote(*adapter, state, stored_base, retry_));
  CHARCHIVE_ASSIGN_OR_RETURN(Card remote_card, ParseRemote(remote, record.display_name));
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord local_record, archive_.Get(card_id));
  CHARCHIVE_ASSIGN_OR_RETURN(Card local_card, Card::FromJson(local_record.raw_json));
  CHARCHIVE_ASSIGN_OR_RETURN(auto base, BaseContent(card_id, state));
  CardDiff diff;
  diff.base = base ? base->V3Data() : Json(nullptr);
  diff.local = local_card.V3Data();
  diff.remote = remote_card.V3Data();
  diff.fields = DiffContents(base, local_card, remote_card);
  diff.items = DiffItems(sync::Reconcile(base, local_card, ParsedBase(stored_base), remote_card));
  diff.status = state.status;
  return diff;
}

Result<SyncResult> FederationService::Resolve(CardId card_id, const std::string& platform, const Resolution& resolution,
                                              const std::string& trigger) {
  if (resolution.strategy != "local" && resolution.strategy != "remote" && resolution.strategy != "merge") {
    return Status::Invalid(federation_error::kBadField, "strategy must be local, remote or merge");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, UsableAdapter(platform));
  CHARCHIVE_ASSIGN_OR_RETURN(PlatformRecord record, Platform(platform));
  PairLock pair(*this, card_id, platform);
  CHARCHIVE_ASSIGN_OR_RETURN(SyncRecord state, LinkedState(card_id, platform, record.display_name));
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<std::string> stored_base, StoredRemoteBase(card_id, platform));
  CHARCHIVE_ASSIGN_OR_RETURN(RemoteCard remote, ReadRemote(*adapter, state, stored_base, retry_));
  CHARCHIVE_ASSIGN_OR_RETURN(Card remote_card, ParseRemote(remote, record.display_name));
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord local_record, archive_.Get(card_id));
  CHARCHIVE_ASSIGN_OR_RETURN(Card local_card, Card::FromJson(local_record.raw_json));
  CHARCHIVE_ASSIGN_OR_RETURN(auto base, BaseContent(card_id, state));

  std::optional<Card> outcome;  // the content both sides end with
  if (resolution.strategy == "merge") {
    Json merged;
    if (resolution.items.is_null()) {
      CHARCHIVE_ASSIGN_OR_RETURN(merged, MergeContents(base, local_card, remote_card, resolution.fields));
    } else {
      const sync::Reconciliation reconciliation =
          sync::Reconcile(base, local_card, ParsedBase(stored_base), remote_card);
      CHARCHIVE_ASSIGN_OR_RETURN(merged, MergeItems(reconciliation, resolution.items));
    }
    Json document = local_card.document();
    if (local_card.spec() == CardSpec::kV1) document = ToV3Document(local_card);
    document["data"] = std::move(merged);
    CHARCHIVE_ASSIGN_OR_RETURN(Card merged_card, Card::FromDocument(document));
    outcome = std::move(merged_card);
  } else if (resolution.strategy == "local") {
    outcome = local_card;
  }

  // The peer's content becomes a version first, so both sides' contents stay.
  std::string R = ContentHash(remote_card);
  if (R != local_record.content_hash) CHARCHIVE_RETURN_IF_ERROR(TakeRemote(card_id, local_card, remote_card).status());
  SyncResult result{card_id, Status::Ok(), SyncAction::kPulled, *state.platform_id};
  if (outcome) {
    CHARCHIVE_RETURN_IF_ERROR(archive_.ReplaceContent(card_id, *outcome, "merge").status());
    auto pushed = PushWith(*adapter, card_id, platform, {.overwrite = true, .trigger = trigger});
    if (!pushed.ok()) return pushed.status();
    result.action = SyncAction::kPushed;
  } else {
    CHARCHIVE_ASSIGN_OR_RETURN(CardRecord now, archive_.Get(card_id));
    SyncSuccess success{.platform_id = *state.platform_id,
                        .local_hash = now.content_hash,
                        .remote_hash = R,
                        .remote_updated_at = remote.updated_at,
                        .base_version_id = CurrentVersion(archive_, card_id),
                        .remote_base_json = remote.raw_json};
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(repo::RecordSuccess(*db, card_id, platform, success));
  }
  RecordEvent(EventRecord{.card_id = card_id,
                          .platform = platform,
                          .action = "resolve",
                          .status = "ok",
                          .platform_id = state.platform_id,
                          .local_hash = local_record.content_hash,
                          .remote_hash = R,
                          .trigger = trigger,
                          .message = "resolved with strategy " + resolution.strategy});
  return result;
}

}  // namespace charchive::federation
