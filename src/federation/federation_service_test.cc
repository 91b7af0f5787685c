#include "federation/federation_service.h"

#include <gtest/gtest.h>

#include <chrono>

#include "card/content_hash.h"
#include "federation/errors.h"
#include "testing/manual_clock.h"
#include "testing/test_cards.h"
#include "tests/fakes/fake_architect.h"
#include "util/file_io.h"

namespace charchive::federation {
namespace {

using testing::FakeArchitect;
using testing::MakeCardPng;
using testing::MakeV2Card;
using testing::ReadFixture;
using testing::TempDir;

class FederationServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto archive = Archive::Open(dir_.path().string());
    ASSERT_TRUE(archive.ok()) << archive.status().ToString();
    archive_ = std::move(archive).value();
    // Faults are reported, not retried, in these tests; retries have their own.
    auto service = FederationService::Open(*archive_, RetryPolicy({.max_attempts = 1, .max_paced_waits = 0}));
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(service).value();
  }

  CardId Import(const std::string& name, const std::string& description = "A quiet librarian.") {
    ImportResult r = archive_->ImportBytes(MakeCardPng(MakeV2Card(name, description)), name + ".png");
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    return r.id.value_or(0);
  }

  void EnableArchitect(const std::string& url, Json options = Json::object()) {
    PlatformSettings s;
    s.base_url = url;
    s.enabled = true;
    s.options = std::move(options);
    ASSERT_TRUE(service_->UpdatePlatform("architect", s).ok());
  }

  SyncRecord State(CardId id, const std::string& platform = "architect") {
    auto syncs = service_->CardSyncs(id);
    EXPECT_TRUE(syncs.ok());
    for (const auto& s : *syncs) {
      if (s.platform == platform) return s;
    }
    ADD_FAILURE() << "no sync state for card " << id << " on " << platform;
    return {};
  }

  size_t Count(const std::vector<std::string>& requests, const std::string& prefix) {
    size_t n = 0;
    for (const auto& r : requests) n += r.rfind(prefix, 0) == 0;
    return n;
  }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
  std::unique_ptr<FederationService> service_;
};

TEST_F(FederationServiceTest, PlatformsArePrepopulatedAndDisabled) {
  auto platforms = service_->Platforms();
  ASSERT_TRUE(platforms.ok());
  ASSERT_EQ(platforms->size(), 4u);
  EXPECT_EQ((*platforms)[0].platform, "architect");
  EXPECT_EQ((*platforms)[1].platform, "sillytavern");
  EXPECT_EQ((*platforms)[2].platform, "hub");
  EXPECT_EQ((*platforms)[2].display_name, "CardsHub");
  EXPECT_EQ((*platforms)[3].platform, "archive");
  EXPECT_EQ((*platforms)[3].display_name, "Character Archive (ActivityPub)");
  for (const auto& p : *platforms) {
    EXPECT_FALSE(p.enabled);
    EXPECT_FALSE(p.api_key_sealed);
  }
  EXPECT_EQ(service_->Platform("nope").status().code(), StatusCode::kNotFound);
}

TEST_F(FederationServiceTest, ApiKeyIsSealedKeptWhenBlankAndClearedByNull) {
  PlatformSettings s;
  s.api_key = std::optional<std::string>("very-secret-key-4711");
  auto p = service_->UpdatePlatform("sillytavern", s);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->api_key_sealed);
  EXPECT_EQ(p->api_key_sealed->find("very-secret"), std::string::npos);
  // Neither the database nor its WAL holds the key in clear.
  for (const char* file : {"/cards.db", "/cards.db-wal"}) {
    auto bytes = ReadFile(dir_.path().string() + file, 1u << 30);
    if (bytes.ok()) {
      EXPECT_EQ(bytes->find("very-secret-key-4711"), std::string::npos) << file;
    }
  }
  std::string sealed = *p->api_key_sealed;
  PlatformSettings blank;
  blank.api_key = std::optional<std::string>("");
  blank.base_url = "http://127.0.0.1:1/";
  p = service_->UpdatePlatform("sillytavern", blank);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->api_key_sealed, sealed);
  EXPECT_EQ(p->base_url, "http://127.0.0.1:1");  // trailing slash trimmed
  PlatformSettings clear;
  clear.api_key = std::optional<std::string>();
  p = service_->UpdatePlatform("sillytavern", clear);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->api_key_sealed);
}

