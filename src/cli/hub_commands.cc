#include "cli/hub_commands.h"

#include <cstdio>
#include <memory>

#include "cli/exit_codes.h"
#include "cli/opened_archive.h"
#include "federation/hub_node.h"

namespace charchive::cli {
namespace {

// Runs `work` with the archive's hub node; its failure becomes the exit code.
void WithNode(const std::string& data, int& exit_code, const std::function<Status(federation::HubNode&)>& work) {
  auto opened = OpenArchive(data, exit_code);
  if (!opened) return;
  federation::HubNode node(*opened->archive, *opened->federation);
  Status status = work(node);
  if (!status.ok()) exit_code = ReportError(status);
}

Status PrintOverview(federation::HubNode& node, bool json) {
  CHARCHIVE_ASSIGN_OR_RETURN(Json overview, node.Overview());
  if (json) {
    std::printf("%s\n", overview.dump(2).c_str());
    return Status::Ok();
  }
  std::printf("node: %s%s\n", overview["enabled"].get<bool>() ? "enabled at " : "disabled",
              overview["enabled"].get<bool>() ? overview["public_url"].get<std::string>().c_str() : "");
  std::printf("publish all: %s, followers accepted automatically: %s, published cards: %lld\n",
              overview["publish_all"].get<bool>() ? "yes" : "no", overview["auto_accept"].get<bool>() ? "yes" : "no",
              static_cast<long long>(overview["published"].get<int64_t>()));
  for (const char* list : {"followers", "following"}) {
    for (const Json& r : overview[list]) {
      std::printf("%-9s %-8s %s\n", list, r["state"].get<std::string>().c_str(), r["actor"].get<std::string>().c_str());
    }
  }
  for (const auto& [state, n] : overview["deliveries"].items()) {
    std::printf("deliveries %s: %lld\n", state.c_str(), static_cast<long long>(n.get<int64_t>()));
  }
  return Status::Ok();
}

}  // namespace

void AddHubCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string data = "./data";
    bool json = false;
    bool enable = false, disable = false;
    std::optional<std::string> public_url;
    bool publish_all = false, no_publish_all = false;
    bool auto_accept = false, manual_accept = false;
    std::vector<CardId> cards;
    bool unpublish = false;
    std::string actor;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("hub", "This archive as a hub node: status, settings, publishing, follows");
  cmd->require_subcommand(1);
  auto* status = cmd->add_subcommand("status", "Settings, followers, following, published cards, deliveries");
  status->add_flag("--json", opts->json, "As JSON");
  auto* set = cmd->add_subcommand("set", "Change the node's settings");
  auto* enable = set->add_flag("--enable", opts->enable, "Turn the node on (needs a public URL)");
  set->add_flag("--disable", opts->disable, "Turn the node off")->excludes(enable);
  set->add_option("--public-url", opts->public_url, "Where other archives reach this one: http(s)://host[:port]");
  auto* all = set->add_flag("--publish-all", opts->publish_all, "Share every card");
  set->add_flag("--no-publish-all", opts->no_publish_all, "Share only cards published one by one")->excludes(all);
  auto* automatic = set->add_flag("--auto-accept", opts->auto_accept, "Accept followers without asking");
  set->add_flag("--manual-accept", opts->manual_accept, "Hold followers until accepted")->excludes(automatic);
  auto* publish = cmd->add_subcommand("publish", "Share cards with followers (or stop, with --unpublish)");
  publish->add_option("cards", opts->cards, "Card ids")->required();
  publish->add_flag("--unpublish", opts->unpublish, "Stop sharing them (followers get a Delete)");
  auto* follow = cmd->add_subcommand("follow", "Follow the archive platform's actor (sent while `serve` runs)");
  auto* unfollow = cmd->add_subcommand("unfollow", "Stop following the hub");
  auto* accept = cmd->add_subcommand("accept", "Accept a pending follower");
  auto* reject = cmd->add_subcommand("reject", "Reject a pending follower");
  for (auto* answer : {accept, reject}) answer->add_option("actor", opts->actor, "The follower's actor id")->required();
  for (auto* sub : {status, set, publish, follow, unfollow, accept, reject}) {
    sub->add_option("--data", opts->data, "Data directory (default ./data)");
  }

  status->callback([opts, &exit_code] {
    WithNode(opts->data, exit_code, [&](federation::HubNode& node) { return PrintOverview(node, opts->json); });
  });
  set->callback([opts, &exit_code] {
    WithNode(opts->data, exit_code, [&](federation::HubNode& node) {
      federation::HubSettingsUpdate update;
      if (opts->enable || opts->disable) update.enabled = opts->enable;
      update.public_url = opts->public_url;
      if (opts->publish_all || opts->no_publish_all) update.publish_all = opts->publish_all;
      if (opts->auto_accept || opts->manual_accept) update.auto_accept = opts->auto_accept;
      CHARCHIVE_RETURN_IF_ERROR(node.UpdateSettings(update).status());
      return PrintOverview(node, false);
    });
  });
  publish->callback([opts, &exit_code] {
    WithNode(opts->data, exit_code, [&](federation::HubNode& node) {
      for (CardId id : opts->cards) CHARCHIVE_RETURN_IF_ERROR(node.SetPublished(id, !opts->unpublish));
      std::printf("%s %zu card(s)\n", opts->unpublish ? "unpublished" : "published", opts->cards.size());
      return Status::Ok();
    });
  });
  follow->callback([opts, &exit_code] {
    WithNode(opts->data, exit_code, [&](federation::HubNode& node) {
      CHARCHIVE_ASSIGN_OR_RETURN(auto relation, node.Follow());
      std::printf("asked to follow %s (%s)\n", relation.actor_id.c_str(), relation.state.c_str());
      return Status::Ok();
    });
  });
  unfollow->callback([opts, &exit_code] {
    WithNode(opts->data, exit_code, [](federation::HubNode& node) { return node.Unfollow(); });
  });
  accept->callback([opts, &exit_code] {
    WithNode(opts->data, exit_code, [&](federation::HubNode& node) { return node.AnswerFollower(opts->actor, true); });
  });
  reject->callback([opts, &exit_code] {
    WithNode(opts->data, exit_code, [&](federation::HubNode& node) { return node.AnswerFollower(opts->actor, false); });
  });
}

}  // namespace charchive::cli
