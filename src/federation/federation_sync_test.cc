#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "card/canonical_json.h"
#include "card/content_hash.h"
#include "federation/errors.h"
#include "federation/federation_service.h"
#include "testing/test_cards.h"
#include "tests/fakes/fake_architect.h"

namespace charchive::federation {
namespace {

using testing::FakeArchitect;
using testing::MakeCardPng;
using testing::MakeV2Card;
using testing::TempDir;

// Equal content whatever the key order.
std::string Canon(const Json& j) { return CanonicalJson(j); }

// The sync cycle (docs/federation.md "Two-way sync") against the fake Character Architect.
class FederationSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = std::move(Archive::Open(dir_.path().string())).value();
    service_ = std::move(FederationService::Open(*archive_)).value();
    PlatformSettings s;
    s.base_url = architect_.base_url();
    s.enabled = true;
    ASSERT_TRUE(service_->UpdatePlatform("architect", s).ok());
    Json card = MakeV2Card("Mira", "Line one.\nLine two.\nLine three.");
    card["data"]["scenario"] = "A library.";
    card["data"]["character_book"] = Json{{"name", "Lore"},
                                          {"extensions", Json::object()},
                                          {"entries", Json::array({Json{{"id", 1},
                                                                        {"keys", {"a"}},
                                                                        {"content", "Entry A"},
                                                                        {"extensions", Json::object()},
                                                                        {"enabled", true},
                                                                        {"insertion_order", 0}},
                                                                   Json{{"id", 2},
                                                                        {"keys", {"b"}},
                                                                        {"content", "Entry B"},
                                                                        {"extensions", Json::object()},
                                                                        {"enabled", true},
                                                                        {"insertion_order", 1}}})}};
    id_ = *archive_->ImportBytes(MakeCardPng(card), "mira.png").id;
    auto pushed = service_->Push(id_, "architect", {});
    ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
    remote_id_ = pushed->platform_id;
  }

  SyncResult SyncNow() {
    auto r = service_->Sync(id_, "architect", {});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SyncResult{};
  }
  std::string Status() { return SyncStateName((*service_->CardSyncs(id_))[0].status); }

  // Lorebook entry 1 edited in the archive, entry 2 on Architect.
  void EditEntryAHereAndEntryBThere() {
    Json book = LocalData()["character_book"];
    book["entries"][0]["content"] = "Entry A, edited here";
    ASSERT_TRUE(archive_->UpdateData(id_, Json{{"character_book", book}}).ok());
    Json remote = Json::parse(architect_.Card(remote_id_)["data"].dump());
    remote["data"]["character_book"]["entries"][1]["content"] = "Entry B, edited there";
    httplib::Client(architect_.base_url())
        .Patch("/api/cards/" + remote_id_, Json{{"data", remote}}.dump(), "application/json");
  }
  Json LocalData() { return Card::FromJson(archive_->Get(id_)->raw_json)->V3Data(); }
  Json RemoteData() { return architect_.Card(remote_id_)["data"]["data"]; }

  TempDir dir_;
  FakeArchitect architect_;
  std::unique_ptr<Archive> archive_;
  std::unique_ptr<FederationService> service_;
  CardId id_ = 0;
  std::string remote_id_;
};

TEST_F(FederationSyncTest, NoChangeStaysSyncedPoll) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(SyncNow().action, SyncAction::kUnchanged);
    EXPECT_EQ(Status(), "synced");
  }
  EXPECT_EQ(archive_->Versions(id_)->size(), 1u);
}

TEST_F(FederationSyncTest, ARemoteEditIsPulledAndTheOldContentStaysAVersion) {
  architect_.EditCard(remote_id_, "scenario", "A burning library.");
  SyncResult r = SyncNow();
  EXPECT_EQ(r.action, SyncAction::kPulled);
  EXPECT_EQ(LocalData()["scenario"], "A burning library.");
  auto versions = *archive_->Versions(id_);
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].reason, "pull");
  auto old = archive_->Version(id_, versions[1].id);
  EXPECT_EQ(Card::FromJson(old->raw_json)->V3Data()["scenario"], "A library.");
  EXPECT_EQ(Status(), "synced");
  auto state = (*service_->CardSyncs(id_))[0];
  EXPECT_EQ(state.local_hash, state.remote_hash);
  EXPECT_EQ(SyncNow().action, SyncAction::kUnchanged);
}

