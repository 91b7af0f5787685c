// CardsHub as a peer (docs/federation.md "CardsHub"), against FakeCardsHub:
// login and the connection test, first pushes and the adoption of one that
// landed unanswered, refused updates and "publish as new", pulls of cards
// uploaded on the hub, a deletion on the hub, a wrong password, an unreadable
// listing, an expired session and a rate-limited login.
#include "federation/cardshub_adapter.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "federation/federation_service.h"
#include "testing/test_cards.h"
#include "tests/fakes/fake_cardshub.h"
#include "tests/fakes/scripted_peer.h"
#include "util/file_io.h"

namespace charchive::federation {
namespace {

using testing::FakeCardsHub;
using testing::MakeCardPng;
using testing::MakeV2Card;
using testing::TempDir;

constexpr char kUser[] = "archivist";
constexpr char kPassword[] = "correct horse 4711";
constexpr char kCannotUpdate[] =
    "CardsHub cannot update a published card; publish as a new card, or keep the archive version local";

class CardsHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_.AddUser(kUser, kPassword);
    hub_.AddUser("other", "other-password");
    auto archive = Archive::Open(dir_.path().string());
    ASSERT_TRUE(archive.ok()) << archive.status().ToString();
    archive_ = std::move(archive).value();
    // Retries as in production, with a sleep that records the waits and
    // returns at once (and lets a test act before the retry).
    RetryPolicy retry({.max_attempts = 4}, [this](std::chrono::milliseconds delay) {
      waits_.push_back(delay);
      if (on_wait_) on_wait_();
      return true;
    });
    auto service = FederationService::Open(*archive_, retry);
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(service).value();
  }

  void Configure(const std::string& password = kPassword, Json options = Json::object()) {
    PlatformSettings s;
    s.base_url = hub_.base_url();
    s.enabled = true;
    s.username = kUser;
    s.api_key = std::optional<std::string>(password);
    s.options = std::move(options);
    auto updated = service_->UpdatePlatform("hub", s);
    ASSERT_TRUE(updated.ok()) << updated.status().ToString();
    EXPECT_EQ(updated->auth_kind, AuthKind::kLogin);
  }

  CardId Import(const std::string& name, const std::string& description = "A quiet librarian.") {
    ImportResult r = archive_->ImportBytes(MakeCardPng(MakeV2Card(name, description)), name + ".png");
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    return r.id.value_or(0);
  }

  SyncRecord State(CardId id) {
    auto syncs = service_->CardSyncs(id);
    EXPECT_TRUE(syncs.ok());
    for (const auto& s : *syncs) {
      if (s.platform == "hub") return s;
    }
    ADD_FAILURE() << "no CardsHub state for card " << id;
    return {};
  }

  std::vector<EventRecord> Events(CardId id) {
    auto events = service_->Events(EventFilter{.card_id = id, .platform = "hub"});
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<EventRecord>();
  }

  FakeCardsHub hub_;
  TempDir dir_;
  std::unique_ptr<Archive> archive_;
  std::unique_ptr<FederationService> service_;
  std::vector<std::chrono::milliseconds> waits_;
  std::function<void()> on_wait_;
};

TEST_F(CardsHubTest, TheTestLogsInAndSaysWhoWeAreAndThePasswordStaysSealed) {
  Configure();
  auto test = service_->TestPlatform("hub");
  ASSERT_TRUE(test.ok()) << test.status().ToString();
  ASSERT_TRUE(test->connected) << test->error;
  EXPECT_EQ(test->data["software"], "CardsHub");
  EXPECT_EQ(test->data["user"]["username"], kUser);
  EXPECT_EQ(hub_.Logins(), 1u);
  EXPECT_NE(hub_.LastHeader("Cookie").find("cardshub_session="), std::string::npos);
  auto platform = service_->Platform("hub");
  ASSERT_TRUE(platform.ok());
  ASSERT_TRUE(platform->api_key_sealed.has_value());
  EXPECT_EQ(platform->api_key_sealed->find(kPassword), std::string::npos);
  for (const char* file : {"/cards.db", "/cards.db-wal"}) {
    auto bytes = ReadFile(dir_.path().string() + file, 1u << 30);
    if (bytes.ok()) {
      EXPECT_EQ(bytes->find(kPassword), std::string::npos) << file;
    }
  }
  auto events = service_->Events(EventFilter{.platform = "hub"});
  ASSERT_TRUE(events.ok());
  for (const EventRecord& e : *events) EXPECT_EQ(e.message.find(kPassword), std::string::npos) << e.message;
}

