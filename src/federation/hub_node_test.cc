// The hub node's inbox. Against a peer actor on loopback that signs its own
// requests: the trust model's decisions (hub_trust.h) as the inbox applies
// them, and what a refused sender is told. Against hostile actor documents:
// the node fetches the signer's actor before it can check the signature, so
// whatever that document holds — 300,000 nested arrays, fields of the wrong
// type — must be a clear refusal, never a crash or an exception. Its delivery
// back-off and Date window on a ManualClock.
#include "federation/hub_node.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <thread>

#include "federation/errors.h"
#include "federation/http_signature.h"
#include "store/hub_repository.h"
#include "testing/log_capture.h"
#include "testing/manual_clock.h"
#include "testing/test_cards.h"
#include "tests/fakes/scripted_peer.h"

namespace charchive::federation {
namespace {

using testing::LogCapture;
using testing::MakeCardPng;
using testing::MakeV2Card;
using testing::ScriptedPeer;
using testing::TempDir;

constexpr char kOurs[] = "http://127.0.0.1:9";  // never contacted: deliveries are not run here

// A remote actor: its key, and an actor document served on loopback.
class PeerActor {
 public:
  explicit PeerActor(const std::string& key_path) : key_(std::move(NodeKey::LoadOrCreate(key_path)).value()) {
    port_ = server_.bind_to_any_port("127.0.0.1");
    server_.Get("/ap/actor", [this](const httplib::Request&, httplib::Response& res) {
      Json doc{{"id", actor()},
               {"type", "Service"},
               {"inbox", base() + "/ap/inbox"},
               {"publicKey", {{"id", key_id()}, {"owner", actor()}, {"publicKeyPem", key_.public_pem()}}}};
      res.set_content(doc.dump(), kActivityJson);
    });
    // Bound and listening already: connections queue until the thread accepts them.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~PeerActor() {
    server_.stop();
    thread_.join();
  }

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string actor() const { return base() + "/ap/actor"; }
  std::string key_id() const { return actor() + "#main-key"; }

  // The activity as an inbox POST signed by this actor for `host`.
  InboxRequest Signed(const Json& activity, const std::string& host) const {
    InboxRequest request;
    request.target = "/ap/inbox";
    request.body = activity.dump();
    auto headers = std::move(SignRequest(key_, key_id(), "POST", host, request.target, request.body)).value();
    request.header = [headers](const std::string& name) -> std::optional<std::string> {
      for (const auto& [n, v] : headers) {
        std::string lower = n;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == name) return v;
      }
      return std::nullopt;
    };
    return request;
  }

 private:
  NodeKey key_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

class HubNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = std::move(Archive::Open(dir_.path().string() + "/data")).value();
    federation_ = std::move(FederationService::Open(*archive_)).value();
    node_ = std::make_unique<HubNode>(*archive_, *federation_, HubNodeOptions{.allow_private_peers = true});
    ASSERT_TRUE(node_->UpdateSettings(HubSettingsUpdate{.enabled = true, .public_url = kOurs}).ok());
    peer_ = std::make_unique<PeerActor>(dir_.path().string() + "/peer.key");
  }