TEST_F(FederationSyncTest, ALocalEditIsPushedOrLeftPending) {
  ASSERT_TRUE(archive_->UpdateData(id_, Json{{"personality", "restless"}}).ok());
  auto pending = service_->Sync(id_, "architect", {.push_local_changes = false});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->action, SyncAction::kPending);
  EXPECT_EQ(Status(), "pending");
  EXPECT_NE(RemoteData()["personality"], "restless");
  EXPECT_EQ(SyncNow().action, SyncAction::kPushed);
  EXPECT_EQ(RemoteData()["personality"], "restless");
  EXPECT_EQ(Status(), "synced");
}

TEST_F(FederationSyncTest, BothEditedTheSameWayConverge) {
  ASSERT_TRUE(archive_->UpdateData(id_, Json{{"scenario", "Same edit."}}).ok());
  architect_.EditCard(remote_id_, "scenario", "Same edit.");
  EXPECT_EQ(SyncNow().action, SyncAction::kConverged);
  EXPECT_EQ(Status(), "synced");
  EXPECT_EQ(SyncNow().action, SyncAction::kUnchanged);
}

TEST_F(FederationSyncTest, AConflictOverwritesNothingAndMergeSettlesIt) {
  ASSERT_TRUE(archive_->UpdateData(id_, Json{{"description", "Line one.\nLine two, edited here.\nLine three."}}).ok());
  architect_.EditCard(remote_id_, "scenario", "Edited in Architect.");
  architect_.EditCard(remote_id_, "description", "Line one.\nLine two, edited there.\nLine three.");
  size_t versions_before = archive_->Versions(id_)->size();
  EXPECT_EQ(SyncNow().action, SyncAction::kConflict);
  EXPECT_EQ(Status(), "conflict");
  EXPECT_EQ(SyncNow().action, SyncAction::kConflict);  // stays, records one conflict event
  EXPECT_EQ(LocalData()["description"], "Line one.\nLine two, edited here.\nLine three.");
  EXPECT_EQ(RemoteData()["description"], "Line one.\nLine two, edited there.\nLine three.");
  EXPECT_EQ(archive_->Versions(id_)->size(), versions_before);
  EXPECT_EQ(service_->Events(EventFilter{.card_id = id_, .status = "conflict"})->size(), 1u);

  auto diff = service_->Diff(id_, "architect");
  ASSERT_TRUE(diff.ok()) << diff.status().ToString();
  std::map<std::string, Json> fields;
  for (const auto& f : diff->fields) fields[f["field"]] = f;
  ASSERT_TRUE(fields.count("description"));
  EXPECT_TRUE(fields["description"]["conflict"]);
  EXPECT_FALSE(fields["scenario"]["conflict"]);
  EXPECT_TRUE(fields["scenario"]["remote_changed"]);
  EXPECT_FALSE(fields.count("name"));
  // The line diff names the changed line only.
  size_t changed = 0;
  for (const auto& line : fields["description"]["local_lines"]) changed += line["op"] != " ";
  EXPECT_EQ(changed, 2u);  // "-Line two." "+Line two, edited here."
  EXPECT_EQ(diff->base["description"], "Line one.\nLine two.\nLine three.");

  // Without a choice for the field both changed, the merge is refused.
  auto refused = service_->Resolve(id_, "architect", {"merge", Json::object()});
  EXPECT_EQ(refused.status().kind(), "merge_conflict");
  EXPECT_NE(refused.status().message().find("description"), std::string::npos);

  auto merged = service_->Resolve(id_, "architect", {"merge", Json{{"description", "remote"}}});
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(Status(), "synced");
  EXPECT_EQ(LocalData()["description"], "Line one.\nLine two, edited there.\nLine three.");
  EXPECT_EQ(LocalData()["scenario"], "Edited in Architect.");  // taken from the side that changed it
  EXPECT_EQ(ContentHash(*Card::FromJson(architect_.Card(remote_id_)["data"].dump())), archive_->Get(id_)->content_hash);
  // Both previous contents stay as versions: the local edit and the remote one.
  bool local_kept = false, remote_kept = false;
  auto all_versions = *archive_->Versions(id_);
  for (const auto& v : all_versions) {
    auto version = archive_->Version(id_, v.id);
    ASSERT_TRUE(version.ok()) << version.status().ToString();
    auto card = Card::FromJson(version->raw_json);
    ASSERT_TRUE(card.ok()) << v.reason << ": " << card.status().ToString() << " in "
                           << version->raw_json.substr(0, 200);
    Json data = card->V3Data();
    local_kept |= data["description"] == "Line one.\nLine two, edited here.\nLine three.";
    remote_kept |= v.reason == "pull" && data["scenario"] == "Edited in Architect." &&
                   data["description"] == "Line one.\nLine two, edited there.\nLine three.";
  }
  EXPECT_TRUE(local_kept);
  EXPECT_TRUE(remote_kept);
  EXPECT_EQ(SyncNow().action, SyncAction::kUnchanged);
}

