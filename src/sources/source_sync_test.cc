#include "sources/source_sync.h"

#include <gtest/gtest.h>

#include "sources/source_scheduler.h"

#include "card/content_hash.h"
#include "store/federation_repository.h"
#include "testing/manual_clock.h"
#include "testing/test_cards.h"
#include "tests/fakes/fake_character_tavern.h"
#include "tests/fakes/fake_chub.h"

namespace charchive::sources {
namespace {

using charchive::testing::FakeCharacterTavern;
using charchive::testing::FakeChub;
using charchive::testing::TempDir;

class SourceSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto archive = Archive::Open(dir_.path().string());
    ASSERT_TRUE(archive.ok()) << archive.status().ToString();
    archive_ = std::move(archive).value();
    auto sync = SourceSync::Open(*archive_);
    ASSERT_TRUE(sync.ok()) << sync.status().ToString();
    sync_ = std::move(sync).value();
    SourceChange fast;
    fast.request_interval_ms = 0;
    ASSERT_TRUE(sync_->Update("chub", fast).ok());
    ASSERT_TRUE(sync_->Update("ct", fast).ok());
  }

  SourceRun Sync(const std::string& source, const std::string& url, bool full = false) {
    RunOptions options;
    options.base_url = url;
    options.full = full;
    Politeness quick;
    quick.retry.first_backoff = std::chrono::milliseconds(10);
    options.politeness = quick;
    auto run = sync_->RunNow(source, options);
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    return run.ok() ? *run : SourceRun{};
  }

  static size_t Count(const std::vector<charchive::testing::HubRequest>& log, const std::string& needle) {
    size_t n = 0;
    for (const auto& r : log) n += r.path.find(needle) != std::string::npos;
    return n;
  }

  CardId CardFor(const std::string& source, const std::string& source_id) {
    auto page = archive_->List(ListQuery{.source = source, .limit = 500});
    EXPECT_TRUE(page.ok());
    for (const auto& s : page->items) {
      auto record = archive_->Get(s.id);
      if (record.ok() && record->source_id == source_id) return s.id;
    }
    ADD_FAILURE() << "no card " << source << " " << source_id;
    return 0;
  }

  Json Data(CardId id) {
    auto record = archive_->Get(id);
    EXPECT_TRUE(record.ok());
    auto card = Card::FromJson(record->raw_json);
    EXPECT_TRUE(card.ok());
    return card->V3Data();
  }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
  std::unique_ptr<SourceSync> sync_;
};

TEST_F(SourceSyncTest, ChubFirstRunImportsSecondRunDownloadsNothing) {
  FakeChub chub(0, 2);  // two nodes a page: the listing has pages
  for (int i = 0; i < 5; ++i) chub.PutCard(FakeChub::SampleNode("alice", "card" + std::to_string(i), "v1"));
  SourceRun first = Sync("chub", chub.base_url());
  EXPECT_EQ(first.status, "done");
  EXPECT_EQ(first.new_cards, 5);
  EXPECT_EQ(first.failed, 0);
  EXPECT_EQ(Count(chub.Requests(), "/api/characters/"), 5u);
  EXPECT_EQ(Count(chub.Requests(), "chara_card_v2.png"), 5u);

  CardId id = CardFor("chub", "alice/card3");
  Json data = Data(id);
  EXPECT_EQ(data["name"], "card3");
  EXPECT_EQ(data["description"], "Description of card3: v1");  // Chub's "personality"
  EXPECT_EQ(data["personality"], "calm");
  EXPECT_EQ(data["creator"], "alice");
  EXPECT_EQ(data["alternate_greetings"], Json::array({"Hi again"}));
  EXPECT_EQ(data["tags"], Json::array({"Fantasy"}));
  EXPECT_EQ(data["extensions"]["chub"]["full_path"], "alice/card3");
  auto image = archive_->Image(id);
  ASSERT_TRUE(image.ok());

  chub.ClearRequests();
  SourceRun second = Sync("chub", chub.base_url());
  EXPECT_EQ(second.status, "done");
  EXPECT_EQ(second.new_cards, 0);
  EXPECT_EQ(second.updated, 0);
  EXPECT_EQ(Count(chub.Requests(), "/api/characters/"), 0u);
  EXPECT_EQ(Count(chub.Requests(), ".png"), 0u);
  // Stopped at the first page older than the last run: one page, not three.
  EXPECT_EQ(Count(chub.Requests(), "/search"), 1u);
  EXPECT_EQ(second.pages, 1);
}

