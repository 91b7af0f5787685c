#include "sync/reconciliation.h"

#include <gtest/gtest.h>

#include <functional>

#include "sync/merge.h"
#include "testing/sync_test_cards.h"

namespace charchive::sync {
namespace {

using testing::CardOf;
using testing::EntryWithId;
using testing::MakeData;

Reconciliation ReconcileData(const Json& local_base, const Json& local, const Json& remote_base, const Json& remote) {
  return Reconcile(CardOf(local_base), CardOf(local), CardOf(remote_base), CardOf(remote));
}

Decision DecisionAt(const Reconciliation& r, const ItemPath& path) {
  const Item* item = r.Find(path);
  EXPECT_NE(item, nullptr) << path.ToString();
  return item ? item->decision : Decision::kUnchanged;
}

// Every item but `path` is unchanged.
void ExpectOnlyItem(const Reconciliation& r, const ItemPath& path) {
  for (const Item& item : r.items) {
    if (item.path == path) continue;
    EXPECT_EQ(item.decision, Decision::kUnchanged) << item.path.ToString() << ": " << DecisionName(item.decision);
  }
}

// One kind of item: where it is and how to write and read its value.
struct ItemKindCase {
  const char* name;
  ItemPath path;
  std::function<void(Json& data, const std::string& value)> set;
  std::function<Json(const Json& data)> get;
};

std::vector<ItemKindCase> KindCases() {
  return {
      {"text field", ItemPath::Field("scenario"), [](Json& d, const std::string& v) { d["scenario"] = v; },
       [](const Json& d) { return d["scenario"]; }},
      {"extensions key", ItemPath::Extension("my_app/x"),
       [](Json& d, const std::string& v) {
         d["extensions"]["my_app/x"] = {{"keep", v}};
       },
       [](const Json& d) { return d["extensions"]["my_app/x"]; }},
      {"lorebook field", ItemPath::LorebookField("name"),
       [](Json& d, const std::string& v) { d["character_book"]["name"] = v; },
       [](const Json& d) { return d["character_book"]["name"]; }},
      {"lorebook entry field", ItemPath::EntryField("id:1", "content"),
       [](Json& d, const std::string& v) { EntryWithId(d, 1)["content"] = v; },
       [](const Json& d) {
         Json copy = d;
         return EntryWithId(copy, 1)["content"];
       }},
      {"greeting", ItemPath::Greeting("alternate_greetings", 1),
       [](Json& d, const std::string& v) { d["alternate_greetings"][1] = v; },
       [](const Json& d) { return d["alternate_greetings"][1]; }},
  };
}

// design §6 row by row, for every kind of item: (local, remote) values with
// both bases at "base".
struct Row {
  const char* local;
  const char* remote;
  Decision decision;
  Outcome outcome;
};

constexpr Row kRows[] = {
    {"base", "base", Decision::kUnchanged, Outcome::kUnchanged},
    {"mine", "base", Decision::kTakeLocal, Outcome::kPush},
    {"base", "theirs", Decision::kTakeRemote, Outcome::kPull},
    {"same", "same", Decision::kConverged, Outcome::kConverged},
    {"mine", "theirs", Decision::kConflict, Outcome::kConflict},
};

TEST(Reconcile, TheTableForEveryKindOfItem) {
  for (const ItemKindCase& c : KindCases()) {
    for (const Row& row : kRows) {
      SCOPED_TRACE(std::string(c.name) + ": local " + row.local + ", remote " + row.remote);
      Json base = MakeData(), local = base, remote = base;
      c.set(base, "base");
      c.set(local, row.local);
      c.set(remote, row.remote);
      Reconciliation r = ReconcileData(base, local, base, remote);
      EXPECT_EQ(DecisionAt(r, c.path), row.decision);
      ExpectOnlyItem(r, c.path);
      EXPECT_EQ(r.outcome, row.outcome) << OutcomeName(r.outcome);

      auto merged = Merge(r);
      if (row.decision == Decision::kConflict) {
        ASSERT_FALSE(merged.ok());
        EXPECT_EQ(merged.status().kind(), "merge_conflict");
        EXPECT_NE(merged.status().message().find(c.path.ToString()), std::string::npos) << merged.status().message();
        for (auto [choice, want] : {std::pair{Choice::Local(), "mine"}, std::pair{Choice::Remote(), "theirs"}}) {
          auto chosen = Merge(r, {{c.path, choice}});
          ASSERT_TRUE(chosen.ok()) << chosen.status().ToString();
          Json expected = MakeData();
          c.set(expected, want);
          EXPECT_EQ(c.get(chosen->local), c.get(expected));
          EXPECT_EQ(c.get(chosen->remote), c.get(expected));
        }
        continue;
      }
      ASSERT_TRUE(merged.ok()) << merged.status().ToString();
      EXPECT_EQ(c.get(merged->local), c.get(row.decision == Decision::kTakeRemote ? remote : local));
      EXPECT_EQ(c.get(merged->remote), c.get(row.decision == Decision::kTakeLocal ? local : remote));
      EXPECT_EQ(merged->local_changed, row.decision == Decision::kTakeRemote);
      EXPECT_EQ(merged->remote_changed, row.decision == Decision::kTakeLocal);
      // What a side keeps is its own copy, unchanged.
      if (!merged->local_changed) {
        EXPECT_EQ(merged->local.dump(), r.local_data.dump());
      }
      if (!merged->remote_changed) {
        EXPECT_EQ(merged->remote.dump(), r.remote_data.dump());
      }
    }
  }
}

TEST(Reconcile, AChosenValueGoesToBothSides) {
  Json base = MakeData(), local = base, remote = base;
  local["scenario"] = "mine";
  remote["scenario"] = "theirs";
  Reconciliation r = ReconcileData(base, local, base, remote);
  auto merged = Merge(r, {{ItemPath::Field("scenario"), Choice::Value("ours")}});
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->local["scenario"], "ours");
  EXPECT_EQ(merged->remote["scenario"], "ours");
  EXPECT_TRUE(merged->local_changed);
  EXPECT_TRUE(merged->remote_changed);
}

TEST(Reconcile, FieldsOnlyOneSideChangedMergeBothWays) {
  Json base = MakeData(), local = base, remote = base;
  local["description"] = "A loud librarian.";
  remote["scenario"] = "a library at noon";
  Reconciliation r = ReconcileData(base, local, base, remote);
  EXPECT_EQ(r.outcome, Outcome::kPushAndPull);
  auto merged = Merge(r);
  ASSERT_TRUE(merged.ok());
  for (const Json* side : {&merged->local, &merged->remote}) {
    EXPECT_EQ((*side)["description"], "A loud librarian.");
    EXPECT_EQ((*side)["scenario"], "a library at noon");
  }
}

TEST(Reconcile, ExtensionKeysAreDecidedOneByOne) {
  Json base = MakeData(), local = base, remote = base;
  local["extensions"]["my_app/x"] = {{"keep", false}};
  remote["extensions"]["depth_prompt"]["prompt"] = "Be very kind.";
  remote["extensions"]["their_app"] = {{"added", 1}};
  Reconciliation r = ReconcileData(base, local, base, remote);
  EXPECT_EQ(DecisionAt(r, ItemPath::Extension("my_app/x")), Decision::kTakeLocal);
  EXPECT_EQ(DecisionAt(r, ItemPath::Extension("depth_prompt")), Decision::kTakeRemote);
  EXPECT_EQ(DecisionAt(r, ItemPath::Extension("their_app")), Decision::kTakeRemote);
  auto merged = Merge(r);
  ASSERT_TRUE(merged.ok());
  for (const Json* side : {&merged->local, &merged->remote}) {
    EXPECT_EQ((*side)["extensions"]["my_app/x"]["keep"], false);
    EXPECT_EQ((*side)["extensions"]["depth_prompt"]["prompt"], "Be very kind.");
    EXPECT_EQ((*side)["extensions"]["their_app"]["added"], 1);
  }
  // A key removed on one side is removed on the other.
  Json removed = base;
  removed["extensions"].erase("my_app/x");
  Reconciliation r2 = ReconcileData(base, removed, base, base);
  EXPECT_EQ(DecisionAt(r2, ItemPath::Extension("my_app/x")), Decision::kTakeLocal);
  auto merged2 = Merge(r2);
  ASSERT_TRUE(merged2.ok());
  EXPECT_FALSE(merged2->remote["extensions"].contains("my_app/x"));
}

TEST(Reconcile, EditsOfDifferentEntriesMerge) {
  Json base = MakeData(), local = base, remote = base;
  EntryWithId(local, 1)["content"] = "The library closes at nine.";
  EntryWithId(remote, 2)["content"] = "The lamp is red.";
  Reconciliation r = ReconcileData(base, local, base, remote);
  EXPECT_EQ(r.outcome, Outcome::kPushAndPull);
  EXPECT_EQ(DecisionAt(r, ItemPath::EntryField("id:1", "content")), Decision::kTakeLocal);
  EXPECT_EQ(DecisionAt(r, ItemPath::EntryField("id:2", "content")), Decision::kTakeRemote);
  auto merged = Merge(r);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  for (Json* side : {&merged->local, &merged->remote}) {
    EXPECT_EQ(EntryWithId(*side, 1)["content"], "The library closes at nine.");
    EXPECT_EQ(EntryWithId(*side, 2)["content"], "The lamp is red.");
  }
}

TEST(Reconcile, BothEditingOneEntryFieldConflictsOnThatFieldOnly) {
  Json base = MakeData(), local = base, remote = base;
  EntryWithId(local, 1)["content"] = "mine";
  EntryWithId(local, 1)["keys"] = {"library", "books"};
  EntryWithId(remote, 1)["content"] = "theirs";
  EntryWithId(remote, 1)["enabled"] = false;
  Reconciliation r = ReconcileData(base, local, base, remote);
  EXPECT_EQ(r.outcome, Outcome::kConflict);
  ASSERT_EQ(r.Conflicts().size(), 1u);
  EXPECT_EQ(r.Conflicts()[0], ItemPath::EntryField("id:1", "content"));
  EXPECT_EQ(DecisionAt(r, ItemPath::EntryField("id:1", "keys")), Decision::kTakeLocal);
  EXPECT_EQ(DecisionAt(r, ItemPath::EntryField("id:1", "enabled")), Decision::kTakeRemote);
  auto merged = Merge(r, {{ItemPath::EntryField("id:1", "content"), Choice::Remote()}});
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  for (Json* side : {&merged->local, &merged->remote}) {
    Json& e = EntryWithId(*side, 1);
    EXPECT_EQ(e["content"], "theirs");
    EXPECT_EQ(e["keys"], Json({"library", "books"}));
    EXPECT_EQ(e["enabled"], false);
  }
}

TEST(Reconcile, EntriesAddedRemovedAndReordered) {
  Json base = MakeData();
  Json added_entry = {{"id", 3}, {"keys", {"door"}}, {"content", "The door creaks."}};

  Json local = base;
  local["character_book"]["entries"].push_back(added_entry);
  Reconciliation added = ReconcileData(base, local, base, base);
  EXPECT_EQ(DecisionAt(added, ItemPath::Entry("id:3")), Decision::kTakeLocal);
  auto pushed = Merge(added);
  ASSERT_TRUE(pushed.ok());
  EXPECT_EQ(pushed->remote["character_book"]["entries"].size(), 3u);
  EXPECT_EQ(pushed->remote["character_book"]["entries"][2]["content"], "The door creaks.");

  Json remote = base;
  remote["character_book"]["entries"].erase(0);
  Reconciliation removed = ReconcileData(base, base, base, remote);
  EXPECT_EQ(DecisionAt(removed, ItemPath::Entry("id:1")), Decision::kTakeRemote);
  EXPECT_EQ(removed.outcome, Outcome::kPull);
  auto pulled = Merge(removed);
  ASSERT_TRUE(pulled.ok());
  ASSERT_EQ(pulled->local["character_book"]["entries"].size(), 1u);
  EXPECT_EQ(pulled->local["character_book"]["entries"][0]["id"], 2);

  // Removed on one side, edited on the other: the entry is a conflict.
  Json edited = base;
  EntryWithId(edited, 1)["content"] = "edited";
  Reconciliation clash = ReconcileData(base, edited, base, remote);
  EXPECT_EQ(DecisionAt(clash, ItemPath::Entry("id:1")), Decision::kConflict);
  auto kept = Merge(clash, {{ItemPath::Entry("id:1"), Choice::Local()}});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->remote["character_book"]["entries"].size(), 2u);
  EXPECT_EQ(kept->remote["character_book"]["entries"][0]["content"], "edited");