TEST_F(FederationSyncTest, LorebookEntriesMergeOneByOne) {
  EditEntryAHereAndEntryBThere();
  // Different entries: a clean field-level merge, no conflict to resolve.
  EXPECT_EQ(SyncNow().action, SyncAction::kPushed);
  EXPECT_EQ(Status(), "synced");
  Json entries = LocalData()["character_book"]["entries"];
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["content"], "Entry A, edited here");
  EXPECT_EQ(entries[1]["content"], "Entry B, edited there");
  EXPECT_EQ(Canon(RemoteData()["character_book"]["entries"]), Canon(entries));
  EXPECT_EQ(SyncNow().action, SyncAction::kUnchanged);
}

// A card whose lorebook Architect rewrites on import (docs/peers.md "What
// Architect rewrites"): the peer's copy differs from the archive's from the
// first push, with nothing edited by anyone.
class ArchitectRewriteTest : public FederationSyncTest {
 protected:
  void SetUp() override {
    FederationSyncTest::SetUp();
    Json book = LocalData()["character_book"];
    for (Json& entry : book["entries"]) {
      entry["probability"] = 40;
      entry["selectiveLogic"] = 1;
      entry["use_regex"] = true;
      entry["position"] = "";
    }
    ASSERT_TRUE(archive_->UpdateData(id_, Json{{"character_book", book}}).ok());
    auto pushed = service_->Push(id_, "architect", {.overwrite = true});
    ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
    Json stored = RemoteData()["character_book"]["entries"][0];
    ASSERT_FALSE(stored.contains("probability"));  // the fake rewrote it
    ASSERT_EQ(stored["position"], "after_char");
    entries_before_ = LocalData()["character_book"]["entries"].dump();
  }
  std::string entries_before_;
};

TEST_F(ArchitectRewriteTest, AnUnrelatedArchitectEditIsPulledAndTheLorebookStaysByteForByte) {
  EXPECT_EQ(SyncNow().action, SyncAction::kUnchanged);  // the rewrite alone is no change
  architect_.EditCard(remote_id_, "scenario", "A burning library.");
  EXPECT_EQ(SyncNow().action, SyncAction::kPulled);
  EXPECT_EQ(LocalData()["scenario"], "A burning library.");
  EXPECT_EQ(LocalData()["character_book"]["entries"].dump(), entries_before_);
  EXPECT_EQ(Status(), "synced");
  EXPECT_EQ(SyncNow().action, SyncAction::kUnchanged);
  EXPECT_EQ(LocalData()["character_book"]["entries"].dump(), entries_before_);
}

