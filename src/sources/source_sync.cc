#include "sources/source_sync.h"

#include <algorithm>
#include <vector>

#include "card/card_convert.h"
#include "card/card_file.h"
#include "card/content_hash.h"
#include "federation/sync_log.h"
#include "sources/character_tavern_client.h"
#include "sources/chub_client.h"
#include "sources/errors.h"
#include "store/federation_repository.h"
#include "store/source_repository.h"
#include "sync/reconciliation.h"
#include "util/log.h"

namespace charchive::sources {
namespace {

namespace repo = source_repository;

constexpr int64_t kStaleRunSeconds = 600;
constexpr int kMaxPages = 100000;  // a hub that never ends its listing

std::string FileNameFor(const std::string& source_id) {
  std::string name = source_id;
  std::replace(name.begin(), name.end(), '/', '_');
  return name + ".png";
}

}  // namespace

struct SourceSync::Pass {
  SourceRecord record;
  SourceFilters filters;
  SourceRun run;
  const RunOptions& options;
  std::function<bool()> cancelled;
  std::unique_ptr<SourceHttp> http;
  std::unique_ptr<SourceClient> client;
  Json cursors;
  std::string first_error;

  void Report(const std::string& line) {
    if (http) run.requests = http->requests();
    if (options.progress) options.progress(run, line);
  }
};

Result<std::unique_ptr<SourceSync>> SourceSync::Open(Archive& archive, Clock& clock) {
  CHARCHIVE_ASSIGN_OR_RETURN(SecretBox secrets, SecretBox::OpenOrCreate(archive.data_dir() + "/secret.key"));
  return std::unique_ptr<SourceSync>(new SourceSync(archive, std::move(secrets), clock));
}

Result<std::vector<SourceRecord>> SourceSync::Sources() {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::ListSources(*db);
}

Result<SourceRecord> SourceSync::Source(const std::string& source) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::GetSource(*db, source);
}

Result<SourceRecord> SourceSync::Update(const std::string& source, const SourceChange& change) {
  CHARCHIVE_RETURN_IF_ERROR(ValidateChange(change));
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(SourceRecord current, repo::GetSource(*db, source));
  SourceUpdate update;
  auto trimmed = [](std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  };
  if (change.base_url) update.base_url = trimmed(*change.base_url);
  if (change.image_base_url) update.image_base_url = trimmed(*change.image_base_url);
  if (change.api_key) {
    if (!change.api_key->has_value()) {
      update.api_key_sealed = std::optional<std::string>();
    } else if (!(*change.api_key)->empty()) {
      update.api_key_sealed = std::optional<std::string>(secrets_.Seal(**change.api_key));
    }
  }
  if (change.filters) {
    Json merged = FiltersJson(StoredFilters(current));
    merged.update(*change.filters);
    CHARCHIVE_ASSIGN_OR_RETURN(SourceFilters filters, ParseFilters(merged));
    std::string json = FiltersJson(filters).dump();
    if (json != FiltersJson(StoredFilters(current)).dump()) update.filters_json = json;
  }
  update.interval_minutes = change.interval_minutes;
  update.request_interval_ms = change.request_interval_ms;
  update.enabled = change.enabled;
  CHARCHIVE_RETURN_IF_ERROR(repo::UpdateSource(*db, source, update));
  return repo::GetSource(*db, source);
}

Result<std::vector<SourceBlock>> SourceSync::Blocked(const std::string& source) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  if (!source.empty()) CHARCHIVE_RETURN_IF_ERROR(repo::GetSource(*db, source).status());
  return repo::ListBlocks(*db, source);
}

Status SourceSync::Unblock(const std::string& source, const std::string& source_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_RETURN_IF_ERROR(repo::GetSource(*db, source).status());
  return repo::Unblock(*db, source, source_id);
}

Result<std::vector<SourceRun>> SourceSync::Runs(const std::string& source, int64_t limit) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_RETURN_IF_ERROR(repo::GetSource(*db, source).status());
  return repo::ListRuns(*db, source, limit);
}

Result<SourceRun> SourceSync::Run(int64_t id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::GetRun(*db, id);
}

Result<SourceRun> SourceSync::Queue(const std::string& source, bool full, const std::string& trigger) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*db));
  CHARCHIVE_RETURN_IF_ERROR(repo::GetSource(*db, source).status());
  CHARCHIVE_ASSIGN_OR_RETURN(auto active, repo::ActiveRun(*db, source, kStaleRunSeconds));
  if (active) {
    return Status::Conflict(source_error::kRunInProgress, "a run of " + source + " is already " + active->status +
                                                              " (run " + std::to_string(active->id) + ")");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(int64_t id, repo::CreateRun(*db, source, full, trigger, "queued"));
  CHARCHIVE_RETURN_IF_ERROR(tx->Commit());
  return repo::GetRun(*db, id);
}