TEST_F(FederationServiceTest, BadSettingsAreRefusedAndChangeNothing) {
  PlatformSettings bad_url;
  bad_url.base_url = "ftp://example";
  EXPECT_EQ(service_->UpdatePlatform("architect", bad_url).status().code(), StatusCode::kInvalidInput);
  PlatformSettings bad_auth;
  bad_auth.auth_kind = "magic";
  EXPECT_EQ(service_->UpdatePlatform("architect", bad_auth).status().code(), StatusCode::kInvalidInput);
  PlatformSettings bad_option;
  bad_option.options = Json{{"timeout_seconds", 0}};
  EXPECT_EQ(service_->UpdatePlatform("architect", bad_option).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(service_->UpdatePlatform("unknown", PlatformSettings{}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Platform("architect")->base_url, "");
}

TEST_F(FederationServiceTest, PushNeedsAnEnabledConfiguredPlatform) {
  CardId id = Import("Alice");
  auto disabled = service_->Push(id, "architect", {});
  EXPECT_EQ(disabled.status().kind(), "platform_disabled");
  PlatformSettings enable;
  enable.enabled = true;
  ASSERT_TRUE(service_->UpdatePlatform("architect", enable).ok());
  EXPECT_EQ(service_->Push(id, "architect", {}).status().kind(), "platform_unconfigured");
  ASSERT_TRUE(service_->UpdatePlatform("hub", enable).ok());
  EXPECT_EQ(service_->Push(id, "hub", {}).status().kind(), "platform_unconfigured");
  ASSERT_TRUE(service_->UpdatePlatform("archive", enable).ok());
  EXPECT_EQ(service_->Push(id, "archive", {}).status().code(), StatusCode::kConflict);
  EXPECT_EQ(service_->Push(id, "nowhere", {}).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(service_->CardSyncs(id)->empty());
}

TEST_F(FederationServiceTest, ArchitectFirstPushImportsLaterPushPatchesTheSameId) {
  FakeArchitect architect;
  EnableArchitect(architect.base_url());
  CardId id = Import("Alice");
  auto first = service_->Push(id, "architect", {});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(architect.CardCount(), 1u);
  SyncRecord state = State(id);
  EXPECT_EQ(state.status, SyncState::kSynced);
  EXPECT_EQ(state.platform_id, first->platform_id);
  EXPECT_EQ(state.local_hash, archive_->Get(id)->content_hash);
  EXPECT_EQ(state.remote_hash, state.local_hash);  // Architect keeps the content as sent
  EXPECT_TRUE(state.remote_updated_at);

  ASSERT_TRUE(archive_->UpdateData(id, Json{{"description", "Now a loud librarian."}}).ok());
  auto second = service_->Push(id, "architect", {});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->platform_id, first->platform_id);
  EXPECT_EQ(architect.CardCount(), 1u);
  EXPECT_EQ(Count(architect.Requests(), "POST /api/import"), 1u);
  EXPECT_EQ(Count(architect.Requests(), "PATCH /api/cards/" + first->platform_id), 1u);
  EXPECT_EQ(architect.Card(first->platform_id)["data"]["data"]["description"], "Now a loud librarian.");
  SyncRecord after = State(id);
  EXPECT_EQ(after.status, SyncState::kSynced);
  EXPECT_NE(after.remote_hash, state.remote_hash);
  EXPECT_EQ(after.remote_hash, archive_->Get(id)->content_hash);

  auto events = service_->Events(EventFilter{.card_id = id});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].action, "push");
  EXPECT_EQ((*events)[0].status, "ok");
}