TEST_F(ArchitectRewriteTest, TheLinkReportsWhatArchitectRewroteOnImport) {
  auto state = (*service_->CardSyncs(id_))[0];
  auto rewrites = service_->ImportRewrites(state);
  ASSERT_TRUE(rewrites.ok()) << rewrites.status().ToString();
  std::set<std::string> sentences;
  for (const sync::Rewrite& r : *rewrites) sentences.insert(sync::DescribeRewrite(r, state.display_name));
  for (const char* entry : {"lorebook entry 1", "lorebook entry 2"}) {
    for (const char* field : {"probability", "selectiveLogic", "use_regex"}) {
      const std::string dropped = "Character Architect dropped " + std::string(field) + " from " + entry;
      EXPECT_TRUE(sentences.count(dropped)) << dropped;
    }
    const std::string position = "Character Architect stored position of " + std::string(entry) + " as 'after_char'";
    EXPECT_TRUE(sentences.count(position)) << position;
  }
  for (const std::string& s : sentences) EXPECT_EQ(s.find("scenario"), std::string::npos) << s;
  // A pull of an unrelated edit keeps the report: the rewrite is still the peer's.
  architect_.EditCard(remote_id_, "scenario", "A burning library.");
  EXPECT_EQ(SyncNow().action, SyncAction::kPulled);
  auto after = service_->ImportRewrites((*service_->CardSyncs(id_))[0]);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), rewrites->size());
}

TEST_F(FederationSyncTest, ACopyStoredAsSentReportsNoRewrite) {
  auto rewrites = service_->ImportRewrites((*service_->CardSyncs(id_))[0]);
  ASSERT_TRUE(rewrites.ok());
  EXPECT_TRUE(rewrites->empty());
}

TEST_F(ArchitectRewriteTest, EditsOfTwoEntriesOnTwoSidesMergeCleanly) {
  EditEntryAHereAndEntryBThere();
  EXPECT_EQ(SyncNow().action, SyncAction::kPushed);
  EXPECT_EQ(Status(), "synced");
  Json entries = LocalData()["character_book"]["entries"];
  EXPECT_EQ(entries[0]["content"], "Entry A, edited here");
  EXPECT_EQ(entries[1]["content"], "Entry B, edited there");
  EXPECT_EQ(entries[1]["probability"], 40);  // the archive's own fields stay
  EXPECT_EQ(entries[1]["position"], "");
  Json there = RemoteData()["character_book"]["entries"];
  EXPECT_EQ(there[0]["content"], "Entry A, edited here");
  EXPECT_EQ(there[1]["content"], "Entry B, edited there");
  EXPECT_EQ(SyncNow().action, SyncAction::kUnchanged);
}

TEST_F(ArchitectRewriteTest, BothEditingOneFieldIsAConflictOnThatFieldOnly) {
  ASSERT_TRUE(archive_->UpdateData(id_, Json{{"scenario", "Local"}}).ok());
  architect_.EditCard(remote_id_, "scenario", "Remote");
  size_t versions_before = archive_->Versions(id_)->size();
  EXPECT_EQ(SyncNow().action, SyncAction::kConflict);
  EXPECT_EQ(Status(), "conflict");
  auto state = (*service_->CardSyncs(id_))[0];
  ASSERT_TRUE(state.error_message);
  EXPECT_NE(state.error_message->find("(scenario)"), std::string::npos) << *state.error_message;
  EXPECT_EQ(LocalData()["scenario"], "Local");
  EXPECT_EQ(RemoteData()["scenario"], "Remote");
  EXPECT_EQ(LocalData()["character_book"]["entries"].dump(), entries_before_);
  EXPECT_EQ(archive_->Versions(id_)->size(), versions_before);
}