TEST_F(CardsHubTest, AWrongPasswordIsAClearErrorAndNothingIsWritten) {
  Configure("not the password");
  CardId id = Import("Alice");
  auto test = service_->TestPlatform("hub");
  ASSERT_TRUE(test.ok());
  EXPECT_FALSE(test->connected);
  EXPECT_NE(test->error.find("CardsHub refused the login of archivist: check the user name and password"),
            std::string::npos)
      << test->error;
  auto pushed = service_->Push(id, "hub", {});
  ASSERT_FALSE(pushed.ok());
  EXPECT_EQ(pushed.status().kind(), "peer_rejected") << pushed.status().ToString();
  EXPECT_EQ(waits_.size(), 0u);  // a refused login is final, not retried
  auto pulled = service_->PullNew("hub");
  ASSERT_FALSE(pulled.ok());
  EXPECT_EQ(pulled.status().kind(), "peer_rejected");
  EXPECT_EQ(hub_.CardCount(), 0u);
  EXPECT_EQ(archive_->CardIds()->size(), 1u);
  EXPECT_FALSE(State(id).platform_id.has_value());
}

TEST_F(CardsHubTest, AFirstPushUploadsTheCardAndReadsItBackWithoutADownload) {
  Configure(kPassword, Json{{"visibility", "unlisted"}});
  CardId id = Import("Alice");
  auto pushed = service_->Push(id, "hub", {});
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  ASSERT_EQ(hub_.CardCount(), 1u);
  const std::string slug = pushed->platform_id;
  EXPECT_EQ(slug.rfind("alice-", 0), 0u) << slug;
  Json card = hub_.Card(slug);
  EXPECT_EQ(card["visibility"], "unlisted");
  SyncRecord state = State(id);
  EXPECT_EQ(state.status, SyncState::kSynced);
  EXPECT_EQ(state.local_hash, state.remote_hash);
  EXPECT_EQ(state.remote_updated_at,
            card["versionId"].get<std::string>() + ":" + card["contentHash"].get<std::string>());
  // The hub has the bytes the archive sent: nothing needed downloading.
  EXPECT_EQ(hub_.Downloads(slug), 0);
  // A sync reads the detail only while its clock stands still.
  auto synced = service_->Sync(id, "hub", {});
  ASSERT_TRUE(synced.ok()) << synced.status().ToString();
  EXPECT_EQ(synced->action, SyncAction::kUnchanged);
  EXPECT_EQ(hub_.Downloads(slug), 0);
  EXPECT_EQ(hub_.Logins(), 1u);
  // Pushing the unchanged card again sends nothing.
  ASSERT_TRUE(service_->Push(id, "hub", {}).ok());
  EXPECT_EQ(hub_.CardCount(), 1u);
}

TEST_F(CardsHubTest, AFirstPushThatLandedUnansweredIsAdoptedNeverUploadedTwice) {
  Configure(kPassword, Json{{"timeout_seconds", 1}});
  CardId id = Import("Alice");
  hub_.HangUploads(1);
  auto pushed = service_->Push(id, "hub", {});
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  ASSERT_EQ(hub_.CardCount(), 1u);
  EXPECT_EQ(pushed->platform_id, hub_.Slugs().front());
  EXPECT_EQ(State(id).status, SyncState::kSynced);
  size_t uploads = 0;
  for (const auto& r : hub_.Requests()) uploads += r.method == "POST" && r.path == "/api/cards";
  EXPECT_EQ(uploads, 1u);
}