  // Both added the same entry: converged, one copy.
  Json both = base;
  both["character_book"]["entries"].push_back(added_entry);
  Reconciliation same = ReconcileData(base, both, base, both);
  EXPECT_EQ(DecisionAt(same, ItemPath::Entry("id:3")), Decision::kConverged);
  EXPECT_EQ(same.outcome, Outcome::kConverged);

  // Two different entries that happen to get the same next id are both kept.
  Json other = base;
  other["character_book"]["entries"].push_back({{"id", 3}, {"keys", {"window"}}, {"content", "Rain."}});
  auto union_merge = Merge(ReconcileData(base, both, base, other));
  ASSERT_TRUE(union_merge.ok()) << union_merge.status().ToString();
  EXPECT_EQ(union_merge->local["character_book"]["entries"].size(), 4u);
  EXPECT_EQ(union_merge->remote["character_book"]["entries"].size(), 4u);

  // A reorder on one side is taken.
  Json reordered = base;
  std::swap(reordered["character_book"]["entries"][0], reordered["character_book"]["entries"][1]);
  Reconciliation order = ReconcileData(base, base, base, reordered);
  EXPECT_EQ(DecisionAt(order, ItemPath::EntryOrder()), Decision::kTakeRemote);
  ExpectOnlyItem(order, ItemPath::EntryOrder());
  auto ordered = Merge(order);
  ASSERT_TRUE(ordered.ok());
  EXPECT_EQ(ordered->local["character_book"]["entries"][0]["id"], 2);
  EXPECT_EQ(ordered->local["character_book"]["entries"][1]["id"], 1);
}