// Architect's list and search read meta, not the card: a rename and a tag
// edit in the archive reach it with the push, and a stale top-level V1
// `name` (a SillyTavern hybrid's mirror) never names the card there.
TEST_F(FederationServiceTest, ARenameAndTagEditReachArchitectsIndex) {
  FakeArchitect architect;
  EnableArchitect(architect.base_url());
  Json hybrid = MakeV2Card("Alice");
  hybrid["name"] = "Alice";  // SillyTavern's V1 mirror
  CardId id = *archive_->ImportBytes(MakeCardPng(hybrid), "alice.png").id;
  ASSERT_TRUE(archive_->UpdateData(id, Json{{"name", "Alicia"}}).ok());
  auto first = service_->Push(id, "architect", {});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(architect.Card(first->platform_id)["meta"]["name"], "Alicia");

  ASSERT_TRUE(archive_->UpdateData(id, Json{{"name", "Alicia Vale"}, {"tags", {"mage"}}, {"creator", "someone"}}).ok());
  ASSERT_TRUE(service_->Push(id, "architect", {}).ok());
  Json meta = architect.Card(first->platform_id)["meta"];
  EXPECT_EQ(meta["name"], "Alicia Vale");
  EXPECT_EQ(meta["tags"], Json::array({"mage"}));
  EXPECT_EQ(meta["creator"], "someone");
  httplib::Client client(architect.base_url());
  auto search = [&](const std::string& query) {
    auto res = client.Get("/api/cards?query=" + query);
    return res ? Json::parse(res->body)["total"].get<int>() : -1;
  };
  EXPECT_EQ(search("vale"), 1);
  EXPECT_EQ(search("mage"), 1);
  EXPECT_EQ(search("fantasy"), 0);
}

TEST_F(FederationServiceTest, ARemoteEditIsNotOverwrittenWithoutOverwrite) {
  FakeArchitect architect(FakeArchitect::ListShape::kArray);
  EnableArchitect(architect.base_url());
  CardId id = Import("Bob");
  auto pushed = service_->Push(id, "architect", {});
  ASSERT_TRUE(pushed.ok());
  architect.EditCard(pushed->platform_id, "scenario", "Edited in Architect");
  ASSERT_TRUE(archive_->UpdateData(id, Json{{"description", "Edited here"}}).ok());

  auto refused = service_->Push(id, "architect", {});
  EXPECT_EQ(refused.status().code(), StatusCode::kConflict);
  EXPECT_EQ(State(id).status, SyncState::kConflict);
  EXPECT_EQ(architect.Card(pushed->platform_id)["data"]["data"]["scenario"], "Edited in Architect");

  auto forced = service_->Push(id, "architect", {.overwrite = true});
  ASSERT_TRUE(forced.ok()) << forced.status().ToString();
  EXPECT_EQ(State(id).status, SyncState::kSynced);
  EXPECT_EQ(architect.Card(pushed->platform_id)["data"]["data"]["description"], "Edited here");
}

TEST_F(FederationServiceTest, ACardDeletedOnThePeerIsImportedAgain) {
  FakeArchitect architect;
  EnableArchitect(architect.base_url());
  CardId id = Import("Carol");
  auto first = service_->Push(id, "architect", {});
  ASSERT_TRUE(first.ok());
  httplib::Client(architect.base_url()).Delete("/api/cards/" + first->platform_id);
  ASSERT_EQ(architect.CardCount(), 0u);
  auto again = service_->Push(id, "architect", {});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_NE(again->platform_id, first->platform_id);
  EXPECT_EQ(architect.CardCount(), 1u);
  EXPECT_EQ(State(id).platform_id, again->platform_id);
}