Result<SourceRun> SourceSync::RunNow(const std::string& source, const RunOptions& options) {
  SourceRun run;
  RunOptions effective = options;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*db));
    CHARCHIVE_RETURN_IF_ERROR(repo::GetSource(*db, source).status());
    CHARCHIVE_ASSIGN_OR_RETURN(auto active, repo::ActiveRun(*db, source, kStaleRunSeconds));
    int64_t id = 0;
    if (active && active->status == "queued") {
      // Queued through the API and not started: run it here rather than wait for a server.
      CHARCHIVE_ASSIGN_OR_RETURN(bool claimed, repo::ClaimQueuedRun(*db, active->id));
      if (claimed) id = active->id;
      effective.full = options.full || active->full;
    }
    if (!id && active) {
      return Status::Conflict(source_error::kRunInProgress, "a run of " + source + " is already " + active->status +
                                                                " (run " + std::to_string(active->id) + ")");
    }
    if (!id) {
      CHARCHIVE_ASSIGN_OR_RETURN(id, repo::CreateRun(*db, source, options.full, options.trigger, "running"));
    }
    CHARCHIVE_RETURN_IF_ERROR(tx->Commit());
    CHARCHIVE_ASSIGN_OR_RETURN(run, repo::GetRun(*db, id));
  }
  return Execute(std::move(run), effective);
}

Result<std::optional<SourceRun>> SourceSync::RunQueued(int64_t run_id, RunOptions options) {
  SourceRun run;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(bool claimed, repo::ClaimQueuedRun(*db, run_id));
    if (!claimed) return std::optional<SourceRun>();
    CHARCHIVE_ASSIGN_OR_RETURN(run, repo::GetRun(*db, run_id));
  }
  options.full = run.full;
  CHARCHIVE_ASSIGN_OR_RETURN(SourceRun done, Execute(std::move(run), options));
  return std::optional<SourceRun>(std::move(done));
}

Result<SourceRun> SourceSync::Cancel(int64_t run_id) {
  bool here = false;
  {
    std::lock_guard lock(cancel_mu_);
    auto it = cancels_.find(run_id);
    if (it != cancels_.end()) {
      it->second->store(true);
      here = true;
    }
  }
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(SourceRun run, repo::GetRun(*db, run_id));
  if (run.status == "running" && !here) {
    return Status::Conflict(source_error::kRunElsewhere,
                            "run " + std::to_string(run_id) +
                                " runs in another process (a `charchive source sync`?): stop it "
                                "there (Ctrl-C)");
  }
  if (run.status == "queued") {
    run.status = "cancelled";
    run.message = "cancelled before it started";
    CHARCHIVE_RETURN_IF_ERROR(repo::SaveRun(*db, run));
  }
  return repo::GetRun(*db, run_id);
}

Result<SourceRun> SourceSync::Execute(SourceRun run, const RunOptions& options) {
  auto flag = std::make_shared<std::atomic<bool>>(false);
  {
    std::lock_guard lock(cancel_mu_);
    cancels_[run.id] = flag;
  }
  Pass pass{.run = std::move(run), .options = options};
  pass.run.status = "running";
  pass.cancelled = [flag, &options] { return flag->load() || (options.cancelled && options.cancelled()); };
  auto save = [&](Pass& p) {
    auto db = archive_.pool().Acquire();
    if (db.ok()) (void)repo::SaveRun(**db, p.run);
  };
  log::Info(
      "source_run_started",
      {{"run", pass.run.id}, {"source", pass.run.source}, {"trigger", pass.run.trigger}, {"full", pass.options.full}});
  Status walked = Walk(pass);
  {
    std::lock_guard lock(cancel_mu_);
    cancels_.erase(pass.run.id);
  }
  if (pass.http) pass.run.requests = pass.http->requests();
  if (walked.ok()) {
    pass.run.status = "done";
    pass.run.message = pass.first_error.empty() ? "" : "some cards failed; the first: " + pass.first_error;
    auto db = archive_.pool().Acquire();
    if (db.ok()) (void)repo::SetCursor(**db, pass.run.source, pass.cursors.dump());
  } else if (walked.kind() == source_error::kCancelled) {
    pass.run.status = "cancelled";
    pass.run.message = "cancelled";
  } else {
    pass.run.status = "failed";
    pass.run.message = walked.message();
  }
  save(pass);
  const SourceRun& r = pass.run;
  std::vector<log::Field> fields{{"run", r.id}, {"source", r.source}, {"status", r.status}};
  for (const RunCounter& counter : RunCounters(r)) fields.emplace_back(counter.name, counter.value);
  fields.emplace_back("message", r.message);
  log::Write(r.status == "failed" ? log::Level::kWarn : log::Level::kInfo, "source_run_finished", fields);
  pass.Report(pass.run.status);
  if (!walked.ok() && walked.kind() != source_error::kCancelled) return walked;
  return pass.run;
}

