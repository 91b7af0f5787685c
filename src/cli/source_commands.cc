#include "cli/source_commands.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/errors.h"
#include "cli/exit_codes.h"
#include "cli/log_options.h"
#include "sources/source_sync.h"
#include "store/archive.h"

namespace charchive::cli {
namespace {

using sources::SourceSync;

constexpr int kExitInterrupted = 130;
std::atomic<bool> g_interrupted{false};

void OnInterrupt(int) { g_interrupted = true; }

// Runs `work` with the archive's sources; its failure becomes the exit code.
void WithSources(const std::string& data, int& exit_code, const std::function<Status(SourceSync&)>& work) {
  auto archive = Archive::Open(data);
  if (!archive.ok()) {
    exit_code = ReportError(archive.status(), data);
    return;
  }
  auto sync = SourceSync::Open(**archive);
  if (!sync.ok()) {
    exit_code = ReportError(sync.status(), data);
    return;
  }
  Status status = work(**sync);
  if (!status.ok()) exit_code = ReportError(status);
}

std::string Report(const SourceRun& r) {
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "new %lld, updated %lld, unchanged %lld, conflicts %lld, blocked %lld, failed %lld "
                "(pages %lld, requests %lld)",
                static_cast<long long>(r.new_cards), static_cast<long long>(r.updated),
                static_cast<long long>(r.unchanged), static_cast<long long>(r.conflicts),
                static_cast<long long>(r.blocked), static_cast<long long>(r.failed), static_cast<long long>(r.pages),
                static_cast<long long>(r.requests));
  return buf;
}

void PrintSource(const SourceRecord& r) {
  Json view = sources::SourceJson(r);
  std::printf("%-5s %-17s %-8s %s (images %s)\n", r.source.c_str(), r.display_name.c_str(),
              r.enabled ? "enabled" : "disabled", r.base_url.c_str(), r.image_base_url.c_str());
  std::printf("      every %s, %lld ms between requests, api key %s, filters %s, last run %s\n",
              r.interval_minutes > 0 ? (std::to_string(r.interval_minutes) + " min").c_str() : "- (manual)",
              static_cast<long long>(r.request_interval_ms), r.api_key_sealed ? "configured" : "none",
              view["filters"].dump().c_str(), r.last_run_at ? r.last_run_at->c_str() : "never");
}

}  // namespace

void AddSourceCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string data = "./data";
    bool json = false;
    std::string source;
    bool full = false;
    std::optional<std::string> base_url, image_base_url;
    bool api_key_stdin = false, clear_api_key = false;
    std::optional<std::string> tags, creators;
    bool nsfw = false, no_nsfw = false;
    std::optional<int64_t> min_tokens, interval_minutes, request_interval_ms;
    bool enable = false, disable = false;
    std::string id;
    int64_t limit = 10;
    CardId card = 0;
    std::string keep;
    LogOptions log;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("source", "Public card hubs the archive pulls from (Chub, Character Tavern)");
  cmd->require_subcommand(1);
  auto* list = cmd->add_subcommand("list", "The sources and their settings");
  auto* set = cmd->add_subcommand("set", "Change a source's settings");
  auto* sync = cmd->add_subcommand("sync", "Pull new and changed cards from a source now");
  auto* runs = cmd->add_subcommand("runs", "A source's recent runs");
  auto* blocked = cmd->add_subcommand("blocked", "Cards deleted here, which syncs do not import again");
  auto* unblock = cmd->add_subcommand("unblock", "Let a deleted card be imported again");
  auto* resolve = cmd->add_subcommand("resolve", "Settle a card in conflict with its source");
  for (auto* sub : {list, set, sync, runs, blocked, unblock, resolve}) {
    sub->add_option("--data", opts->data, "Data directory (default ./data)");
  }
  for (auto* sub : {list, sync, runs, blocked}) sub->add_flag("--json", opts->json, "As JSON");
  for (auto* sub : {set, sync, runs}) {
    sub->add_option("source", opts->source, "chub or ct")->required()->check(CLI::IsMember({"chub", "ct"}));
  }
  blocked->add_option("source", opts->source, "chub or ct (default: both)")->check(CLI::IsMember({"chub", "ct"}));
  unblock->add_option("id", opts->id, "The card's id on the source (Chub: creator/slug; Character Tavern: its id)")
      ->required();
  unblock->add_option("--source", opts->source, "chub or ct, when both blocked the same id")
      ->check(CLI::IsMember({"chub", "ct"}));

  set->add_option("--base-url", opts->base_url, "The hub's API base URL");
  set->add_option("--image-base-url", opts->image_base_url, "Where the hub serves card images");
  auto* key = set->add_flag("--api-key-stdin", opts->api_key_stdin, "Read the API key from stdin (sealed at rest)");
  set->add_flag("--clear-api-key", opts->clear_api_key, "Forget the API key")->excludes(key);
  set->add_option("--tags", opts->tags, "Only cards with all these tags (comma-separated; empty: any)");
  set->add_option("--creators", opts->creators, "Only these creators' cards (comma-separated; empty: everyone)");
  auto* nsfw = set->add_flag("--nsfw", opts->nsfw, "Include NSFW cards");
  set->add_flag("--no-nsfw", opts->no_nsfw, "Leave NSFW cards out")->excludes(nsfw);
  set->add_option("--min-tokens", opts->min_tokens, "Only cards with at least this many tokens");
  set->add_option("--interval-minutes", opts->interval_minutes, "Sync every N minutes while `serve` runs (0: off)");
  set->add_option("--request-interval-ms", opts->request_interval_ms,
                  "Milliseconds between two requests to one host (default 1000)");
  auto* enable = set->add_flag("--enable", opts->enable, "Let the schedule run");
  set->add_flag("--disable", opts->disable, "Stop the schedule")->excludes(enable);

  sync->add_flag("--full", opts->full, "Walk every page and download every card again");
  AddLogOptions(sync, opts->log, "off");
  sync->add_option("--base-url", opts->base_url, "This run only: another base URL (images too)");
  sync->add_option("--image-base-url", opts->image_base_url, "This run only: another image base URL");
  runs->add_option("--limit", opts->limit, "How many (default 10)")->check(CLI::Range(1, 500));
  resolve->add_option("card", opts->card, "The archive card id")->required();
  resolve->add_option("--keep", opts->keep, "local or source")->required()->check(CLI::IsMember({"local", "source"}));

  list->callback([opts, &exit_code] {
    WithSources(opts->data, exit_code, [&](SourceSync& s) {
      CHARCHIVE_ASSIGN_OR_RETURN(auto records, s.Sources());
      if (opts->json) {
        Json out = Json::array();
        for (const auto& r : records) out.push_back(sources::SourceJson(r));
        std::printf("%s\n", Json{{"sources", out}}.dump(2).c_str());
        return Status::Ok();
      }
      for (const auto& r : records) PrintSource(r);
      return Status::Ok();
    });
  });
  set->callback([opts, &exit_code] {
    WithSources(opts->data, exit_code, [&](SourceSync& s) {
      sources::SourceChange change;
      change.base_url = opts->base_url;
      change.image_base_url = opts->image_base_url;
      if (opts->api_key_stdin) {
        std::string line;
        std::getline(std::cin, line);
        change.api_key = line.empty() ? std::optional<std::string>() : std::optional<std::string>(line);
      } else if (opts->clear_api_key) {
        change.api_key = std::optional<std::string>();
      }
      Json filters = Json::object();
      if (opts->tags) filters["tags"] = *opts->tags;
      if (opts->creators) filters["creators"] = *opts->creators;
      if (opts->nsfw || opts->no_nsfw) filters["nsfw"] = opts->nsfw;
      if (opts->min_tokens) filters["min_tokens"] = *opts->min_tokens;
      if (!filters.empty()) change.filters = filters;
      change.interval_minutes = opts->interval_minutes;
      change.request_interval_ms = opts->request_interval_ms;
      if (opts->enable || opts->disable) change.enabled = opts->enable;
      CHARCHIVE_ASSIGN_OR_RETURN(SourceRecord updated, s.Update(opts->source, change));
      PrintSource(updated);
      return Status::Ok();
    });
  });
  sync->callback([opts, &exit_code] {
    if (Status configured = ApplyLogOptions(opts->log); !configured.ok()) {
      exit_code = ReportError(configured);
      return;
    }
    WithSources(opts->data, exit_code, [&](SourceSync& s) {
      sources::RunOptions options;
      options.full = opts->full;
      options.trigger = "cli";
      options.base_url = opts->base_url;
      options.image_base_url = opts->image_base_url;
      g_interrupted = false;
      auto previous = std::signal(SIGINT, OnInterrupt);
      options.cancelled = [] { return g_interrupted.load(); };
      auto start = std::chrono::steady_clock::now();
      options.progress = [&](const SourceRun& run, const std::string& line) {
        if (opts->json) return;
        std::fprintf(stderr, "%s: %s  [%s]\n", run.source.c_str(), line.c_str(), Report(run).c_str());
      };
      auto run = s.RunNow(opts->source, options);
      std::signal(SIGINT, previous);
      if (!run.ok()) return run.status();
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (opts->json) {
        std::printf("%s\n", sources::RunJson(*run).dump(2).c_str());
      } else {
        std::printf("%s run %lld %s in %.1f s: %s\n", run->source.c_str(), static_cast<long long>(run->id),
                    run->status.c_str(), seconds, Report(*run).c_str());
        if (!run->message.empty()) std::printf("%s\n", run->message.c_str());
      }
      if (run->status == "cancelled") exit_code = kExitInterrupted;
      return Status::Ok();
    });
  });
  runs->callback([opts, &exit_code] {
    WithSources(opts->data, exit_code, [&](SourceSync& s) {
      CHARCHIVE_ASSIGN_OR_RETURN(auto list, s.Runs(opts->source, opts->limit));
      if (opts->json) {
        Json out = Json::array();
        for (const auto& r : list) out.push_back(sources::RunJson(r));
        std::printf("%s\n", Json{{"runs", out}}.dump(2).c_str());
        return Status::Ok();
      }
      for (const auto& r : list) {
        std::printf("%-5lld %-9s %-8s %s  %s%s%s\n", static_cast<long long>(r.id), r.status.c_str(), r.trigger.c_str(),
                    r.created_at.c_str(), Report(r).c_str(), r.message.empty() ? "" : "  ", r.message.c_str());
      }
      return Status::Ok();
    });
  });
  blocked->callback([opts, &exit_code] {
    WithSources(opts->data, exit_code, [&](SourceSync& s) {
      CHARCHIVE_ASSIGN_OR_RETURN(auto list, s.Blocked(opts->source));
      if (opts->json) {
        Json out = Json::array();
        for (const auto& b : list) {
          out.push_back(Json{{"source", b.source},
                             {"source_id", b.source_id},
                             {"card_name", b.card_name},
                             {"blocked_at", b.blocked_at}});
        }
        std::printf("%s\n", Json{{"blocked", out}}.dump(2).c_str());
        return Status::Ok();
      }
      if (list.empty()) std::printf("no blocked cards\n");
      for (const auto& b : list) {
        std::printf("%-5s %-40s %-30s %s\n", b.source.c_str(), b.source_id.c_str(), b.card_name.c_str(),
                    b.blocked_at.c_str());
      }
      return Status::Ok();
    });
  });
  unblock->callback([opts, &exit_code] {
    WithSources(opts->data, exit_code, [&](SourceSync& s) {
      std::string source = opts->source;
      if (source.empty()) {
        CHARCHIVE_ASSIGN_OR_RETURN(auto list, s.Blocked(""));
        int matches = 0;
        for (const auto& b : list) {
          if (b.source_id == opts->id) {
            source = b.source;
            ++matches;
          }
        }
        if (matches == 0)
          return Status::NotFound(cli_error::kNotBlocked, "no source has '" + opts->id + "' on its block list");
        if (matches > 1)
          return Status::Invalid(cli_error::kAmbiguous, "both sources blocked '" + opts->id + "': add --source");
      }
      CHARCHIVE_RETURN_IF_ERROR(s.Unblock(source, opts->id));
      std::printf("unblocked %s %s: the next sync imports it again\n", source.c_str(), opts->id.c_str());
      return Status::Ok();
    });
  });
  resolve->callback([opts, &exit_code] {
    WithSources(opts->data, exit_code, [&](SourceSync& s) {
      CHARCHIVE_ASSIGN_OR_RETURN(auto state, s.Resolve(opts->card, opts->keep));
      std::printf("card %lld: %s\n", static_cast<long long>(opts->card), state.message.c_str());
      return Status::Ok();
    });
  });
}

}  // namespace charchive::cli