  Result<InboxOutcome> Send(const Json& activity, const std::string& host = "127.0.0.1:9") {
    return node_->Receive(peer_->Signed(activity, host));
  }
  Json Activity(const std::string& type, Json object) {
    static int n = 0;
    return Json{{"@context", kActivityStreams},
                {"id", peer_->base() + "/activities/" + std::to_string(++n)},
                {"type", type},
                {"actor", peer_->actor()},
                {"object", std::move(object)}};
  }
  // The peer follows us and our owner accepts.
  void PeerFollows() {
    auto followed = Send(Activity("Follow", std::string(kOurs) + "/ap/actor"));
    ASSERT_TRUE(followed.ok()) << followed.status().ToString();
    ASSERT_TRUE(node_->AnswerFollower(peer_->actor(), true).ok());
  }
  void WeFollowPeer() {
    auto db = std::move(archive_->pool().Acquire()).value();
    ASSERT_TRUE(hub_repository::PutFollowing(
                    *db, {peer_->actor(), peer_->base() + "/ap/inbox", "accepted", "f-1", "2026-12-01T00:00:00Z"})
                    .ok());
  }
  Json Note(const std::string& id, const std::string& description) {
    Card card = std::move(Card::FromJson(MakeV2Card("Ada", description).dump())).value();
    return CardObject(card, CardObjectMeta{.id = id,
                                           .attributed_to = peer_->actor(),
                                           .published = "2026-12-01T00:00:00Z",
                                           .updated = "2026-12-01T00:00:00Z",
                                           .image_url = id + "/image"});
  }
  int64_t CardCount() {
    auto page = archive_->List(ListQuery{});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->total : -1;
  }
  std::vector<std::string> FollowerStates() {
    std::vector<std::string> out;
    Json overview = *node_->Overview();
    for (const auto& f : overview["followers"]) out.push_back(f["state"].get<std::string>());
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
  std::unique_ptr<FederationService> federation_;
  std::unique_ptr<HubNode> node_;
  std::unique_ptr<PeerActor> peer_;
};

TEST_F(HubNodeTest, AFollowWaitsForTheOwnerUnlessAutoAcceptIsOn) {
  EXPECT_FALSE(node_->Settings()->auto_accept);
  auto followed = Send(Activity("Follow", std::string(kOurs) + "/ap/actor"));
  ASSERT_TRUE(followed.ok()) << followed.status().ToString();
  EXPECT_EQ(followed->body["status"], "pending");
  EXPECT_EQ(FollowerStates(), std::vector<std::string>{"pending"});
  ASSERT_TRUE(node_->AnswerFollower(peer_->actor(), true).ok());
  EXPECT_EQ(FollowerStates(), std::vector<std::string>{"accepted"});

  ASSERT_TRUE(node_->UpdateSettings(HubSettingsUpdate{.auto_accept = true}).ok());
  ASSERT_TRUE(node_->AnswerFollower(peer_->actor(), false).ok());  // forgotten
  auto again = Send(Activity("Follow", std::string(kOurs) + "/ap/actor"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->body["status"], "accepted");
}

TEST_F(HubNodeTest, ARequestSignedForAnotherHostIsRefused) {
  auto refused = Send(Activity("Follow", std::string(kOurs) + "/ap/actor"), "other.example");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(refused.status().kind(), "wrong_host");
  EXPECT_TRUE(FollowerStates().empty());
  // The same host with another port is another node.
  EXPECT_EQ(Send(Activity("Follow", std::string(kOurs) + "/ap/actor"), "127.0.0.1:10").status().kind(), "wrong_host");
}

TEST_F(HubNodeTest, ARefusedSenderIsNotToldOurFetchError) {
  // Signed by an actor whose key host does not answer: the node's fetch fails.
  Json follow{{"id", "http://127.0.0.1:1/follows/1"},
              {"type", "Follow"},
              {"actor", "http://127.0.0.1:1/ap/actor"},
              {"object", std::string(kOurs) + "/ap/actor"}};
  InboxRequest request = peer_->Signed(follow, "127.0.0.1:9");
  auto original = request.header;
  request.header = [original](const std::string& name) -> std::optional<std::string> {
    auto value = original(name);
    if (name != "signature" || !value) return value;
    size_t at = value->find("http://127.0.0.1:");
    size_t end = value->find("/ap/actor", at);
    return value->substr(0, at) + "http://127.0.0.1:1" + value->substr(end);
  };
  auto refused = node_->Receive(request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(refused.status().message(), "signature not verified");
  EXPECT_TRUE(FollowerStates().empty());
}

TEST_F(HubNodeTest, AFollowersUpdateOfOurCardIsKeptAsASuggestion) {
  CardId ours = *archive_->ImportBytes(MakeCardPng(MakeV2Card("Ada", "ours")), "ada.png").id;
  ASSERT_TRUE(node_->SetPublished(ours, true).ok());
  std::string hash = archive_->Get(ours)->content_hash;
  PeerFollows();
  std::string url = std::string(kOurs) + "/ap/cards/" + std::to_string(ours);
  auto outcome = Send(Activity("Update", Note(url, "rewritten by a follower")));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->body["status"], "suggested");
  EXPECT_EQ(archive_->Get(ours)->content_hash, hash);  // our card is unchanged, no new version

  Json listed = *node_->Suggestions(ours);
  ASSERT_EQ(listed["suggestions"].size(), 1u);
  const Json& s = listed["suggestions"][0];
  EXPECT_EQ(s["actor"], peer_->actor());
  EXPECT_EQ(s["cardId"], ours);
  EXPECT_EQ(s["card"]["data"]["description"], "rewritten by a follower");
  // A newer suggestion from the same actor replaces it.
  ASSERT_TRUE(Send(Activity("Update", Note(url, "second thoughts"))).ok());
  listed = *node_->Suggestions(std::nullopt);
  ASSERT_EQ(listed["suggestions"].size(), 1u);
  EXPECT_EQ(listed["suggestions"][0]["card"]["data"]["description"], "second thoughts");

  ASSERT_TRUE(node_->DismissSuggestion(listed["suggestions"][0]["id"].get<int64_t>()).ok());
  EXPECT_TRUE((*node_->Suggestions(std::nullopt))["suggestions"].empty());
  EXPECT_EQ(node_->DismissSuggestion(listed["suggestions"][0]["id"].get<int64_t>()).kind(), "unknown_suggestion");
  EXPECT_EQ(archive_->Get(ours)->content_hash, hash);
}

TEST_F(HubNodeTest, AStrangersUpdateOfOurCardIsRefusedAndNotKept) {
  CardId ours = *archive_->ImportBytes(MakeCardPng(MakeV2Card("Ada", "ours")), "ada.png").id;
  ASSERT_TRUE(node_->SetPublished(ours, true).ok());
  auto refused = Send(Activity("Update", Note(std::string(kOurs) + "/ap/cards/" + std::to_string(ours), "mine now")));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().kind(), "not_a_peer");
  EXPECT_TRUE((*node_->Suggestions(std::nullopt))["suggestions"].empty());
}

TEST_F(HubNodeTest, AFollowerWeDoNotFollowCannotCreate) {
  PeerFollows();
  int64_t before = CardCount();
  auto refused = Send(Activity("Create", Note(peer_->base() + "/ap/cards/1", "theirs")));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kForbidden);
  EXPECT_EQ(refused.status().kind(), "not_followed");
  EXPECT_EQ(CardCount(), before);
}