// Both sides edited both lorebook entries: the diff lists each entry's field
// as its own item, and a resolve takes the archive's entry 1 and Architect's
// entry 2 together.
TEST_F(FederationSyncTest, AConflictOnTwoEntriesIsResolvedEntryByEntry) {
  Json book = LocalData()["character_book"];
  book["entries"][0]["content"] = "Entry A, archive";
  book["entries"][1]["content"] = "Entry B, archive";
  ASSERT_TRUE(archive_->UpdateData(id_, Json{{"character_book", book}}).ok());
  Json remote = Json::parse(architect_.Card(remote_id_)["data"].dump());
  remote["data"]["character_book"]["entries"][0]["content"] = "Entry A, Architect";
  remote["data"]["character_book"]["entries"][1]["content"] = "Entry B, Architect";
  httplib::Client(architect_.base_url())
      .Patch("/api/cards/" + remote_id_, Json{{"data", remote}}.dump(), "application/json");
  EXPECT_EQ(SyncNow().action, SyncAction::kConflict);
  auto diff = service_->Diff(id_, "architect");
  ASSERT_TRUE(diff.ok()) << diff.status().ToString();
  std::map<std::string, std::string> decisions;
  for (const Json& item : diff->items) decisions[item["item"].get<std::string>()] = item["decision"];
  const std::string entry1 = "character_book.entries[id:1].content", entry2 = "character_book.entries[id:2].content";
  EXPECT_EQ(decisions[entry1], "conflict");
  EXPECT_EQ(decisions[entry2], "conflict");

  auto partial = service_->Resolve(id_, "architect", {.strategy = "merge", .items = Json{{entry1, "local"}}});
  EXPECT_EQ(partial.status().kind(), "merge_conflict");
  auto unknown = service_->Resolve(id_, "architect", {.strategy = "merge", .items = Json{{"nope", "local"}}});
  EXPECT_EQ(unknown.status().kind(), federation_error::kBadField);

  auto resolved =
      service_->Resolve(id_, "architect", {.strategy = "merge", .items = Json{{entry1, "local"}, {entry2, "remote"}}});
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  for (const Json& entries : {LocalData()["character_book"]["entries"], RemoteData()["character_book"]["entries"]}) {
    EXPECT_EQ(entries[0]["content"], "Entry A, archive");
    EXPECT_EQ(entries[1]["content"], "Entry B, Architect");
  }
  EXPECT_EQ(Status(), "synced");
  EXPECT_EQ(SyncNow().action, SyncAction::kUnchanged);
}

TEST_F(FederationSyncTest, KeepLocalOrRemoteSettlesAConflict) {
  ASSERT_TRUE(archive_->UpdateData(id_, Json{{"scenario", "Local"}}).ok());
  architect_.EditCard(remote_id_, "scenario", "Remote");
  EXPECT_EQ(SyncNow().action, SyncAction::kConflict);
  ASSERT_TRUE(service_->Resolve(id_, "architect", {"local", nullptr}).ok());
  EXPECT_EQ(RemoteData()["scenario"], "Local");
  EXPECT_EQ(Status(), "synced");

  ASSERT_TRUE(archive_->UpdateData(id_, Json{{"scenario", "Local 2"}}).ok());
  architect_.EditCard(remote_id_, "scenario", "Remote 2");
  EXPECT_EQ(SyncNow().action, SyncAction::kConflict);
  ASSERT_TRUE(service_->Resolve(id_, "architect", {"remote", nullptr}).ok());
  EXPECT_EQ(LocalData()["scenario"], "Remote 2");
  EXPECT_EQ(Status(), "synced");
  EXPECT_EQ(SyncNow().action, SyncAction::kUnchanged);
  EXPECT_EQ(service_->Resolve(id_, "architect", {"sideways", nullptr}).status().code(), StatusCode::kInvalidInput);
}

TEST_F(FederationSyncTest, PullNewImportsPeerOnlyCardsOnce) {
  std::string only_there = architect_.CreateCard(MakeV2Card("Only In Architect"));
  auto first = service_->PullNew("architect");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].action, SyncAction::kImported);
  CardId imported = (*first)[0].card_id;
  auto record = archive_->Get(imported);
  EXPECT_EQ(record->name, "Only In Architect");
  EXPECT_EQ(record->source, "architect");
  EXPECT_EQ(record->source_id, only_there);
  auto state = (*service_->CardSyncs(imported))[0];
  EXPECT_EQ(state.status, SyncState::kSynced);
  EXPECT_EQ(state.platform_id, only_there);
  auto second = service_->PullNew("architect");
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->empty());
  auto synced = service_->Sync(imported, "architect", {});
  EXPECT_EQ(synced->action, SyncAction::kUnchanged);
}