Status SourceSync::Walk(Pass& pass) {
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(pass.record, repo::GetSource(*db, pass.run.source));
    (void)repo::SaveRun(*db, pass.run);
  }
  pass.filters = StoredFilters(pass.record);
  pass.cursors = Json::parse(pass.record.cursor_json, nullptr, false);
  if (!pass.cursors.is_object()) pass.cursors = Json::object();
  std::string base = pass.options.base_url.value_or(pass.record.base_url);
  std::string image_base =
      pass.options.image_base_url.value_or(pass.options.base_url.value_or(pass.record.image_base_url));
  while (!base.empty() && base.back() == '/') base.pop_back();
  while (!image_base.empty() && image_base.back() == '/') image_base.pop_back();
  if (base.empty()) return Status::Invalid(source_error::kBadField, pass.record.display_name + " has no base URL");

  Politeness politeness = pass.options.politeness.value_or(Politeness{});
  politeness.min_interval = std::chrono::milliseconds(pass.record.request_interval_ms);
  std::vector<std::pair<std::string, std::string>> headers;
  if (pass.record.api_key_sealed) {
    CHARCHIVE_ASSIGN_OR_RETURN(std::string key, secrets_.Open(*pass.record.api_key_sealed));
    if (pass.record.source == "chub") {
      headers = {{"samwise", key}, {"CH-API-KEY", key}};
    } else {
      headers = {{"Authorization", "Bearer " + key}};
    }
  }
  pass.http = std::make_unique<SourceHttp>(limiter_, politeness, std::move(headers), pass.cancelled);
  if (pass.record.source == "chub") {
    pass.client = std::make_unique<ChubClient>(*pass.http, base, image_base);
  } else if (pass.record.source == "ct") {
    pass.client = std::make_unique<CharacterTavernClient>(*pass.http, base, image_base);
  } else {
    return Status::Invalid(source_error::kUnknownSource, "no client for source '" + pass.record.source + "'");
  }

  for (const std::string& listing : pass.client->Listings(pass.filters)) {
    std::optional<std::string> cursor;
    if (pass.cursors.contains(listing) && pass.cursors[listing].is_string()) cursor = pass.cursors[listing];
    std::string newest = cursor.value_or("");
    const int64_t failed_before = pass.run.failed;
    for (int page = 1; page <= kMaxPages; ++page) {
      if (pass.cancelled()) return Status::Conflict(source_error::kCancelled, "cancelled");
      auto listed = pass.client->ListPage(listing, pass.filters, page);
      if (!listed.ok()) {
        if (listed.status().kind() == source_error::kCancelled) return listed.status();
        return listed.status().WithContext("cannot list " + pass.record.display_name + " cards (page " +
                                           std::to_string(page) + ")");
      }
      ++pass.run.pages;
      std::string oldest;
      for (const ListedCard& card : listed->cards) {
        if (pass.cancelled()) return Status::Conflict(source_error::kCancelled, "cancelled");
        ++pass.run.seen;
        CHARCHIVE_RETURN_IF_ERROR(ProcessCard(pass, card));
        if (card.updated_at > newest) newest = card.updated_at;
        if (oldest.empty() || card.updated_at < oldest) oldest = card.updated_at;
      }
      pass.Report("page " + std::to_string(page) + " of " + listing + ": " + std::to_string(listed->cards.size()) +
                  " cards");
      if (listed->last) break;
      // Sorted newest first: the rest of the listing is older than the last complete run.
      if (pass.client->SortedByChange() && !pass.run.full && cursor && !oldest.empty() && oldest <= *cursor) break;
    }
    // A card that failed must be seen again: the cursor moves only past a clean listing.
    if (!newest.empty() && pass.run.failed == failed_before) pass.cursors[listing] = newest;
  }
  return Status::Ok();
}