TEST_F(CardsHubTest, ALaterPushIsRefusedWithItsMessageAndPublishAsNewMakesANewCard) {
  Configure();
  CardId id = Import("Alice");
  auto first = service_->Push(id, "hub", {});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(archive_->UpdateData(id, Json{{"description", "Edited in the archive."}}).ok());

  auto refused = service_->Push(id, "hub", {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().kind(), "peer_cannot_update");
  EXPECT_EQ(refused.status().message(), kCannotUpdate);
  EXPECT_EQ(State(id).error_message, kCannotUpdate);
  auto synced = service_->Sync(id, "hub", {});
  ASSERT_FALSE(synced.ok());
  EXPECT_EQ(synced.status().kind(), "peer_cannot_update");
  EXPECT_EQ(hub_.CardCount(), 1u);
  // No request ever tried to change the published card.
  for (const auto& r : hub_.Requests())
    EXPECT_TRUE(r.method == "GET" || r.method == "POST") << r.method << " " << r.path;

  auto republished = service_->Push(id, "hub", {.publish_as_new = true});
  ASSERT_TRUE(republished.ok()) << republished.status().ToString();
  EXPECT_NE(republished->platform_id, first->platform_id);
  EXPECT_EQ(hub_.CardCount(), 2u);
  SyncRecord state = State(id);
  EXPECT_EQ(state.platform_id, republished->platform_id);
  EXPECT_EQ(state.status, SyncState::kSynced);
  EXPECT_EQ(hub_.Card(republished->platform_id)["cardData"]["data"]["description"], "Edited in the archive.");
  bool old_named = false;
  for (const EventRecord& e : Events(id)) old_named |= e.message.find(first->platform_id) != std::string::npos;
  EXPECT_TRUE(old_named) << "the history names the previous copy";
  // The superseded copy is the archive's own: a pull does not import it.
  auto pulled = service_->PullNew("hub");
  ASSERT_TRUE(pulled.ok()) << pulled.status().ToString();
  EXPECT_TRUE(pulled->empty());
  EXPECT_EQ(archive_->CardIds()->size(), 1u);
  // Publish as new is for peers that cannot update: refused before anything is sent.
  PlatformSettings architect;
  architect.base_url = hub_.base_url();
  architect.enabled = true;
  ASSERT_TRUE(service_->UpdatePlatform("architect", architect).ok());
  EXPECT_EQ(service_->Push(id, "architect", {.publish_as_new = true}).status().kind(), "bad_field");
}

TEST_F(CardsHubTest, APullImportsCardsUploadedOnTheHubWithOneDownloadEach) {
  Configure(kPassword, Json{{"pull_public", true}});
  std::string theirs = hub_.Upload("other", MakeCardPng(MakeV2Card("Brigid", "Made by another user.")), "brigid.png");
  std::string mine =
      hub_.Upload(kUser, MakeCardPng(MakeV2Card("Corvin", "Uploaded from the site.")), "corvin.png", "private");
  hub_.Upload("other", MakeCardPng(MakeV2Card("Hidden", "Private to other.")), "hidden.png", "private");
  auto pulled = service_->PullNew("hub");
  ASSERT_TRUE(pulled.ok()) << pulled.status().ToString();
  ASSERT_EQ(pulled->size(), 2u);
  std::set<std::string> names;
  for (const SyncResult& r : *pulled) {
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_EQ(r.action, SyncAction::kImported);
    auto record = archive_->Get(r.card_id);
    ASSERT_TRUE(record.ok());
    names.insert(record->name);
    EXPECT_EQ(record->source, "hub");
    EXPECT_EQ(record->source_id, r.platform_id);
    EXPECT_EQ(State(r.card_id).status, SyncState::kSynced);
  }
  EXPECT_EQ(names, (std::set<std::string>{"Brigid", "Corvin"}));
  EXPECT_EQ(hub_.Downloads(theirs), 1);
  EXPECT_EQ(hub_.Downloads(mine), 1);
  // Nothing new: nothing downloaded.
  auto again = service_->PullNew("hub");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  auto all = service_->SyncAll("hub", {.push_local_changes = false});
  ASSERT_TRUE(all.ok());
  for (const SyncResult& r : *all) EXPECT_EQ(r.action, SyncAction::kUnchanged) << r.status.ToString();
  EXPECT_EQ(hub_.Downloads(theirs), 1);
  EXPECT_EQ(hub_.Downloads(mine), 1);
}

TEST_F(CardsHubTest, ACardDeletedOnTheHubIsRemoteDeletedAndTheArchiveKeepsIt) {
  Configure();
  CardId id = Import("Alice");
  auto pushed = service_->Push(id, "hub", {});
  ASSERT_TRUE(pushed.ok());
  hub_.DeleteCard(pushed->platform_id);
  auto synced = service_->Sync(id, "hub", {});
  ASSERT_FALSE(synced.ok());
  EXPECT_EQ(synced.status().kind(), "remote_deleted");
  EXPECT_EQ(State(id).status, SyncState::kRemoteDeleted);
  EXPECT_TRUE(archive_->Get(id).ok());
  EXPECT_EQ(hub_.CardCount(), 0u);  // and nothing was uploaded again
  // A push does not make it again either.
  ASSERT_TRUE(archive_->UpdateData(id, Json{{"description", "Edited."}}).ok());
  EXPECT_EQ(service_->Push(id, "hub", {}).status().kind(), "peer_cannot_update");
  EXPECT_EQ(hub_.CardCount(), 0u);
}

TEST_F(CardsHubTest, AnUnreadableListingIsAClearErrorNamingTheRoute) {
  Configure();
  CardId id = Import("Alice");
  hub_.SetBadListing(true);
  auto pulled = service_->PullNew("hub");
  ASSERT_FALSE(pulled.ok());
  EXPECT_EQ(pulled.status().kind(), "peer_bad_response");
  EXPECT_NE(pulled.status().message().find("CardsHub GET /api/users/archivist/cards"), std::string::npos)
      << pulled.status().message();
  EXPECT_NE(pulled.status().message().find("items is missing"), std::string::npos) << pulled.status().message();
  EXPECT_EQ(archive_->CardIds()->size(), 1u);
  EXPECT_TRUE(service_->CardSyncs(id)->empty());
}

TEST_F(CardsHubTest, TheArchitectAdapterPointedAtCardsHubSaysItCannotReadTheListing) {
  hub_.Upload("other", MakeCardPng(MakeV2Card("Brigid")), "brigid.png");
  PlatformSettings s;
  s.base_url = hub_.base_url();
  s.enabled = true;
  ASSERT_TRUE(service_->UpdatePlatform("architect", s).ok());
  auto pulled = service_->PullNew("architect");
  ASSERT_FALSE(pulled.ok()) << "a listing of something else is not an empty success";
  EXPECT_EQ(pulled.status().kind(), "peer_bad_response");
  EXPECT_NE(pulled.status().message().find("Character Architect GET /api/cards: items[0].meta is missing"),
            std::string::npos)
      << pulled.status().message();
}

TEST_F(CardsHubTest, AnExpiredSessionLogsInOnceMoreAndItsPrivateCardIsNotTakenForDeleted) {
  Configure();
  CardId id = Import("Alice");
  ASSERT_TRUE(service_->Push(id, "hub", {}).ok());
  EXPECT_EQ(hub_.Logins(), 1u);
  hub_.ForgetSessions();
  // The card is private: CardsHub answers 404 to a forgotten session, which
  // must not read as a deletion.
  auto synced = service_->Sync(id, "hub", {});
  ASSERT_TRUE(synced.ok()) << synced.status().ToString();
  EXPECT_EQ(synced->action, SyncAction::kUnchanged);
  EXPECT_EQ(State(id).status, SyncState::kSynced);
  EXPECT_EQ(hub_.Logins(), 2u);
}

TEST_F(CardsHubTest, ARateLimitedLoginWaitsTheHubsRetryAfter) {
  Configure();
  CardId id = Import("Alice");
  hub_.SetLoginLimit(0, std::chrono::minutes(1));
  on_wait_ = [this] { hub_.SetLoginLimit(10, std::chrono::minutes(1)); };
  auto pushed = service_->Push(id, "hub", {});
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  ASSERT_EQ(waits_.size(), 1u);
  EXPECT_GE(waits_[0], std::chrono::seconds(59));
  EXPECT_LE(waits_[0], std::chrono::seconds(60));
  EXPECT_EQ(hub_.LoginsRefused(), 1u);
  EXPECT_EQ(hub_.CardCount(), 1u);
}

TEST_F(CardsHubTest, VisibilityAndUnpublishAreExplicitActions) {
  Configure();
  CardId id = Import("Alice");
  auto pushed = service_->Push(id, "hub", {});
  ASSERT_TRUE(pushed.ok());
  ASSERT_TRUE(service_->SetRemoteVisibility(id, "hub", "public").ok());
  EXPECT_EQ(hub_.Card(pushed->platform_id)["visibility"], "public");
  EXPECT_EQ(service_->SetRemoteVisibility(id, "hub", "everyone").kind(), "bad_field");
  ASSERT_TRUE(service_->Unpublish(id, "hub").ok());
  EXPECT_EQ(hub_.CardCount(), 0u);
  EXPECT_TRUE(archive_->Get(id).ok());
  EXPECT_TRUE(service_->CardSyncs(id)->empty());
  bool recorded = false;
  for (const EventRecord& e : Events(id)) recorded |= e.action == "unpublish" && e.status == "ok";
  EXPECT_TRUE(recorded);
  EXPECT_EQ(service_->Unpublish(id, "hub").kind(), "not_linked");
}

TEST_F(CardsHubTest, RemoteStatsReadTheDetailWithoutADownload) {
  Configure();
  CardId id = Import("Alice");
  EXPECT_EQ(service_->RemoteStats(id, "hub").status().kind(), "not_linked");
  auto pushed = service_->Push(id, "hub", {});
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  const std::string slug = pushed->platform_id;
  hub_.Favorite(slug);
  hub_.Favorite(slug);
  const int64_t downloads = hub_.Downloads(slug);
  auto stats = service_->RemoteStats(id, "hub");
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->platform_id, slug);
  EXPECT_EQ(stats->visibility, "private");
  EXPECT_EQ(stats->favorites, 2);
  EXPECT_EQ(stats->downloads, downloads);
  EXPECT_EQ(hub_.Downloads(slug), downloads);  // reading the counts is no download
  ASSERT_TRUE(service_->SetRemoteVisibility(id, "hub", "unlisted").ok());
  EXPECT_EQ(service_->RemoteStats(id, "hub")->visibility, "unlisted");
  hub_.DeleteCard(slug);
  EXPECT_EQ(service_->RemoteStats(id, "hub").status().kind(), "remote_missing");
}