TEST(Reconcile, EntriesWithoutIdsMatchByKeysAndName) {
  Json base = MakeData();
  for (auto& e : base["character_book"]["entries"]) e.erase("id");
  Json local = base, remote = base;
  local["character_book"]["entries"][0]["content"] = "mine";
  remote["character_book"]["entries"][1]["content"] = "theirs";
  std::swap(remote["character_book"]["entries"][0], remote["character_book"]["entries"][1]);
  Reconciliation r = ReconcileData(base, local, base, remote);
  EXPECT_EQ(DecisionAt(r, ItemPath::EntryField("keys:library;name:", "content")), Decision::kTakeLocal);
  EXPECT_EQ(DecisionAt(r, ItemPath::EntryField("keys:lamp;name:", "content")), Decision::kTakeRemote);
  EXPECT_EQ(DecisionAt(r, ItemPath::EntryOrder()), Decision::kTakeRemote);
  auto merged = Merge(r);
  ASSERT_TRUE(merged.ok());
  const Json& entries = merged->local["character_book"]["entries"];
  EXPECT_EQ(entries[0]["content"], "theirs");
  EXPECT_EQ(entries[1]["content"], "mine");
}

TEST(Reconcile, GreetingsAddedRemovedAndEdited) {
  Json base = MakeData();
  Json local = base, remote = base;
  local["alternate_greetings"].push_back("One more.");
  remote["alternate_greetings"][0] = "Hi again, friend.";
  Reconciliation r = ReconcileData(base, local, base, remote);
  EXPECT_EQ(r.outcome, Outcome::kPushAndPull);
  EXPECT_EQ(DecisionAt(r, ItemPath::Greeting("alternate_greetings", 0)), Decision::kTakeRemote);
  EXPECT_EQ(DecisionAt(r, ItemPath::Greeting("alternate_greetings", 3)), Decision::kTakeLocal);
  auto merged = Merge(r);
  ASSERT_TRUE(merged.ok());
  Json want = {"Hi again, friend.", "Welcome back.", "Late, aren't you?", "One more."};
  EXPECT_EQ(merged->local["alternate_greetings"], want);
  EXPECT_EQ(merged->remote["alternate_greetings"], want);

  // A greeting removed in the middle does not shift the others: an edit of
  // the next one on the other side still merges.
  Json removed = base, next_edited = base;
  removed["alternate_greetings"].erase(1);
  next_edited["alternate_greetings"][2] = "Late again?";
  Reconciliation shift = ReconcileData(base, removed, base, next_edited);
  EXPECT_EQ(DecisionAt(shift, ItemPath::Greeting("alternate_greetings", 1)), Decision::kTakeLocal);
  EXPECT_EQ(DecisionAt(shift, ItemPath::Greeting("alternate_greetings", 2)), Decision::kTakeRemote);
  auto shifted = Merge(shift);
  ASSERT_TRUE(shifted.ok());
  EXPECT_EQ(shifted->remote["alternate_greetings"], Json({"Hi again.", "Late again?"}));

  // Removed on one side, edited on the other: a conflict on that greeting.
  Json edited = base;
  edited["alternate_greetings"][1] = "Welcome back, dear.";
  Reconciliation clash = ReconcileData(base, removed, base, edited);
  EXPECT_EQ(clash.Conflicts(), std::vector<ItemPath>{ItemPath::Greeting("alternate_greetings", 1)});

  // Different greetings added on both sides are both kept.
  Json local_group = base, remote_group = base;
  local_group["group_only_greetings"].push_back("Hello, party.");
  remote_group["group_only_greetings"].push_back("Hello, crowd.");
  auto both = Merge(ReconcileData(base, local_group, base, remote_group));
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  Json group = {"Hello, all.", "Hello, party.", "Hello, crowd."};
  EXPECT_EQ(both->local["group_only_greetings"], group);
  EXPECT_EQ(both->remote["group_only_greetings"], group);
}