// Two copies of the archive's card on Architect (one with its marker, one
// with its content only): the link stays on the pushed one, the others are
// reported on every run, nothing is imported.
TEST_F(FederationSyncTest, TwoPeerCopiesOfOneCardOneStaysLinkedTheOthersAreReportedOnEveryRun) {
  Json copy = architect_.Card(remote_id_)["data"];
  ASSERT_EQ(copy["data"]["extensions"]["charchive"]["card_id"], id_);
  std::string marked_twin = architect_.CreateCard(copy);
  copy["data"]["extensions"].erase("charchive");
  std::string content_twin = architect_.CreateCard(copy);
  for (int run = 0; run < 2; ++run) {
    auto pulled = service_->PullNew("architect");
    ASSERT_TRUE(pulled.ok()) << pulled.status().ToString();
    ASSERT_EQ(pulled->size(), 2u);
    std::set<std::string> reported;
    for (const SyncResult& r : *pulled) {
      EXPECT_EQ(r.action, SyncAction::kDuplicate);
      EXPECT_EQ(r.card_id, id_);
      reported.insert(r.platform_id);
    }
    EXPECT_EQ(reported, (std::set<std::string>{marked_twin, content_twin}));
    EXPECT_EQ((*service_->CardSyncs(id_))[0].platform_id, remote_id_);
    EXPECT_EQ(archive_->CardIds()->size(), 1u);
  }
}

// A copy that moved on the peer (as a SillyTavern rename moves a file to a
// new name): found by its identity marker, the link follows it and the move
// is the peer's edit; no second copy is pushed.
class MovedCopyTest : public FederationSyncTest {
 protected:
  void SetUp() override {
    FederationSyncTest::SetUp();
    Json moved = architect_.Card(remote_id_)["data"];
    moved["data"]["name"] = "Mira Renamed";
    httplib::Client(architect_.base_url()).Delete("/api/cards/" + remote_id_);
    moved_id_ = architect_.CreateCard(moved);
  }
  std::string moved_id_;
};

TEST_F(MovedCopyTest, ASyncFollowsItAndPullsTheNewName) {
  SyncResult r = SyncNow();
  EXPECT_EQ(r.action, SyncAction::kPulled);
  EXPECT_EQ(r.platform_id, moved_id_);
  EXPECT_EQ(LocalData()["name"], "Mira Renamed");
  EXPECT_EQ((*service_->CardSyncs(id_))[0].platform_id, moved_id_);
  EXPECT_EQ(Status(), "synced");
  auto events = service_->Events(EventFilter{.card_id = id_});
  ASSERT_FALSE(events->empty());
  bool relinked = false;
  for (const auto& e : *events) relinked |= e.action == "relink" && e.platform_id == moved_id_;
  EXPECT_TRUE(relinked);
  EXPECT_TRUE(service_->PullNew("architect")->empty());
  EXPECT_EQ(SyncNow().action, SyncAction::kUnchanged);
}

TEST_F(MovedCopyTest, APushWithoutOverwriteFollowsItAndIsAConflictNotASecondCopy) {
  auto pushed = service_->Push(id_, "architect", {});
  EXPECT_EQ(pushed.status().kind(), federation_error::kRemoteChanged);
  EXPECT_EQ(architect_.CardCount(), 1u);
  EXPECT_EQ((*service_->CardSyncs(id_))[0].platform_id, moved_id_);
  EXPECT_EQ(architect_.Card(moved_id_)["data"]["data"]["name"], "Mira Renamed");
}

// An unlinked card's copy is found by its marker and linked again, not imported.
TEST_F(FederationSyncTest, PullNewLinksAnUnlinkedCardToItsMarkedCopy) {
  ASSERT_EQ(*service_->Unlink(id_, "architect"), 1);
  auto pulled = service_->PullNew("architect");
  ASSERT_TRUE(pulled.ok()) << pulled.status().ToString();
  ASSERT_EQ(pulled->size(), 1u);
  EXPECT_EQ((*pulled)[0].action, SyncAction::kLinked);
  EXPECT_EQ((*pulled)[0].card_id, id_);
  EXPECT_EQ((*service_->CardSyncs(id_))[0].platform_id, remote_id_);
  EXPECT_EQ(archive_->CardIds()->size(), 1u);
  EXPECT_EQ(SyncNow().action, SyncAction::kUnchanged);
}