TEST_F(HubNodeTest, AnUpdateFromAnotherActorThanTheOwnerIsRefused) {
  WeFollowPeer();
  int64_t before = CardCount();
  auto refused = Send(Activity("Update", Note("http://127.0.0.2:8080/ap/cards/1", "not theirs")));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().kind(), "not_owner");
  // Nor may a followed actor create one of our cards.
  CardId ours = *archive_->ImportBytes(MakeCardPng(MakeV2Card("Ada", "ours")), "ada.png").id;
  auto create = Send(Activity("Create", Note(std::string(kOurs) + "/ap/cards/" + std::to_string(ours), "x")));
  EXPECT_EQ(create.status().kind(), "not_owner");
  EXPECT_EQ(CardCount(), before + 1);
}

class HubInboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto archive = Archive::Open(dir_.path().string());
    ASSERT_TRUE(archive.ok()) << archive.status().ToString();
    archive_ = std::move(archive).value();
    auto service = FederationService::Open(*archive_);
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(service).value();
    hub_ = std::make_unique<HubNode>(*archive_, *service_, HubNodeOptions{.allow_private_peers = true});
    ASSERT_TRUE(hub_->UpdateSettings({.enabled = true, .public_url = kOurs}).ok());
    auto key = NodeKey::LoadOrCreate((dir_.path() / "signer.key").string());
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    signer_key_ = std::move(key).value();
  }

  std::string ActorUrl() { return signer_.base_url() + "/actor"; }
  std::string KeyId() { return ActorUrl() + "#main-key"; }

  Json GoodActor() {
    return Json{{"id", ActorUrl()},
                {"type", "Service"},
                {"inbox", ActorUrl() + "/inbox"},
                {"publicKey", {{"id", KeyId()}, {"owner", ActorUrl()}, {"publicKeyPem", signer_key_->public_pem()}}}};
  }

  // A Follow of this node, signed by the scripted signer.
  Result<InboxOutcome> ReceiveSignedFollow() {
    Json follow{{"id", ActorUrl() + "/follows/1"},
                {"type", "Follow"},
                {"actor", ActorUrl()},
                {"object", std::string(kOurs) + "/ap/actor"}};
    InboxRequest request;
    request.target = "/ap/inbox";
    request.body = follow.dump();
    auto headers = SignRequest(*signer_key_, KeyId(), "POST", "127.0.0.1:9", request.target, request.body);
    if (!headers.ok()) return headers.status();
    request.header = [signed_headers = *headers](const std::string& name) -> std::optional<std::string> {
      for (const auto& [key, value] : signed_headers) {
        if (std::equal(key.begin(), key.end(), name.begin(), name.end(),
                       [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
          return value;
        }
      }
      return std::nullopt;
    };
    return hub_->Receive(request);
  }

  // Follower rows in any state: a refused request stores none.
  size_t Followers() {
    auto db = archive_->pool().Acquire();
    EXPECT_TRUE(db.ok());
    auto followers = hub_repository::Followers(**db);
    EXPECT_TRUE(followers.ok());
    return followers.ok() ? followers->size() : 0;
  }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
  std::unique_ptr<FederationService> service_;
  std::unique_ptr<HubNode> hub_;
  std::optional<NodeKey> signer_key_;
  ScriptedPeer signer_;
};

TEST_F(HubInboxTest, AWellFormedSignerIsAccepted) {
  signer_.Answer("/actor", 200, GoodActor().dump());
  auto outcome = ReceiveSignedFollow();
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->http_status, 202);
  EXPECT_EQ(Followers(), 1u);
}