// SillyTavern's native import stored "Who? Test" as "Who Test"; the user then
// edits the scenario on SillyTavern.
TEST(Reconcile, APeersRenameOnImportStaysThePeers) {
  Json local = MakeData();
  Json remote_base = local;
  remote_base["name"] = "Who Test";
  Json remote = remote_base;
  remote["scenario"] = "a library at dawn";
  Reconciliation r = ReconcileData(local, local, remote_base, remote);
  EXPECT_EQ(DecisionAt(r, ItemPath::Field("name")), Decision::kUnchanged);
  EXPECT_EQ(DecisionAt(r, ItemPath::Field("scenario")), Decision::kTakeRemote);
  EXPECT_EQ(r.outcome, Outcome::kPull);
  auto merged = Merge(r);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->local["name"], "Who? Test");
  EXPECT_EQ(merged->local["scenario"], "a library at dawn");
  EXPECT_TRUE(merged->local_changed);
  EXPECT_FALSE(merged->remote_changed);
}

// Character Architect's import dropped probability and selectiveLogic, moved
// use_regex into the entry's extensions and turned position "" into
// "after_char"; then an unrelated edit on Architect.
TEST(Reconcile, APeersLorebookRewriteOnImportStaysThePeers) {
  Json local = MakeData();
  Json remote_base = local;
  for (auto& e : remote_base["character_book"]["entries"]) {
    e.erase("probability");
    e.erase("selectiveLogic");
    e["extensions"]["use_regex"] = e["use_regex"];
    e.erase("use_regex");
    e["position"] = "after_char";
  }
  remote_base["group_only_greetings"] = local["group_only_greetings"];
  Json remote = remote_base;
  remote["description"] = "A loud librarian.";
  Card local_card = CardOf(local);
  Reconciliation r = Reconcile(local_card, local_card, CardOf(remote_base), CardOf(remote));
  EXPECT_EQ(r.outcome, Outcome::kPull);
  ExpectOnlyItem(r, ItemPath::Field("description"));
  auto merged = Merge(r);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->local["description"], "A loud librarian.");
  EXPECT_EQ(merged->local["character_book"].dump(), local_card.V3Data()["character_book"].dump());
  EXPECT_FALSE(merged->remote_changed);

  // An archive edit of entry 2 goes to Architect without undoing its rewrite of
  // entry 1.
  Json edited = local;
  EntryWithId(edited, 2)["content"] = "The lamp is red.";
  auto pushed = Merge(Reconcile(local_card, CardOf(edited), CardOf(remote_base), CardOf(remote_base)));
  ASSERT_TRUE(pushed.ok());
  EXPECT_EQ(EntryWithId(pushed->remote, 2)["content"], "The lamp is red.");
  EXPECT_EQ(EntryWithId(pushed->remote, 1).dump(), EntryWithId(remote_base, 1).dump());
  EXPECT_FALSE(pushed->local_changed);
}