TEST_F(FederationServiceTest, TestConnectionAcceptsBothListShapesAndReportsFailures) {
  for (auto shape : {FakeArchitect::ListShape::kArray, FakeArchitect::ListShape::kItems}) {
    FakeArchitect architect(shape);
    EnableArchitect(architect.base_url());
    auto test = service_->TestPlatform("architect");
    ASSERT_TRUE(test.ok());
    EXPECT_TRUE(test->connected) << test->error;
    EXPECT_EQ(test->data["software"], "Character Architect");
  }
  EXPECT_TRUE(service_->Platform("architect")->last_connected_at);
  EnableArchitect("http://127.0.0.1:1");
  auto down = service_->TestPlatform("architect");
  ASSERT_TRUE(down.ok());
  EXPECT_FALSE(down->connected);
  EXPECT_NE(down->error.find("cannot connect"), std::string::npos) << down->error;
  EnableArchitect("http://no-such-host.invalid");
  down = service_->TestPlatform("architect");
  EXPECT_NE(down->error.find("cannot resolve host"), std::string::npos) << down->error;
}

struct FaultCase {
  FakeArchitect::Fault fault;
  const char* message;  // part of the error a user sees
};

TEST_F(FederationServiceTest, EveryPeerFaultLeavesAnErrorStateAndTheCardUntouched) {
  FakeArchitect architect;
  EnableArchitect(architect.base_url(), Json{{"timeout_seconds", 1}});
  CardId id = Import("Dana");
  std::string hash_before = archive_->Get(id)->content_hash;
  size_t versions_before = archive_->Versions(id)->size();
  const FaultCase cases[] = {
      {FakeArchitect::Fault::kServerError, "HTTP 500"},
      {FakeArchitect::Fault::kGarbage, "not JSON"},
      {FakeArchitect::Fault::kForbidden, "HTTP 403"},
      {FakeArchitect::Fault::kHang, "within 1 s"},
  };
  for (const FaultCase& c : cases) {
    architect.SetFault(c.fault);
    auto pushed = service_->Push(id, "architect", {});
    architect.SetFault(FakeArchitect::Fault::kNone);
    ASSERT_FALSE(pushed.ok()) << c.message;
    EXPECT_NE(pushed.status().message().find(c.message), std::string::npos) << pushed.status().message();
    SyncRecord state = State(id);
    EXPECT_EQ(state.status, SyncState::kError);
    EXPECT_EQ(state.error_message, pushed.status().message());
  }
  EXPECT_EQ(architect.CardCount(), 0u);
  EXPECT_EQ(archive_->Get(id)->content_hash, hash_before);
  EXPECT_EQ(archive_->Versions(id)->size(), versions_before);
  auto errors = service_->Events(EventFilter{.card_id = id, .status = "error"});
  EXPECT_EQ(errors->size(), std::size(cases));

  // The peer is back: the same card pushes and the error clears.
  auto pushed = service_->Push(id, "architect", {});
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  EXPECT_EQ(State(id).status, SyncState::kSynced);
  EXPECT_FALSE(State(id).error_message);
}

TEST_F(FederationServiceTest, AMisbehavingPeerOnSyncIsBoundedAndChangesNothing) {
  FakeArchitect architect;
  EnableArchitect(architect.base_url(), Json{{"timeout_seconds", 1}});
  CardId id = Import("Frank");
  ASSERT_TRUE(service_->Push(id, "architect", {}).ok());
  ASSERT_TRUE(service_->Push(Import("Gina"), "architect", {}).ok());  // the card a wrong answer could be
  std::string remote_id = *State(id).platform_id;
  architect.EditCard(remote_id, "description", "changed on the peer");  // a sync would pull this
  std::string hash_before = archive_->Get(id)->content_hash;
  size_t versions_before = archive_->Versions(id)->size();
  const FaultCase cases[] = {
      {FakeArchitect::Fault::kDropped, "connection was closed"},
      {FakeArchitect::Fault::kDrip, "sends too slowly"},
      {FakeArchitect::Fault::kHuge, "larger than 64 MiB"},
      {FakeArchitect::Fault::kRateLimited, "(rate limited) (retry after 1 s)"},
      {FakeArchitect::Fault::kWrongCard, "answered another card"},
      {FakeArchitect::Fault::kServerError, "HTTP 500"},
  };
  for (const FaultCase& c : cases) {
    architect.SetFault(c.fault);
    auto start = std::chrono::steady_clock::now();
    auto synced = service_->Sync(id, "architect", {});
    auto took = std::chrono::steady_clock::now() - start;
    architect.SetFault(FakeArchitect::Fault::kNone);
    Status status = synced.ok() ? synced->status : synced.status();
    ASSERT_FALSE(status.ok()) << c.message;
    EXPECT_NE(status.message().find(c.message), std::string::npos) << status.message();
    EXPECT_LT(took, std::chrono::seconds(5)) << c.message;  // 1 s read timeout, 3 s in all at most
    EXPECT_EQ(State(id).status, SyncState::kError) << c.message;
    EXPECT_EQ(archive_->Get(id)->content_hash, hash_before) << c.message;
    EXPECT_EQ(archive_->Versions(id)->size(), versions_before) << c.message;
  }
  auto synced = service_->Sync(id, "architect", {});
  ASSERT_TRUE(synced.ok() && synced->status.ok());
  EXPECT_EQ(Json::parse(archive_->Get(id)->raw_json)["data"]["description"], "changed on the peer");
}