TEST_F(HubInboxTest, AnActorWhosePublicKeyNests300000ArraysIsRefusedNotACrash) {
  const std::string nest = std::string(300000, '[') + std::string(300000, ']');
  std::string good = GoodActor().dump();
  // publicKey itself nests 300,000 arrays; then a good key beside a deep field.
  std::string deep_key = good.substr(0, good.find("\"publicKey\"")) + "\"publicKey\":" + nest + "}";
  std::string deep_beside = good.substr(0, good.size() - 1) + ",\"x\":" + nest + "}";
  for (const std::string& hostile : {deep_key, deep_beside}) {
    signer_.Answer("/actor", 200, hostile);
    LogCapture log;
    auto outcome = ReceiveSignedFollow();
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.status().code(), StatusCode::kUnauthenticated);  // the sender stays unverified: 401
    EXPECT_EQ(outcome.status().kind(), "peer_bad_response");
    // The sender is told only that; the operator's log says why.
    EXPECT_EQ(outcome.status().message(), "signature not verified");
    EXPECT_TRUE(log.WaitForLine({"inbox_refused", ActorUrl(), "deeper than 64"})) << log.Text();
  }
  EXPECT_EQ(Followers(), 0u);
}

TEST_F(HubInboxTest, WrongTypesInTheActorDocumentAreRefusedNamingTheField) {
  struct Case {
    const char* field;
    Json (*spoil)(Json);
  };
  const Case cases[] = {
      {"id",
       [](Json a) {
         a["id"] = 5;
         return a;
       }},
      {"inbox",
       [](Json a) {
         a["inbox"] = Json::array();
         return a;
       }},
      {"publicKey.id",
       [](Json a) {
         a["publicKey"]["id"] = false;
         return a;
       }},
      {"publicKey.publicKeyPem",
       [](Json a) {
         a["publicKey"]["publicKeyPem"] = 42;
         return a;
       }},
      {"publicKey.owner",
       [](Json a) {
         a["publicKey"]["owner"] = Json::object();
         return a;
       }},
      {"publicKey[0].id",
       [](Json a) {
         a["publicKey"] = Json::array({Json{{"id", 7}}, a["publicKey"]});
         return a;
       }},
  };
  for (const Case& c : cases) {
    signer_.Answer("/actor", 200, c.spoil(GoodActor()).dump());
    LogCapture log;
    auto outcome = ReceiveSignedFollow();
    ASSERT_FALSE(outcome.ok()) << c.field;
    EXPECT_EQ(outcome.status().code(), StatusCode::kUnauthenticated) << c.field;
    EXPECT_EQ(outcome.status().kind(), "peer_bad_response") << c.field << ": " << outcome.status().message();
    EXPECT_TRUE(log.WaitForLine({"inbox_refused", std::string(c.field) + " must be"})) << log.Text();
  }
  EXPECT_EQ(Followers(), 0u);
}

TEST_F(HubInboxTest, DeepOrMistypedActivitiesAreRefusedBeforeAnyFetch) {
  InboxRequest request;
  request.target = "/ap/inbox";
  request.header = [](const std::string&) { return std::optional<std::string>(); };
  request.body =
      "{\"type\":\"Follow\",\"actor\":\"x\",\"object\":" + std::string(300000, '[') + std::string(300000, ']') + "}";
  auto deep = hub_->Receive(request);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().kind(), "json_too_deep");
  EXPECT_EQ(deep.status().code(), StatusCode::kInvalidInput);
  request.body = R"({"type":"Follow","actor":5,"object":"x"})";
  EXPECT_EQ(hub_->Receive(request).status().kind(), "bad_activity");
  EXPECT_TRUE(signer_.Paths().empty());
}