// SillyTavern's editor, saving without a change, writes depth_prompt.role
// "system", talkativeness 0.5 and world "".
TEST(Reconcile, DefaultEquivalentValuesAreNoChange) {
  Json base = MakeData();
  Json remote = base;
  remote["extensions"]["depth_prompt"]["role"] = "system";
  remote["extensions"]["talkativeness"] = "0.5";
  remote["extensions"]["world"] = "";
  remote["nickname"] = "";
  remote["source"] = Json::array();
  Reconciliation r = ReconcileData(base, base, base, remote);
  EXPECT_EQ(r.outcome, Outcome::kUnchanged);
  auto merged = Merge(r);
  ASSERT_TRUE(merged.ok());
  EXPECT_FALSE(merged->local_changed);
  EXPECT_EQ(merged->local.dump(), r.local_data.dump());
}

TEST(Reconcile, UnknownBases) {
  Json local = MakeData(), remote = local;
  Card l = CardOf(local);
  EXPECT_EQ(Reconcile(std::nullopt, l, std::nullopt, CardOf(remote)).outcome, Outcome::kConverged);
  remote["scenario"] = "elsewhere";
  Reconciliation none = Reconcile(std::nullopt, l, std::nullopt, CardOf(remote));
  EXPECT_EQ(none.Conflicts(), std::vector<ItemPath>{ItemPath::Field("scenario")});
  // One known base serves both sides.
  EXPECT_EQ(Reconcile(l, l, std::nullopt, CardOf(remote)).outcome, Outcome::kPull);
  EXPECT_EQ(Reconcile(std::nullopt, l, l, CardOf(remote)).outcome, Outcome::kPull);
}