Status SourceSync::ProcessCard(Pass& pass, const ListedCard& listed) {
  const std::string& source = pass.run.source;
  if (!PassesFilters(listed, pass.filters)) {
    --pass.run.seen;  // not one of the cards asked for
    return Status::Ok();
  }
  std::optional<SourceCardState> state;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(bool blocked, repo::IsBlocked(*db, source, listed.source_id));
    if (blocked) {
      ++pass.run.blocked;
      return Status::Ok();
    }
    CHARCHIVE_ASSIGN_OR_RETURN(state, repo::GetCardState(*db, source, listed.source_id));
  }
  if (state && !pass.run.full && !listed.updated_at.empty() && state->remote_updated_at == listed.updated_at &&
      state->token_count == listed.token_count) {
    ++pass.run.unchanged;
    return Status::Ok();
  }
  auto fail = [&](const Status& status) {
    ++pass.run.failed;
    if (pass.first_error.empty()) pass.first_error = status.message();
    RecordEvent(source, state ? state->card_id : 0, "pull", "error", listed.source_id, status.message());
    pass.Report("failed " + listed.source_id + ": " + status.message());
    return Status::Ok();
  };
  std::optional<CardRecord> local;
  if (state) {
    auto got = archive_.Get(state->card_id);
    if (got.ok() && got->trashed_at) {  // left alone until restored; blocked once the trash is emptied
      ++pass.run.blocked;
      return Status::Ok();
    }
    if (got.ok()) {
      local = *got;
    } else if (got.status().code() != StatusCode::kNotFound) {
      return fail(got.status());
    }
  }
  auto fetched = pass.client->Fetch(listed);
  if (!fetched.ok()) {
    if (fetched.status().kind() == source_error::kCancelled) return fetched.status();
    return fail(fetched.status());
  }
  // The card as the archive will hold it: parsed back from the file it gets.
  auto remote = ParseCardBytes(fetched->png);
  if (!remote.ok()) return fail(remote.status().WithContext(listed.source_id));
  const std::string R = ContentHash(*remote);
  SourceCardState next{.source = source,
                       .source_id = listed.source_id,
                       .remote_updated_at = listed.updated_at,
                       .token_count = listed.token_count,
                       .content_hash = R};

  if (!local) {
    PreparedImport prepared = archive_.PrepareImport(std::move(fetched->png), FileNameFor(listed.source_id));
    prepared.source = source;
    prepared.source_id = listed.source_id;
    std::vector<PreparedImport> batch;
    batch.push_back(std::move(prepared));
    ImportResult imported = std::move(archive_.CommitImports(std::move(batch)).front());
    if (!imported.status.ok()) return fail(imported.status.WithContext("import of " + listed.source_id));
    next.card_id = imported.id ? *imported.id : *imported.duplicate_of;
    CHARCHIVE_ASSIGN_OR_RETURN(CardRecord record, archive_.Get(next.card_id));
    CHARCHIVE_ASSIGN_OR_RETURN(next.base_version_id, archive_.LatestVersionId(next.card_id));
    next.local_hash = record.content_hash;
    next.message = imported.id ? "imported" : "linked to the archive's card with the same content";
    {
      CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
      CHARCHIVE_RETURN_IF_ERROR(repo::PutCardState(*db, next));
    }
    ++pass.run.new_cards;
    RecordEvent(source, next.card_id, "pull", "ok", listed.source_id,
                next.message + " from " + pass.record.display_name);
    pass.Report("new " + listed.source_id);
    return Status::Ok();
  }

  next.card_id = local->id;
  const std::string& L = local->content_hash;
  next.local_hash = L;
  next.base_version_id = state->base_version_id;
  // A source keeps no copy of its own: its base is the archive's (the core's
  // fallback for an unknown remote base). The decision is the core's, per field.
  sync::Outcome outcome = sync::Outcome::kUnchanged;
  if (R != state->content_hash) {
    auto current = Card::FromJson(local->raw_json);
    if (!current.ok()) return fail(current.status());
    std::optional<Card> base;
    if (state->base_version_id) {
      auto version = archive_.Version(local->id, *state->base_version_id);
      if (version.ok()) {
        auto parsed = Card::FromJson(version->raw_json);
        if (parsed.ok()) base = std::move(parsed).value();
      }
    }
    // A card unchanged since the last sync is its own base.
    if (!base && L == state->local_hash) base = *current;
    outcome = sync::Reconcile(base, *current, std::nullopt, *remote).outcome;
  }
  std::string line;
  if (outcome == sync::Outcome::kUnchanged || outcome == sync::Outcome::kPush) {
    // Nothing new from the source; a local edit stays an edit against the same base.
    next.local_hash = state->local_hash;
    next.status = state->status;
    next.pending_json = state->pending_json;
    next.message = state->message;
    ++pass.run.unchanged;
    line = "unchanged " + listed.source_id;
  } else if (outcome == sync::Outcome::kConverged) {
    next.message = "both sides arrived at the same content";
    ++pass.run.unchanged;
    line = "unchanged " + listed.source_id + " (converged)";
  } else if (outcome == sync::Outcome::kPull) {
    CHARCHIVE_ASSIGN_OR_RETURN(Card current, Card::FromJson(local->raw_json));
    CardSpec spec = current.spec() == CardSpec::kV3 ? CardSpec::kV3 : CardSpec::kV2;
    CHARCHIVE_ASSIGN_OR_RETURN(Card content, Card::FromDocument(ToSpecDocument(*remote, spec)));
    auto replaced = archive_.ReplaceContent(local->id, content, "pull");
    if (!replaced.ok()) return fail(replaced.status());
    next.local_hash = replaced->content_hash;
    CHARCHIVE_ASSIGN_OR_RETURN(next.base_version_id, archive_.LatestVersionId(local->id));
    next.message = "updated from " + pass.record.display_name;
    ++pass.run.updated;
    RecordEvent(source, local->id, "pull", "ok", listed.source_id,
                "pulled the change made on " + pass.record.display_name + "; the previous content stays a version");
    line = "updated " + listed.source_id;
  } else {
    // Edited in the archive and changed on the source (a source takes no
    // edits, so even a clean field merge waits): nothing is overwritten.
    next.status = "conflict";
    next.local_hash = state->local_hash;
    next.content_hash = state->content_hash;
    next.pending_json = remote->original_json();
    next.message = "changed in the archive and on " + pass.record.display_name + "; resolve it";
    ++pass.run.conflicts;
    RecordEvent(source, local->id, "conflict", "conflict", listed.source_id,
                next.message + "; nothing was overwritten");
    line = "conflict " + listed.source_id;
  }
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(repo::PutCardState(*db, next));
  }
  pass.Report(line);
  return Status::Ok();
}