TEST_F(FederationServiceTest, PeerDownIsAnErrorWithAReadableMessage) {
  EnableArchitect("http://127.0.0.1:1");
  CardId id = Import("Eve");
  auto pushed = service_->Push(id, "architect", {});
  ASSERT_FALSE(pushed.ok());
  EXPECT_EQ(pushed.status().code(), StatusCode::kRemoteError);
  EXPECT_NE(pushed.status().message().find("cannot connect to http://127.0.0.1:1"), std::string::npos);
  EXPECT_EQ(State(id).status, SyncState::kError);
}

// Sixteen first-push workers against a SillyTavern that is down: each probes
// the peer for a free name, fails and records its failure. The database pool
// (8 connections) must not run dry: no worker holds a connection across the
// probe, or waits for a second one while holding the first.
TEST_F(FederationServiceTest, SixteenFirstPushWorkersWithThePeerDownEndInErrorNotAHang) {
  PlatformSettings s;
  s.base_url = "http://127.0.0.1:1";
  s.enabled = true;
  ASSERT_TRUE(service_->UpdatePlatform("sillytavern", s).ok());
  std::vector<CardId> ids;
  for (int i = 0; i < 48; ++i) ids.push_back(Import("Worker " + std::to_string(i)));
  BulkPushOptions options;
  options.concurrency = 16;
  auto report = service_->BulkPush("sillytavern", ids, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->failed, ids.size());
  for (const auto& result : report->results) {
    EXPECT_EQ(result.status.code(), StatusCode::kRemoteError) << result.status.ToString();
    EXPECT_NE(result.status.kind(), "db_pool_exhausted");
  }
  for (CardId id : ids) EXPECT_EQ(State(id, "sillytavern").status, SyncState::kError);
}

TEST_F(FederationServiceTest, BulkPushGoesOnPastFailuresAndKeepsOrder) {
  FakeArchitect architect;
  EnableArchitect(architect.base_url());
  std::vector<CardId> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(Import("Card " + std::to_string(i)));
  ids.insert(ids.begin() + 5, 999999);  // no such card
  std::vector<size_t> progress;
  BulkPushOptions options;
  options.concurrency = 4;
  options.progress = [&](const PushResult&, size_t done, size_t) { progress.push_back(done); };
  auto report = service_->BulkPush("architect", ids, options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->total, 13u);
  EXPECT_EQ(report->succeeded, 12u);
  EXPECT_EQ(report->failed, 1u);
  EXPECT_EQ(report->results[5].card_id, 999999);
  EXPECT_EQ(report->results[5].status.kind(), "card_not_found");
  EXPECT_EQ(report->results[0].card_id, ids[0]);
  EXPECT_EQ(progress.size(), 13u);
  EXPECT_EQ(progress.back(), 13u);
  EXPECT_EQ(architect.CardCount(), 12u);

  // With the peer failing, every card is reported and none aborts the rest.
  architect.SetFault(FakeArchitect::Fault::kServerError);
  ids.erase(ids.begin() + 5);
  auto failing = service_->BulkPush("architect", ids, {});
  ASSERT_TRUE(failing.ok());
  EXPECT_EQ(failing->failed, 12u);
  auto errors = service_->PlatformCards("architect", SyncState::kError);
  EXPECT_EQ(errors->size(), 12u);
  auto counts = service_->StatusCounts("architect");
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0], std::make_pair(std::string("error"), int64_t{12}));
}

