#include "cli/federation_commands.h"

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "cli/errors.h"
#include "cli/exit_codes.h"
#include "cli/log_options.h"
#include "cli/opened_archive.h"
#include "cli/progress_bar.h"
#include "federation/errors.h"
#include "federation/federation_service.h"
#include "store/errors.h"

namespace charchive::cli {
namespace {

using federation::FederationService;

const char* Or(const std::optional<std::string>& value, const char* fallback) {
  return value ? value->c_str() : fallback;
}

}  // namespace

void AddPushCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string data = "./data";
    std::string platform;
    std::vector<CardId> cards;
    bool all = false;
    bool overwrite = false;
    bool publish_as_new = false;
    int concurrency = 4;
    LogOptions log;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("push",
                                 "Push cards to a platform (SillyTavern, Character Architect, CardsHub, "
                                 "another archive)");
  cmd->add_option("--data", opts->data, "Data directory (default ./data)");
  cmd->add_option("--platform", opts->platform, "architect | sillytavern | hub (CardsHub) | archive")->required();
  auto* card = cmd->add_option("--card", opts->cards, "Card ids to push");
  auto* all = cmd->add_flag("--all", opts->all, "Push every card in the archive");
  card->excludes(all);
  cmd->add_flag("--overwrite", opts->overwrite, "Replace copies changed on the platform since the last sync");
  cmd->add_flag("--publish-as-new", opts->publish_as_new,
                "CardsHub, which cannot update a card: publish changed cards as new cards (the old ones stay)");
  cmd->add_option("--concurrency", opts->concurrency, "Cards pushed at once (1-16, default 4)")
      ->check(CLI::Range(1, 16));
  AddLogOptions(cmd, opts->log, "off");
  cmd->callback([opts, &exit_code] {
    if (Status configured = ApplyLogOptions(opts->log); !configured.ok()) {
      exit_code = ReportError(configured);
      return;
    }
    if (opts->cards.empty() && !opts->all) {
      exit_code = ReportError(Status::Invalid(cli_error::kBadArguments, "say which cards: --card ID... or --all"));
      return;
    }
    auto opened = OpenArchive(opts->data, exit_code);
    if (!opened) return;
    std::vector<CardId> ids = opts->cards;
    if (opts->all) {
      auto every = opened->archive->CardIds();
      if (!every.ok()) {
        exit_code = ReportError(every.status());
        return;
      }
      ids = std::move(every).value();
      if (ids.empty()) {
        std::printf("the archive has no cards to push\n");
        return;
      }
    }
    ProgressBar bar;
    federation::BulkPushOptions options;
    options.overwrite = opts->overwrite;
    options.publish_as_new = opts->publish_as_new;
    options.concurrency = opts->concurrency;
    options.trigger = "cli";
    options.progress = [&](const federation::PushResult&, size_t done, size_t total) { bar.Update(done, total); };
    auto report = opened->federation->BulkPush(opts->platform, ids, options);
    if (!report.ok()) {
      exit_code = ReportError(report.status(), opts->platform);
      return;
    }
    size_t conflicts = 0;
    for (const auto& r : report->results) {
      if (r.status.ok()) continue;
      conflicts += r.status.kind() == federation_error::kRemoteChanged;
      std::fprintf(stderr, "failed: card %lld: %s\n", static_cast<long long>(r.card_id), r.status.ToString().c_str());
    }
    double elapsed = bar.Elapsed();
    std::printf("pushed %zu, failed %zu (%zu cards in %.2fs, %.0f cards/s)\n", report->succeeded, report->failed,
                report->total, elapsed, elapsed > 0 ? report->total / elapsed : 0.0);
    // Conflicts alone say "resolve"; any other failure says the peer failed.
    if (report->failed > conflicts) {
      exit_code = kExitRemote;
    } else if (conflicts > 0) {
      exit_code = kExitConflict;
    }
  });
}