TEST(Merge, RefusesChoicesItCannotApply) {
  Json base = MakeData(), remote = base;
  remote["scenario"] = "elsewhere";
  Reconciliation r = ReconcileData(base, base, base, remote);
  auto unknown = Merge(r, {{ItemPath::Field("no_such_field"), Choice::Local()}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().kind(), "bad_field");
  auto order = Merge(r, {{ItemPath::EntryOrder(), Choice::Value(Json::array())}});
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.status().kind(), "bad_field");
  auto greeting = Merge(r, {{ItemPath::Greeting("alternate_greetings", 0), Choice::Value(3)}});
  ASSERT_FALSE(greeting.ok());
  EXPECT_EQ(greeting.status().kind(), "bad_field");
  // A choice overrides a decision: keep the archive's scenario.
  auto kept = Merge(r, {{ItemPath::Field("scenario"), Choice::Local()}});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->remote["scenario"], base["scenario"]);
  EXPECT_FALSE(kept->local_changed);
  EXPECT_TRUE(kept->remote_changed);
}

TEST(Merge, ALorebookRemovedOnOneSideIsRemovedOnTheOther) {
  Json base = MakeData(), local = base;
  local.erase("character_book");
  Reconciliation r = ReconcileData(base, local, base, base);
  EXPECT_EQ(r.outcome, Outcome::kPush);
  auto merged = Merge(r);
  ASSERT_TRUE(merged.ok());
  EXPECT_FALSE(merged->remote.contains("character_book"));
  // And one added on one side is added on the other.
  auto added = Merge(ReconcileData(local, local, local, base));
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->local["character_book"]["entries"].size(), 2u);
  EXPECT_EQ(added->local["character_book"]["name"], "Lore");
}

}  // namespace
}  // namespace charchive::sync