TEST_F(FederationServiceTest, ATransientFailureIsRetriedAndOnlyTheOutcomeIsRecorded) {
  FakeArchitect architect;
  EnableArchitect(architect.base_url());
  std::vector<std::chrono::milliseconds> waits;
  auto retrying = std::move(FederationService::Open(*archive_, RetryPolicy({.jitter = 0}, [&](auto delay) {
                    waits.push_back(delay);
                    return true;
                  }))).value();
  CardId id = Import("Hana");
  architect.SetFault(FakeArchitect::Fault::kServerError, 1);  // the import fails: it may have landed
  auto pushed = retrying->Push(id, "architect", {});
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  EXPECT_EQ(architect.CardCount(), 1u);
  // Before sending it again, the peer's cards are read: the push had not landed.
  EXPECT_EQ(architect.Requests(), (std::vector<std::string>{"POST /api/import", "GET /api/cards", "POST /api/import",
                                                            "GET /api/cards/" + pushed->platform_id}));
  EXPECT_EQ(waits, std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(500)});
  EXPECT_EQ(State(id).status, SyncState::kSynced);
  auto events = service_->Events(EventFilter{.card_id = id});
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].status, "ok");

  architect.SetFault(FakeArchitect::Fault::kForbidden);  // would only repeat
  waits.clear();
  auto refused = retrying->Push(id, "architect", {.overwrite = true});
  EXPECT_FALSE(refused.ok());
  EXPECT_TRUE(waits.empty());
}

TEST_F(FederationServiceTest, ARateLimitedReadBackIsRetriedAndTheLinkVerified) {
  FakeArchitect architect;
  architect.SetRateLimit(1, std::chrono::seconds(1));  // the import passes, the read-back is told to wait
  EnableArchitect(architect.base_url());
  auto retrying = std::move(FederationService::Open(*archive_)).value();  // waits the peer's Retry-After
  CardId id = Import("Ines");
  auto pushed = retrying->Push(id, "architect", {});
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  EXPECT_GE(architect.RateLimited(), 1u);
  SyncRecord state = State(id);
  EXPECT_EQ(state.status, SyncState::kSynced);
  ASSERT_TRUE(state.remote_hash);
  EXPECT_EQ(*state.remote_hash, archive_->Get(id)->content_hash);
}

// Architect's default limit (1,000 a minute) met by a bulk push, as 40
// requests per 10 s met 300 cards, with the window shortened to a second so
// the test waits 15 s of the peer's clock rather than 150.
TEST_F(FederationServiceTest, ABulkPushThroughARateLimitEndsWithEveryCardSynced) {
  FakeArchitect architect;
  // The window opens at the first refusal, so the limit is met however slow the machine is.
  architect.SetRateLimit(40, std::chrono::seconds(1), testing::FixedWindowRateLimit::Start::kAtFirstRefusal);
  EnableArchitect(architect.base_url());
  std::vector<CardId> ids;
  for (int i = 0; i < 300; ++i) ids.push_back(Import("Limited " + std::to_string(i)));
  auto retrying = std::move(FederationService::Open(*archive_)).value();
  auto report = retrying->BulkPush("architect", ids, {});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->succeeded, 300u);
  EXPECT_EQ(report->failed, 0u);
  for (const auto& r : report->results) EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_GT(architect.RateLimited(), 0u);
  EXPECT_EQ(architect.CardCount(), 300u);
  auto counts = service_->StatusCounts("architect");
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0], std::make_pair(std::string("synced"), int64_t{300}));
}