TEST_F(SourceSyncTest, SourceUpdateBecomesANewVersion) {
  FakeChub chub;
  chub.PutCard(FakeChub::SampleNode("bob", "knight", "old"));
  chub.PutCard(FakeChub::SampleNode("bob", "mage", "old"));
  Sync("chub", chub.base_url());
  CardId id = CardFor("chub", "bob/knight");
  auto before = archive_->Versions(id);
  ASSERT_TRUE(before.ok());

  chub.PutCard(Json{{"fullPath", "bob/knight"}, {"definition", {{"personality", "new description"}}}});
  chub.ClearRequests();
  SourceRun run = Sync("chub", chub.base_url());
  EXPECT_EQ(run.updated, 1);
  EXPECT_EQ(run.unchanged, 1);
  EXPECT_EQ(Count(chub.Requests(), "/api/characters/"), 1u);
  EXPECT_EQ(Data(id)["description"], "new description");
  auto after = archive_->Versions(id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), before->size() + 1);
}

TEST_F(SourceSyncTest, LocalEditAndSourceUpdateIsAConflictThatOverwritesNothing) {
  FakeChub chub;
  chub.PutCard(FakeChub::SampleNode("cara", "witch", "old"));
  Sync("chub", chub.base_url());
  CardId id = CardFor("chub", "cara/witch");
  ASSERT_TRUE(archive_->UpdateData(id, Json{{"scenario", "edited here"}}).ok());

  // A source change alone after a local edit: the edit stays, no conflict yet.
  chub.PutCard(Json{{"fullPath", "cara/witch"}, {"definition", {{"personality", "changed on Chub"}}}});
  SourceRun run = Sync("chub", chub.base_url());
  EXPECT_EQ(run.conflicts, 1);
  EXPECT_EQ(run.updated, 0);
  Json data = Data(id);
  EXPECT_EQ(data["scenario"], "edited here");
  EXPECT_EQ(data["description"], "Description of witch: old");
  auto state = sync_->CardState(id);
  ASSERT_TRUE(state.ok() && *state);
  EXPECT_EQ((*state)->status, "conflict");
  EXPECT_TRUE((*state)->pending_json.has_value());

  // The next run keeps the conflict and downloads nothing.
  chub.ClearRequests();
  run = Sync("chub", chub.base_url());
  EXPECT_EQ(run.conflicts, 0);
  EXPECT_EQ(Count(chub.Requests(), "/api/characters/"), 0u);
  EXPECT_EQ((*sync_->CardState(id))->status, "conflict");

  // Resolving with the source's content makes it a new version; the edit stays in history.
  auto resolved = sync_->Resolve(id, "source");
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(resolved->status, "synced");
  EXPECT_EQ(Data(id)["description"], "changed on Chub");
  EXPECT_EQ(sync_->Resolve(id, "source").status().kind(), "no_conflict");
  EXPECT_EQ(sync_->Resolve(id, "sideways").status().code(), StatusCode::kInvalidInput);
}

TEST_F(SourceSyncTest, LocalEditAloneIsKeptAndNeverBecomesTheBase) {
  FakeChub chub;
  chub.PutCard(FakeChub::SampleNode("dan", "bard", "old"));
  Sync("chub", chub.base_url());
  CardId id = CardFor("chub", "dan/bard");
  ASSERT_TRUE(archive_->UpdateData(id, Json{{"scenario", "mine"}}).ok());
  SourceRun run = Sync("chub", chub.base_url(), /*full=*/true);  // downloads again; nothing new there
  EXPECT_EQ(run.unchanged, 1);
  EXPECT_EQ(Data(id)["scenario"], "mine");
  chub.PutCard(Json{{"fullPath", "dan/bard"}, {"definition", {{"scenario", "theirs"}}}});
  run = Sync("chub", chub.base_url());
  EXPECT_EQ(run.conflicts, 1);
  EXPECT_EQ(Data(id)["scenario"], "mine");
}