namespace {

// Shared by pull and sync: the cards asked for, or every linked card.
struct SyncArgs {
  std::string data = "./data";
  std::string platform;
  std::vector<CardId> cards;
  bool all = false;
  bool pull_new = false;
  LogOptions log;
};

void RunSync(const SyncArgs& args, bool push, int& exit_code) {
  if (Status configured = ApplyLogOptions(args.log); !configured.ok()) {
    exit_code = ReportError(configured);
    return;
  }
  if (args.cards.empty() && !args.all && !args.pull_new) {
    exit_code =
        ReportError(Status::Invalid(cli_error::kBadArguments, push ? "say which cards: --card ID... or --all"
                                                                   : "say which cards: --card ID..., --all or --new"));
    return;
  }
  auto opened = OpenArchive(args.data, exit_code);
  if (!opened) return;
  federation::SyncOptions options{.push_local_changes = push, .trigger = "cli"};
  std::vector<federation::SyncResult> results;
  ProgressBar bar;
  if (args.all) {
    auto all = opened->federation->SyncAll(
        args.platform, options,
        [&](const federation::SyncResult&, size_t done, size_t total) { bar.Update(done, total); });
    if (!all.ok()) {
      exit_code = ReportError(all.status(), args.platform);
      return;
    }
    results = std::move(all).value();
  }
  for (size_t i = 0; i < args.cards.size(); ++i) {
    auto r = opened->federation->Sync(args.cards[i], args.platform, options);
    if (!r.ok() && (r.status().kind() == store_error::kUnknownPlatform ||
                    r.status().kind() == federation_error::kPlatformDisabled ||
                    r.status().kind() == federation_error::kPlatformUnconfigured)) {
      exit_code = ReportError(r.status(), args.platform);
      return;
    }
    results.push_back(r.ok() ? *r : federation::SyncResult{args.cards[i], r.status()});
    bar.Update(i + 1, args.cards.size());
  }
  if (args.pull_new) {
    auto imported = opened->federation->PullNew(args.platform, "cli");
    if (!imported.ok()) {
      exit_code = ReportError(imported.status(), args.platform);
      return;
    }
    results.insert(results.end(), imported->begin(), imported->end());
  }
  std::map<std::string, size_t> counts;
  size_t failed = 0;
  for (const auto& r : results) {
    if (!r.status.ok()) {
      ++failed;
      std::fprintf(stderr, "failed: card %lld: %s\n", static_cast<long long>(r.card_id), r.status.ToString().c_str());
      continue;
    }
    ++counts[federation::SyncActionName(r.action)];
    if (r.action == federation::SyncAction::kConflict) {
      std::fprintf(stderr,
                   "conflict: card %lld: changed on both sides; see `charchive history --card %lld`, "
                   "resolve in the web UI or with the API\n",
                   static_cast<long long>(r.card_id), static_cast<long long>(r.card_id));
    } else if (r.action == federation::SyncAction::kDuplicate) {
      std::fprintf(stderr, "duplicate: %s on %s is another copy of card %lld, which is linked to one; left alone\n",
                   r.platform_id.c_str(), args.platform.c_str(), static_cast<long long>(r.card_id));
    }
  }
  std::string summary;
  for (const auto& [action, n] : counts) summary += (summary.empty() ? "" : ", ") + action + " " + std::to_string(n);
  std::printf("%s%s%zu failed (%zu cards)\n", summary.c_str(), summary.empty() ? "" : ", ", failed, results.size());
  if (failed > 0) {
    exit_code = kExitRemote;
  } else if (counts.count(federation::SyncActionName(federation::SyncAction::kConflict))) {
    exit_code = kExitConflict;
  }
}

void AddSyncArgs(CLI::App* cmd, SyncArgs& args, bool with_new) {
  cmd->add_option("--data", args.data, "Data directory (default ./data)");
  cmd->add_option("--platform", args.platform, "architect | sillytavern | hub (CardsHub) | archive")->required();
  auto* card = cmd->add_option("--card", args.cards, "Card ids");
  auto* all = cmd->add_flag("--all", args.all, "Every card linked to the platform");
  card->excludes(all);
  if (with_new) cmd->add_flag("--new", args.pull_new, "Import the platform's cards the archive does not have");
  AddLogOptions(cmd, args.log, "off");
}

}  // namespace

void AddPullCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SyncArgs>();
  auto* cmd = app.add_subcommand("pull",
                                 "Bring changes made on a platform into the archive (conflicts are flagged, "
                                 "never overwritten)");
  AddSyncArgs(cmd, *args, true);
  cmd->callback([args, &exit_code] { RunSync(*args, false, exit_code); });
}

void AddSyncCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SyncArgs>();
  auto* cmd = app.add_subcommand("sync",
                                 "Two-way sync with a platform: push local changes, pull remote ones, "
                                 "flag conflicts");
  AddSyncArgs(cmd, *args, false);
  cmd->callback([args, &exit_code] { RunSync(*args, true, exit_code); });
}

void AddHistoryCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string data = "./data";
    std::optional<CardId> card;
    std::optional<std::string> platform;
    std::optional<std::string> status;
    int64_t limit = 50;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("history", "The sync history: every push, pull, conflict, resolution and error");
  cmd->add_option("--data", opts->data, "Data directory (default ./data)");
  cmd->add_option("--card", opts->card, "One card");
  cmd->add_option("--platform", opts->platform, "One platform");
  cmd->add_option("--status", opts->status, "ok | error | conflict");
  cmd->add_option("--limit", opts->limit, "Newest N events (default 50)")->check(CLI::Range(1, 1000));
  cmd->add_flag("--json", opts->json, "Machine-readable output");
  cmd->callback([opts, &exit_code] {
    auto opened = OpenArchive(opts->data, exit_code);
    if (!opened) return;
    EventFilter filter{.card_id = opts->card, .platform = opts->platform, .status = opts->status, .limit = opts->limit};
    auto events = opened->federation->Events(filter);
    if (!events.ok()) {
      exit_code = ReportError(events.status());
      return;
    }
    Json out = Json::array();
    for (const auto& e : *events) {
      if (opts->json) {
        out.push_back({{"id", e.id},
                       {"card_id", e.card_id ? Json(*e.card_id) : Json(nullptr)},
                       {"platform", e.platform},
                       {"action", e.action},
                       {"status", e.status},
                       {"trigger", e.trigger},
                       {"message", e.message},
                       {"created_at", e.created_at}});
        continue;
      }
      std::printf("%s  %-11s %-8s %-8s card %-6s %s\n", e.created_at.c_str(), e.platform.c_str(), e.action.c_str(),
                  e.status.c_str(), e.card_id ? std::to_string(*e.card_id).c_str() : "-", e.message.c_str());
    }
    if (opts->json) std::printf("%s\n", out.dump(2).c_str());
  });
}

void AddStatusCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string data = "./data";
    std::string platform;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("status", "Sync states per platform; with --platform, every tracked card");
  cmd->add_option("--data", opts->data, "Data directory (default ./data)");
  cmd->add_option("--platform", opts->platform, "One platform");
  cmd->add_flag("--json", opts->json, "Machine-readable output");
  cmd->callback([opts, &exit_code] {
    auto opened = OpenArchive(opts->data, exit_code);
    if (!opened) return;
    auto platforms = opened->federation->Platforms();
    if (!platforms.ok()) {
      exit_code = ReportError(platforms.status());
      return;
    }
    Json out = Json::array();
    bool found = opts->platform.empty();
    for (const auto& p : *platforms) {
      if (!opts->platform.empty() && p.platform != opts->platform) continue;
      found = true;
      auto counts = opened->federation->StatusCounts(p.platform);
      if (!counts.ok()) {
        exit_code = ReportError(counts.status());
        return;
      }
      Json item{{"platform", p.platform}, {"enabled", p.enabled}, {"base_url", p.base_url}, {"counts", Json::object()}};
      for (const auto& [status, n] : *counts) item["counts"][status] = n;
      if (!opts->platform.empty()) {
        auto cards = opened->federation->PlatformCards(p.platform, std::nullopt);
        if (!cards.ok()) {
          exit_code = ReportError(cards.status());
          return;
        }
        item["cards"] = Json::array();
        for (const auto& c : *cards) {
          item["cards"].push_back({{"id", c.sync.card_id},
                                   {"name", c.name},
                                   {"status", SyncStateName(c.sync.status)},
                                   {"platform_id", Or(c.sync.platform_id, "")},
                                   {"content_hash", c.content_hash},
                                   {"local_hash", Or(c.sync.local_hash, "")},
                                   {"remote_hash", Or(c.sync.remote_hash, "")},
                                   {"error", Or(c.sync.error_message, "")}});
        }
      }
      out.push_back(std::move(item));
    }
    if (!found) {
      exit_code =
          ReportError(Status::NotFound(cli_error::kUnknownPlatform, "no platform named '" + opts->platform + "'"));
      return;
    }
    if (opts->json) {
      std::printf("%s\n", out.dump(2).c_str());
      return;
    }
    for (const auto& item : out) {
      std::printf(
          "%-12s %-8s %s\n", item["platform"].get<std::string>().c_str(),
          item["enabled"].get<bool>() ? "enabled" : "disabled",
          item["base_url"].get<std::string>().empty() ? "(no base URL)" : item["base_url"].get<std::string>().c_str());
      for (const auto& [status, n] : item["counts"].items())
        std::printf("  %-9s %lld\n", status.c_str(), n.get<long long>());
      if (!item.contains("cards")) continue;
      for (const auto& c : item["cards"]) {
        std::printf("  #%-6lld %-8s %-30s %s\n", c["id"].get<long long>(), c["status"].get<std::string>().c_str(),
                    c["name"].get<std::string>().c_str(), c["error"].get<std::string>().c_str());
      }
    }
  });
}

void AddPlatformCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string data = "./data";
    std::string platform;
    std::optional<std::string> base_url;
    bool enable = false;
    bool disable = false;
    std::optional<std::string> auth;
    std::optional<std::string> user;
    bool api_key_stdin = false;
    std::optional<std::string> cforge;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("platform", "Show, configure and test the federation platforms");
  cmd->require_subcommand(1);
  auto* list = cmd->add_subcommand("list", "Every platform and its settings (keys masked)");
  auto* set = cmd->add_subcommand("set", "Change a platform's settings");
  auto* test = cmd->add_subcommand("test", "Test the connection to a platform");
  for (auto* sub : {list, set, test}) sub->add_option("--data", opts->data, "Data directory (default ./data)");
  set->add_option("PLATFORM", opts->platform, "architect | sillytavern | hub (CardsHub) | archive")->required();
  test->add_option("PLATFORM", opts->platform, "architect | sillytavern | hub (CardsHub) | archive")->required();
  set->add_option("--base-url", opts->base_url, "The peer's URL, e.g. http://127.0.0.1:8000");
  auto* enable = set->add_flag("--enable", opts->enable, "Enable the platform");
  set->add_flag("--disable", opts->disable, "Disable the platform")->excludes(enable);
  set->add_option("--auth", opts->auth, "none | bearer | basic | sillytavern-csrf | login");
  set->add_option("--user", opts->user, "User name for basic auth or a login (CardsHub)");
  set->add_flag("--api-key-stdin", opts->api_key_stdin, "Read the API key or password from stdin (empty clears it)");
  set->add_option("--cforge", opts->cforge, "SillyTavern: use the CForge plugin when it answers (on|off)")
      ->check(CLI::IsMember({"on", "off"}));

  list->callback([opts, &exit_code] {
    auto opened = OpenArchive(opts->data, exit_code);
    if (!opened) return;
    auto platforms = opened->federation->Platforms();
    if (!platforms.ok()) {
      exit_code = ReportError(platforms.status());
      return;
    }
    for (const auto& p : *platforms) {
      std::printf("%-12s %-8s auth=%-16s key=%-10s %s\n", p.platform.c_str(), p.enabled ? "enabled" : "disabled",
                  AuthKindName(p.auth_kind), p.api_key_sealed ? "configured" : "none",
                  p.base_url.empty() ? "(no base URL)" : p.base_url.c_str());
    }
  });
  set->callback([opts, &exit_code] {
    auto opened = OpenArchive(opts->data, exit_code);
    if (!opened) return;
    federation::PlatformSettings s;
    s.base_url = opts->base_url;
    s.auth_kind = opts->auth;
    s.username = opts->user;
    if (opts->enable || opts->disable) s.enabled = opts->enable;
    if (opts->cforge) s.options = Json{{"use_cforge", *opts->cforge == "on"}};
    if (opts->api_key_stdin) {
      std::string key;
      std::getline(std::cin, key);
      s.api_key = key.empty() ? std::optional<std::string>() : std::optional<std::string>(key);
    }
    auto updated = opened->federation->UpdatePlatform(opts->platform, s);
    if (!updated.ok()) {
      exit_code = ReportError(updated.status(), opts->platform);
      return;
    }
    std::printf("%s: %s, %s\n", updated->platform.c_str(), updated->enabled ? "enabled" : "disabled",
                updated->base_url.empty() ? "(no base URL)" : updated->base_url.c_str());
  });
  test->callback([opts, &exit_code] {
    auto opened = OpenArchive(opts->data, exit_code);
    if (!opened) return;
    auto result = opened->federation->TestPlatform(opts->platform, "cli");
    if (!result.ok()) {
      exit_code = ReportError(result.status(), opts->platform);
      return;
    }
    if (!result->connected) {
      exit_code = ReportError(Status::Remote(cli_error::kNotConnected, result->error), opts->platform);
      return;
    }
    std::printf("connected: %s\n", result->data.dump().c_str());
  });
}