void SourceSync::RecordEvent(const std::string& source, CardId card_id, const std::string& action,
                             const std::string& status, const std::string& source_id, const std::string& message) {
  EventRecord event{.platform = source,
                    .action = action,
                    .status = status,
                    .platform_id = source_id,
                    .trigger = "source",
                    .message = message};
  if (card_id) event.card_id = card_id;
  federation::LogSyncEvent(event);
  // History is best effort, as in federation: a failure to record it never fails the run.
  auto db = archive_.pool().Acquire();
  if (!db.ok()) return;
  (void)federation_repository::InsertEvent(**db, event);
}

Status SourceSync::RecoverInterruptedRuns() {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::FailStaleRuns(*db, kStaleRunSeconds);
}

Result<std::optional<SourceCardState>> SourceSync::CardState(CardId card_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  return repo::CardStateFor(*db, card_id);
}

Result<SourceCardState> SourceSync::Resolve(CardId card_id, const std::string& keep) {
  if (keep != "local" && keep != "source")
    return Status::Invalid(source_error::kBadField, "keep must be local or source");
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord local, archive_.Get(card_id));
  CHARCHIVE_ASSIGN_OR_RETURN(auto found, CardState(card_id));
  if (!found)
    return Status::NotFound(source_error::kNotFromSource, "card " + std::to_string(card_id) + " came from no source");
  SourceCardState state = *found;
  if (state.status != "conflict" || !state.pending_json) {
    return Status::Conflict(source_error::kNoConflict,
                            "card " + std::to_string(card_id) + " is not in conflict with " + state.source);
  }
  CHARCHIVE_ASSIGN_OR_RETURN(Card pending, Card::FromJson(*state.pending_json));
  state.content_hash = ContentHash(pending);
  state.local_hash = local.content_hash;
  if (keep == "source") {
    CHARCHIVE_ASSIGN_OR_RETURN(Card current, Card::FromJson(local.raw_json));
    CardSpec spec = current.spec() == CardSpec::kV3 ? CardSpec::kV3 : CardSpec::kV2;
    CHARCHIVE_ASSIGN_OR_RETURN(Card content, Card::FromDocument(ToSpecDocument(pending, spec)));
    CHARCHIVE_ASSIGN_OR_RETURN(CardRecord replaced, archive_.ReplaceContent(card_id, content, "pull"));
    state.local_hash = replaced.content_hash;
  }
  CHARCHIVE_ASSIGN_OR_RETURN(state.base_version_id, archive_.LatestVersionId(card_id));
  state.status = "synced";
  state.pending_json.reset();
  state.message = "resolved: kept the " + std::string(keep == "local" ? "archive's" : "source's") + " content";
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(repo::PutCardState(*db, state));
  }
  RecordEvent(state.source, card_id, "resolve", "ok", state.source_id, state.message);
  return state;
}

}  // namespace charchive::sources