TEST_F(SourceSyncTest, DeletedCardIsBlockedUntilUnblocked) {
  FakeChub chub;
  chub.PutCard(FakeChub::SampleNode("eve", "rogue", "x"));
  Sync("chub", chub.base_url());
  CardId id = CardFor("chub", "eve/rogue");
  ASSERT_TRUE(archive_->Delete(id).ok());
  auto blocked = sync_->Blocked("chub");
  ASSERT_TRUE(blocked.ok());
  ASSERT_EQ(blocked->size(), 1u);
  EXPECT_EQ(blocked->front().source_id, "eve/rogue");
  EXPECT_EQ(blocked->front().card_name, "rogue");

  SourceRun run = Sync("chub", chub.base_url(), /*full=*/true);
  EXPECT_EQ(run.blocked, 1);
  EXPECT_EQ(run.new_cards, 0);
  EXPECT_EQ(archive_->List(ListQuery{.source = "chub"})->total, 0);

  EXPECT_EQ(sync_->Unblock("chub", "eve/nobody").kind(), "not_blocked");
  ASSERT_TRUE(sync_->Unblock("chub", "eve/rogue").ok());
  run = Sync("chub", chub.base_url(), /*full=*/true);
  EXPECT_EQ(run.new_cards, 1);
  EXPECT_EQ(archive_->List(ListQuery{.source = "chub"})->total, 1);
}

TEST_F(SourceSyncTest, FiltersAreSentAndApplied) {
  FakeChub chub;
  Json nsfw = FakeChub::SampleNode("fay", "spicy", "x");
  nsfw["topics"] = Json::array({"ROOT", "NSFW", "Fantasy"});
  chub.PutCard(nsfw);
  Json small = FakeChub::SampleNode("fay", "tiny", "x");
  small["nTokens"] = 10;
  chub.PutCard(small);
  chub.PutCard(FakeChub::SampleNode("gus", "other", "x"));
  chub.PutCard(FakeChub::SampleNode("fay", "fine", "x"));
  SourceChange change;
  change.filters = Json{{"creators", {"fay"}}, {"min_tokens", 100}, {"nsfw", false}, {"tags", {"fantasy"}}};
  ASSERT_TRUE(sync_->Update("chub", change).ok());
  SourceRun run = Sync("chub", chub.base_url());
  EXPECT_EQ(run.new_cards, 1);
  CardFor("chub", "fay/fine");
  bool asked = false;
  for (const auto& r : chub.Requests()) asked = asked || r.path == "/search";
  EXPECT_TRUE(asked);
}

TEST_F(SourceSyncTest, RetryAfterIsHonoredAndTheRunSucceeds) {
  FakeChub chub;
  chub.PutCard(FakeChub::SampleNode("hal", "one", "x"));
  chub.FailNext(429, "1");
  SourceRun run = Sync("chub", chub.base_url());
  EXPECT_EQ(run.status, "done");
  EXPECT_EQ(run.new_cards, 1);
  auto log = chub.Requests();
  ASSERT_GE(log.size(), 2u);
  EXPECT_EQ(log[0].status, 429);
  EXPECT_GE(log[1].t_ms - log[0].t_ms, 990);
  EXPECT_NE(chub.LastHeader("User-Agent").find("charchive/"), std::string::npos);
}

TEST_F(SourceSyncTest, UnreachableSourceFailsTheRunAsARemoteError) {
  RunOptions options;
  options.base_url = "http://127.0.0.1:1";  // nothing listens on port 1
  auto run = sync_->RunNow("chub", options);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), StatusCode::kRemoteError);
  auto runs = sync_->Runs("chub", 5);
  ASSERT_TRUE(runs.ok());
  ASSERT_FALSE(runs->empty());
  EXPECT_EQ(runs->front().status, "failed");
}

TEST_F(SourceSyncTest, CancelledRunEndsCancelled) {
  FakeChub chub;
  for (int i = 0; i < 3; ++i) chub.PutCard(FakeChub::SampleNode("ivy", "c" + std::to_string(i), "x"));
  RunOptions options;
  options.base_url = chub.base_url();
  int cards = 0;
  options.progress = [&](const SourceRun& run, const std::string&) { cards = int(run.new_cards); };
  options.cancelled = [&] { return cards >= 1; };
  auto run = sync_->RunNow("chub", options);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->status, "cancelled");
  EXPECT_EQ(run->new_cards, 1);
}