void AddRemoteCardCommands(CLI::App& app, int& exit_code) {
  struct Options {
    std::string data = "./data";
    std::string platform;
    CardId card = 0;
    std::string visibility;
    bool yes = false;
  };
  auto opts = std::make_shared<Options>();
  auto* visibility = app.add_subcommand("visibility",
                                        "Set who may see a card's copy on a platform (CardsHub: "
                                        "public, private, nsfw_only, unlisted)");
  auto* unpublish = app.add_subcommand("unpublish", "Delete a card's copy on a platform (the archive keeps the card)");
  for (auto* cmd : {visibility, unpublish}) {
    cmd->add_option("--data", opts->data, "Data directory (default ./data)");
    cmd->add_option("--platform", opts->platform, "hub (CardsHub)")->required();
    cmd->add_option("--card", opts->card, "Card id")->required();
  }
  visibility->add_option("VISIBILITY", opts->visibility, "public | private | nsfw_only | unlisted")->required();
  unpublish->add_flag("--yes", opts->yes, "Confirm: the copy on the platform is deleted for good");
  visibility->callback([opts, &exit_code] {
    auto opened = OpenArchive(opts->data, exit_code);
    if (!opened) return;
    Status set = opened->federation->SetRemoteVisibility(opts->card, opts->platform, opts->visibility, "cli");
    if (!set.ok()) {
      exit_code = ReportError(set, opts->platform);
      return;
    }
    std::printf("card %lld on %s: %s\n", static_cast<long long>(opts->card), opts->platform.c_str(),
                opts->visibility.c_str());
  });
  unpublish->callback([opts, &exit_code] {
    if (!opts->yes) {
      exit_code = ReportError(Status::Invalid(cli_error::kBadArguments,
                                              "unpublishing deletes the card on the platform for good: add --yes"));
      return;
    }
    auto opened = OpenArchive(opts->data, exit_code);
    if (!opened) return;
    Status removed = opened->federation->Unpublish(opts->card, opts->platform, "cli");
    if (!removed.ok()) {
      exit_code = ReportError(removed, opts->platform);
      return;
    }
    std::printf("card %lld deleted on %s; the archive keeps it\n", static_cast<long long>(opts->card),
                opts->platform.c_str());
  });
}

}  // namespace charchive::cli