using std::chrono::seconds;
using testing::ManualClock;

// A follower's inbox on loopback that refuses its first POST (503) and accepts the rest.
class FlakyInbox {
 public:
  FlakyInbox() {
    server_.Post("/inbox",
                 [this](const httplib::Request&, httplib::Response& res) { res.status = posts_++ == 0 ? 503 : 202; });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // A stop() before the accept loop runs would be lost: its first answer says that it runs.
    httplib::Client probe("127.0.0.1", port_);
    probe.set_read_timeout(30, 0);
    (void)probe.Get("/");
  }
  ~FlakyInbox() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/inbox"; }
  int posts() const { return posts_; }

 private:
  httplib::Server server_;
  std::atomic<int> posts_{0};
  std::thread thread_;
  int port_ = 0;
};

// The node's time is a ManualClock: back-offs and the Date window move only with it.
class HubNodeClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = std::move(Archive::Open(dir_.path().string())).value();
    service_ = std::move(FederationService::Open(*archive_)).value();
    hub_ = std::make_unique<HubNode>(*archive_, *service_,
                                     HubNodeOptions{.first_retry = seconds(2), .allow_private_peers = true}, clock_);
    ASSERT_TRUE(hub_->UpdateSettings({.enabled = true, .public_url = "http://127.0.0.1:9"}).ok());
  }

  int64_t Deliveries(const std::string& state) {
    auto overview = hub_->Overview();
    EXPECT_TRUE(overview.ok());
    return overview.ok() ? (*overview)["deliveries"].value(state, int64_t{0}) : -1;
  }

  TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<Archive> archive_;
  std::unique_ptr<FederationService> service_;
  std::unique_ptr<HubNode> hub_;
};

TEST_F(HubNodeClockTest, ARefusedDeliveryIsRetriedOnceItsBackOffHasPassedOnTheClock) {
  FlakyInbox inbox;
  {
    auto db = archive_->pool().Acquire();
    ASSERT_TRUE(hub_repository::EnqueueDelivery(**db, inbox.url(), R"({"type": "Update"})").ok());
  }
  ASSERT_TRUE(hub_->RunOnce().ok());
  EXPECT_EQ(inbox.posts(), 1);  // 503: due again in 2 s (and up to 1 s of jitter)
  EXPECT_EQ(Deliveries("queued"), 1);
  ASSERT_TRUE(hub_->RunOnce().ok());
  clock_.Advance(seconds(1));
  ASSERT_TRUE(hub_->RunOnce().ok());
  EXPECT_EQ(inbox.posts(), 1);  // not yet due
  clock_.Advance(seconds(2));
  ASSERT_TRUE(hub_->RunOnce().ok());
  EXPECT_EQ(inbox.posts(), 2);
  EXPECT_EQ(Deliveries("delivered"), 1);
  EXPECT_EQ(Deliveries("queued"), 0);
}

TEST_F(HubNodeClockTest, TheInboxDateWindowIsReadOnTheNodesClock) {
  auto me = hub_->Identity();
  ASSERT_TRUE(me.ok()) << me.status().ToString();
  const std::string actor = "http://127.0.0.1:9/ap/actor";
  const std::string body = R"({"type": "Follow", "actor": ")" + actor + R"(", "object": ")" + actor + R"("})";
  // Signed now (real time); the signer's key would be fetched from port 9, where nothing listens.
  auto headers = SignRequest((*me)->key, actor + "#main-key", "POST", "127.0.0.1:9", "/ap/inbox", body);
  ASSERT_TRUE(headers.ok()) << headers.status().ToString();
  InboxRequest request;
  request.target = "/ap/inbox";
  request.body = body;
  request.header = [&](const std::string& name) -> std::optional<std::string> {
    for (const auto& [key, value] : *headers) {
      std::string lower = key;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower == name) return value;
    }
    return std::nullopt;
  };
  auto fresh = hub_->Receive(request);
  ASSERT_FALSE(fresh.ok());  // no key to verify with, but the Date passed
  EXPECT_NE(fresh.status().kind(), federation_error::kStaleDate) << fresh.status().ToString();
  clock_.Advance(seconds(400));  // past the 300 s window, whatever real time the test took
  auto stale = hub_->Receive(request);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().kind(), federation_error::kStaleDate) << stale.status().ToString();
}

}  // namespace
}  // namespace charchive::federation