TEST_F(SourceSyncTest, CharacterTavernCardWithSubResources) {
  FakeCharacterTavern ct;
  ct.PutCard(Json{{"path", "Zed/Sky Pirate"},
                  {"tags", {"Adventure", "Pirates"}},
                  {"greetings", {"Ahoy!", "Welcome aboard"}},
                  {"lorebook",
                   {{"name", "Ship lore"},
                    {"description", ""},
                    {"scanDepth", 4},
                    {"entries",
                     {{{"name", "Ship"},
                       {"content", "The Gull"},
                       {"enabled", true},
                       {"insertionOrder", 5},
                       {"constant", false},
                       {"keys", {"ship"}}}}}}}});
  ct.PutCard(Json{{"path", "Zed/Plain"}});
  SourceRun run = Sync("ct", ct.base_url());
  EXPECT_EQ(run.status, "done");
  EXPECT_EQ(run.new_cards, 2);
  EXPECT_EQ(Count(ct.Requests(), "/lorebook"), 1u);  // only the card that has one
  auto page = archive_->List(ListQuery{.source = "ct"});
  ASSERT_EQ(page->total, 2);
  CardId pirate = 0;
  for (const auto& s : page->items) {
    if (s.name == "Sky Pirate") pirate = s.id;
  }
  ASSERT_NE(pirate, 0);
  Json data = Data(pirate);
  EXPECT_EQ(data["description"], "definition_character_description of Sky Pirate");
  EXPECT_EQ(data["alternate_greetings"], Json::array({"Ahoy!", "Welcome aboard"}));
  EXPECT_EQ(data["tags"], Json::array({"Adventure", "Pirates"}));
  EXPECT_EQ(data["character_book"]["entries"][0]["content"], "The Gull");
  EXPECT_EQ(data["character_book"]["entries"][0]["keys"], Json::array({"ship"}));
  EXPECT_EQ(data["creator"], "Zed");

  ct.ClearRequests();
  run = Sync("ct", ct.base_url());
  EXPECT_EQ(run.unchanged, 2);
  EXPECT_EQ(Count(ct.Requests(), "/api/character/"), 0u);

  ct.PutCard(Json{{"path", "Zed/Plain"}, {"definition_scenario", "A new harbour"}});
  run = Sync("ct", ct.base_url());
  EXPECT_EQ(run.updated, 1);
  EXPECT_EQ(run.unchanged, 1);
}

TEST_F(SourceSyncTest, SettingsValidateAndKeepTheKeySealed) {
  SourceChange bad;
  bad.request_interval_ms = -1;
  EXPECT_EQ(sync_->Update("chub", bad).status().code(), StatusCode::kInvalidInput);
  SourceChange url;
  url.base_url = "ftp://nope";
  EXPECT_EQ(sync_->Update("chub", url).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(sync_->Update("nosuch", SourceChange{}).status().kind(), "unknown_source");

  SourceChange key;
  key.api_key = std::optional<std::string>("secret-key-123");
  auto updated = sync_->Update("chub", key);
  ASSERT_TRUE(updated.ok());
  ASSERT_TRUE(updated->api_key_sealed.has_value());
  EXPECT_EQ(updated->api_key_sealed->find("secret-key-123"), std::string::npos);
  EXPECT_EQ(SourceJson(*updated)["api_key"], "***configured***");
  EXPECT_EQ(SourceJson(*updated).dump().find("secret-key-123"), std::string::npos);

  // The key reaches Chub as its two headers.
  FakeChub chub;
  chub.PutCard(FakeChub::SampleNode("kim", "k", "x"));
  Sync("chub", chub.base_url());
  EXPECT_EQ(chub.LastHeader("samwise"), "secret-key-123");
  EXPECT_EQ(chub.LastHeader("CH-API-KEY"), "secret-key-123");

  SourceChange blank;
  blank.api_key = std::optional<std::string>("");
  EXPECT_TRUE(sync_->Update("chub", blank)->api_key_sealed.has_value());  // blank keeps it
  SourceChange clear;
  clear.api_key = std::optional<std::string>();
  EXPECT_FALSE(sync_->Update("chub", clear)->api_key_sealed.has_value());
}

}  // namespace
}  // namespace charchive::sources