// A sync of every linked card against a peer that lists their content
// (Architect's pages of cards): one listing, and a card is read again only
// when the listing shows it changed.
class ListedSyncTest : public FederationSyncTest {
 protected:
  void SetUp() override {
    FederationSyncTest::SetUp();
    for (size_t i = 1; i < FederationService::kListingFrom; ++i) {
      std::string name = "Card " + std::to_string(i);
      CardId id = *archive_
                       ->ImportBytes(MakeCardPng(MakeV2Card(name, "Card number " + std::to_string(i))),
                                     "card" + std::to_string(i) + ".png")
                       .id;
      auto pushed = service_->Push(id, "architect", {});
      ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
    }
    from_ = architect_.Requests().size();
  }
  // Requests since SetUp that read one card, and that list cards.
  size_t CardReads() {
    return RequestsSince([](const std::string& r) { return r.rfind("GET /api/cards/", 0) == 0; });
  }
  size_t Listings() {
    return RequestsSince([](const std::string& r) { return r == "GET /api/cards"; });
  }
  size_t RequestsSince(const std::function<bool(const std::string&)>& counted) {
    auto requests = architect_.Requests();
    size_t n = 0;
    for (size_t i = from_; i < requests.size(); ++i) n += counted(requests[i]);
    return n;
  }
  std::vector<SyncResult> SyncAll() {
    auto all = service_->SyncAll("architect", {});
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    return all.ok() ? *all : std::vector<SyncResult>();
  }
  size_t from_ = 0;
};

TEST_F(ListedSyncTest, NoChangeIsOneListingAndNoCardRead) {
  auto results = SyncAll();
  ASSERT_EQ(results.size(), FederationService::kListingFrom);
  for (const SyncResult& r : results) {
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_EQ(r.action, SyncAction::kUnchanged);
  }
  EXPECT_EQ(Listings(), 1u);
  EXPECT_EQ(CardReads(), 0u);
}

TEST_F(ListedSyncTest, OneFieldChangedOnThePeerPullsExactlyThatCard) {
  architect_.EditCard(remote_id_, "scenario", "A burning library.");
  auto results = SyncAll();
  ASSERT_EQ(results.size(), FederationService::kListingFrom);
  for (const SyncResult& r : results) {
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_EQ(r.action, r.card_id == id_ ? SyncAction::kPulled : SyncAction::kUnchanged) << r.card_id;
    if (r.card_id != id_) {
      EXPECT_EQ(archive_->Versions(r.card_id)->size(), 1u);
    }
  }
  EXPECT_EQ(LocalData()["scenario"], "A burning library.");
  EXPECT_EQ(CardReads(), 1u);  // the changed card, read before it was pulled
  EXPECT_EQ(Status(), "synced");
}

// A listing ages while the sync goes through the cards: a card changed in the
// archive is decided on the peer's copy as it is now, so an edit made on the
// peer after the listing is a conflict, never overwritten by a push.
TEST_F(ListedSyncTest, ALocalEditIsDecidedOnThePeersCopyAsItIsNotOnAnOlderListing) {
  const RemoteCard listed{remote_id_, architect_.Card(remote_id_)["data"].dump(), std::nullopt};
  architect_.EditCard(remote_id_, "scenario", "Edited on Architect after the listing.");
  ASSERT_TRUE(archive_->UpdateData(id_, Json{{"scenario", "Edited in the archive."}}).ok());
  auto r = service_->Sync(id_, "architect", {.listed = &listed});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->action, SyncAction::kConflict);
  EXPECT_EQ(RemoteData()["scenario"], "Edited on Architect after the listing.");
  EXPECT_EQ(LocalData()["scenario"], "Edited in the archive.");
}

TEST_F(FederationSyncTest, ACardDeletedOnThePeerIsAnErrorNotALoss) {
  httplib::Client(architect_.base_url()).Delete("/api/cards/" + remote_id_);
  auto r = service_->Sync(id_, "architect", {});
  EXPECT_EQ(r.status().kind(), "remote_missing");
  EXPECT_EQ(Status(), "error");
  EXPECT_EQ(archive_->Get(id_)->name, "Mira");
  EXPECT_EQ(service_->Sync(999, "architect", {}).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace charchive::federation