// A card whose lorebook Architect rewrites on import (drops `probability` and
// `selectiveLogic`, names `position`), so its copy does not hash as the card.
Json RewrittenByArchitect(const std::string& name) {
  Json card = MakeV2Card(name);
  card["data"]["character_book"] = Json{{"entries", Json::array({Json{{"id", 1},
                                                                      {"keys", {"k"}},
                                                                      {"content", "Lore"},
                                                                      {"probability", 50},
                                                                      {"selectiveLogic", 0},
                                                                      {"position", ""},
                                                                      {"enabled", true},
                                                                      {"insertion_order", 0},
                                                                      {"extensions", Json::object()}}})}};
  return card;
}

TEST_F(FederationServiceTest, AFirstPushThatTimedOutAfterLandingIsFoundByItsMarkerNotSentTwice) {
  FakeArchitect architect;
  EnableArchitect(architect.base_url(), Json{{"timeout_seconds", 1}});
  auto retrying =
      std::move(FederationService::Open(*archive_, RetryPolicy({.jitter = 0}, [](auto) { return true; }))).value();
  CardId id = *archive_->ImportBytes(MakeCardPng(RewrittenByArchitect("Kai")), "kai.png").id;
  architect.HangAfterNextImport();
  auto pushed = retrying->Push(id, "architect", {});
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  EXPECT_EQ(architect.CardCount(), 1u);
  EXPECT_EQ(Count(architect.Requests(), "POST /api/import"), 1u);
  SyncRecord state = State(id);
  EXPECT_EQ(state.status, SyncState::kSynced);
  EXPECT_EQ(state.platform_id, pushed->platform_id);
  // The copy carries the marker; the rewrite changed its hash, so its content could not have found it.
  Json stored = architect.Card(pushed->platform_id)["data"];
  EXPECT_EQ(stored["data"]["extensions"]["charchive"], (Json{{"archive", retrying->archive_id()}, {"card_id", id}}));
  EXPECT_NE(ContentHash(*Card::FromJson(stored.dump())), archive_->Get(id)->content_hash);
  EXPECT_EQ(state.remote_hash, ContentHash(*Card::FromJson(stored.dump())));
}

TEST_F(FederationServiceTest, TheArchiveIdIsMadeOnceAndKept) {
  const std::string id = service_->archive_id();
  EXPECT_EQ(id.size(), 36u);
  auto reopened = FederationService::Open(*archive_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->archive_id(), id);
  TempDir other;
  auto elsewhere = Archive::Open(other.path().string());
  EXPECT_NE((*FederationService::Open(**elsewhere))->archive_id(), id);
}

// A push whose read-back keeps failing: Architect answers 503 to reads for
// 6 s after the import, longer than the retries wait (0.5 + 1 + 2 s on a clock
// the retry policy moves instead of sleeping). The link is unverified.
class UnverifiedLinkTest : public FederationServiceTest {
 protected:
  void SetUp() override {
    FederationServiceTest::SetUp();
    EnableArchitect(architect_.base_url());
    retrying_ = std::move(FederationService::Open(*archive_, RetryPolicy({.jitter = 0}, [&](auto delay) {
                  clock_.Advance(delay);
                  return true;
                }))).value();
    architect_.FailReadsAfterNextImport(std::chrono::seconds(6), clock_);
    id_ = Import("Jun");
    auto pushed = retrying_->Push(id_, "architect", {});
    ASSERT_EQ(pushed.status().transient(), Transient::kServerError) << pushed.status().ToString();
    ASSERT_EQ(architect_.CardCount(), 1u);
    SyncRecord state = State(id_);
    ASSERT_TRUE(state.unverified());
    EXPECT_EQ(state.status, SyncState::kError);
    remote_id_ = *state.platform_id;
    clock_.Advance(std::chrono::seconds(3));  // past the window: reads answer again
  }

  FakeArchitect architect_;
  testing::ManualClock clock_;
  std::unique_ptr<FederationService> retrying_;
  CardId id_ = 0;
  std::string remote_id_;
};