// A hub that answers every page of a listing with the same cards and
// "hasMore": true (found by peer_answer_fuzz: 1,000 requests for one list).
TEST(CardsHubListing, APageWithNothingNewEndsTheListing) {
  testing::ScriptedPeer peer;
  peer.Answer("/api/auth/login", 200, R"({"user":{"id":1,"username":"archivist"}})");
  peer.AnswerHeader("/api/auth/login", "Set-Cookie", "cardshub_session=s1; Path=/; HttpOnly");
  peer.Answer("/api/users/archivist/cards", 200, R"({"items":[{"slug":"c1"},{"slug":"c2"}],"hasMore":true})");
  PlatformConfig config;
  config.platform = "hub";
  config.base_url = peer.base_url();
  config.auth_kind = AuthKind::kLogin;
  config.username = kUser;
  config.api_key = kPassword;
  auto adapter = MakeAdapter(config);
  ASSERT_TRUE(adapter.ok()) << adapter.status().ToString();
  auto ids = (*adapter)->ListIds();
  ASSERT_TRUE(ids.has_value());
  ASSERT_TRUE(ids->ok()) << ids->status().ToString();
  EXPECT_EQ(**ids, (std::vector<std::string>{"c1", "c2"}));
  std::vector<std::string> paths = peer.Paths();
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "/api/users/archivist/cards"), 2);
}

}  // namespace
}  // namespace charchive::federation