namespace charchive::sources {
namespace {

TEST(SourceSchedulerTest, DueOnlyWhenEnabledWithAnIntervalThatPassed) {
  SourceRecord s;
  s.enabled = true;
  s.interval_minutes = 60;
  EXPECT_TRUE(RunIsDue(s, std::nullopt, "2026-01-01T10:00:00.999Z"));
  EXPECT_TRUE(RunIsDue(s, "2026-01-01T09:59:00.000Z", "2026-01-01T10:00:00.999Z"));
  EXPECT_FALSE(RunIsDue(s, "2026-01-01T10:30:00.000Z", "2026-01-01T10:00:00.999Z"));
  s.enabled = false;
  EXPECT_FALSE(RunIsDue(s, std::nullopt, "2026-01-01T10:00:00.999Z"));
  s.enabled = true;
  s.interval_minutes = 0;
  EXPECT_FALSE(RunIsDue(s, std::nullopt, "2026-01-01T10:00:00.999Z"));
}

TEST_F(SourceSyncTest, SchedulerRunsAnEnabledSourceOncePerInterval) {
  FakeChub chub;
  chub.PutCard(FakeChub::SampleNode("joy", "due", "x"));
  SourceChange change;
  change.base_url = chub.base_url();
  change.image_base_url = chub.base_url();
  change.interval_minutes = 60;
  change.enabled = true;
  ASSERT_TRUE(sync_->Update("chub", change).ok());
  federation::EventBus events;
  int subscriber = events.Subscribe();
  charchive::testing::ManualClock clock;
  SourceScheduler scheduler(*sync_, &events, std::chrono::seconds(2), clock);
  // A tick is over when the scheduler waits on the clock again.
  auto tick = [&](std::chrono::minutes::rep minutes, std::chrono::seconds::rep seconds) {
    uint64_t begun = clock.WaitsBegun();
    clock.Advance(std::chrono::minutes(minutes) + std::chrono::seconds(seconds));
    return clock.AwaitWaitsBegun(begun + 1);
  };
  scheduler.Start();
  ASSERT_TRUE(clock.AwaitWaitsBegun(1));  // the first tick ran the source, due since it never ran
  auto runs = sync_->Runs("chub", 5);
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ(runs->front().trigger, "schedule");
  EXPECT_EQ(runs->front().status, "done");
  EXPECT_EQ(runs->front().new_cards, 1);
  EXPECT_TRUE(sync_->Runs("ct", 5)->empty());  // not enabled
  Json last;
  while (auto event = events.Next(subscriber, std::chrono::milliseconds(0))) last = *event;
  EXPECT_EQ(last["type"], "source_run");
  EXPECT_EQ(last["run"]["status"], "done");
  EXPECT_EQ(last["run"]["new"], 1);

  for (int i = 0; i < 3; ++i) ASSERT_TRUE(tick(0, 2));
  EXPECT_EQ(sync_->Runs("chub", 5)->size(), 1u);  // three more ticks, within the interval
  ASSERT_TRUE(tick(61, 0));
  runs = sync_->Runs("chub", 5);
  ASSERT_EQ(runs->size(), 2u);  // the interval passed: due again
  EXPECT_EQ(runs->front().status, "done");
  EXPECT_EQ(runs->front().new_cards, 0);
}

}  // namespace
}  // namespace charchive::sources

namespace charchive::sources {
namespace {

TEST_F(SourceSyncTest, ACliRunTakesOverARunQueuedForAServerThatIsNotThere) {
  FakeChub chub;
  chub.PutCard(FakeChub::SampleNode("kai", "q", "x"));
  auto queued = sync_->Queue("chub", /*full=*/false, "api");
  ASSERT_TRUE(queued.ok());
  EXPECT_EQ(sync_->Queue("chub", false, "api").status().kind(), "run_in_progress");
  SourceRun run = Sync("chub", chub.base_url());
  EXPECT_EQ(run.id, queued->id);
  EXPECT_EQ(run.status, "done");
  EXPECT_EQ(run.new_cards, 1);
  // Taken: the scheduler finds nothing left to run.
  auto again = sync_->RunQueued(queued->id, RunOptions{});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
}

}  // namespace
}  // namespace charchive::sources