TEST_F(UnverifiedLinkTest, APushWithoutOverwriteReadsThePeerFirstAndKeepsAnArchitectEdit) {
  architect_.EditCard(remote_id_, "scenario", "Edited in Architect.");
  auto refused = retrying_->Push(id_, "architect", {});
  EXPECT_EQ(refused.status().code(), StatusCode::kConflict);
  EXPECT_EQ(refused.status().kind(), federation_error::kRemoteChanged);
  EXPECT_NE(refused.status().message().find("(scenario)"), std::string::npos) << refused.status().message();
  EXPECT_EQ(State(id_).status, SyncState::kConflict);
  EXPECT_EQ(architect_.Card(remote_id_)["data"]["data"]["scenario"], "Edited in Architect.");
  EXPECT_EQ(Count(architect_.Requests(), "PATCH"), 0u);

  // A sync takes the edit (the peer's base is what was pushed) and verifies the link.
  auto synced = retrying_->Sync(id_, "architect", {});
  ASSERT_TRUE(synced.ok()) << synced.status().ToString();
  EXPECT_EQ(synced->action, SyncAction::kPulled);
  EXPECT_EQ(Card::FromJson(archive_->Get(id_)->raw_json)->V3Data()["scenario"], "Edited in Architect.");
  SyncRecord state = State(id_);
  EXPECT_EQ(state.status, SyncState::kSynced);
  EXPECT_FALSE(state.unverified());
}

TEST_F(UnverifiedLinkTest, ACopyAsPushedIsOverwrittenByTheNextPushAndTheLinkVerified) {
  ASSERT_TRUE(archive_->UpdateData(id_, Json{{"personality", "brisk"}}).ok());
  auto pushed = retrying_->Push(id_, "architect", {});
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  EXPECT_EQ(pushed->platform_id, remote_id_);
  EXPECT_EQ(architect_.Card(remote_id_)["data"]["data"]["personality"], "brisk");
  SyncRecord state = State(id_);
  EXPECT_EQ(state.status, SyncState::kSynced);
  EXPECT_FALSE(state.unverified());
}

TEST_F(FederationServiceTest, UnlinkForgetsStatesAndDeletingACardCascades) {
  FakeArchitect architect;
  EnableArchitect(architect.base_url());
  CardId a = Import("Frank");
  CardId b = Import("Grace");
  ASSERT_TRUE(service_->Push(a, "architect", {}).ok());
  ASSERT_TRUE(service_->Push(b, "architect", {}).ok());
  auto bulk = service_->BulkStatus({a, b, 424242});
  ASSERT_EQ(bulk->size(), 2u);
  EXPECT_EQ((*bulk)[0].synced_platforms, std::vector<std::string>{"architect"});
  EXPECT_EQ(*service_->Unlink(a, "architect"), 1);
  EXPECT_TRUE(service_->CardSyncs(a)->empty());
  ASSERT_TRUE(archive_->Delete(b).ok());
  EXPECT_TRUE(service_->PlatformCards("architect", std::nullopt)->empty());
  EXPECT_EQ(architect.CardCount(), 2u);  // the peer's copies stay
}

// Architect rewrites Seraphina's lorebook on import, so its copy may hash
// differently; the link records the copy as read back and the rewrite alone is
// never a change.
TEST_F(FederationServiceTest, TheSeraphinaFixturePushesAndTheRewriteOnImportIsNoChange) {
  FakeArchitect architect;
  EnableArchitect(architect.base_url());
  ImportResult r = archive_->ImportBytes(ReadFixture("default_Seraphina.png"), "default_Seraphina.png");
  ASSERT_TRUE(r.id);
  auto pushed = service_->Push(*r.id, "architect", {});
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  auto stored = Card::FromJson(architect.Card(pushed->platform_id)["data"].dump());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(State(*r.id).remote_hash, ContentHash(*stored));
  EXPECT_EQ(State(*r.id).local_hash, archive_->Get(*r.id)->content_hash);
  std::string before = archive_->Get(*r.id)->raw_json;
  auto synced = service_->Sync(*r.id, "architect", {});
  ASSERT_TRUE(synced.ok()) << synced.status().ToString();
  EXPECT_EQ(synced->action, SyncAction::kUnchanged);
  EXPECT_EQ(archive_->Get(*r.id)->raw_json, before);
}

}  // namespace
}  // namespace charchive::federation
