// The inbox's signer lookup against hostile actor documents: the node fetches
// the signer's actor before it can check the signature, so whatever that
// document holds — 300,000 nested arrays, fields of the wrong type — must be
// a clear refusal, never a crash or an exception.
#include "federation/hub_node.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "store/hub_repository.h"
#include "testing/test_cards.h"
#include "tests/fakes/scripted_peer.h"

namespace charchive::federation {
namespace {

using charchive::testing::ScriptedPeer;
using charchive::testing::TempDir;

constexpr char kPublicUrl[] = "http://127.0.0.1:9";  // this node; never connected to

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
    ASSERT_TRUE(hub_->UpdateSettings({.enabled = true, .public_url = kPublicUrl}).ok());
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
    Json follow{{"id", ActorUrl() + "/follows/1"}, {"type", "Follow"}, {"actor", ActorUrl()},
                {"object", std::string(kPublicUrl) + "/ap/actor"}};
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
    auto outcome = ReceiveSignedFollow();
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.status().code(), StatusCode::kUnauthenticated);  // the sender stays unverified: 401
    EXPECT_EQ(outcome.status().kind(), "peer_bad_response");
    EXPECT_NE(outcome.status().message().find(ActorUrl()), std::string::npos) << outcome.status().message();
    EXPECT_NE(outcome.status().message().find("deeper than 64"), std::string::npos) << outcome.status().message();
  }
  EXPECT_EQ(Followers(), 0u);
}

TEST_F(HubInboxTest, WrongTypesInTheActorDocumentAreRefusedNamingTheField) {
  struct Case {
    const char* field;
    Json (*spoil)(Json);
  };
  const Case cases[] = {
      {"id", [](Json a) { a["id"] = 5; return a; }},
      {"inbox", [](Json a) { a["inbox"] = Json::array(); return a; }},
      {"publicKey.id", [](Json a) { a["publicKey"]["id"] = false; return a; }},
      {"publicKey.publicKeyPem", [](Json a) { a["publicKey"]["publicKeyPem"] = 42; return a; }},
      {"publicKey.owner", [](Json a) { a["publicKey"]["owner"] = Json::object(); return a; }},
      {"publicKey[0].id", [](Json a) { a["publicKey"] = Json::array({Json{{"id", 7}}, a["publicKey"]}); return a; }},
  };
  for (const Case& c : cases) {
    signer_.Answer("/actor", 200, c.spoil(GoodActor()).dump());
    auto outcome = ReceiveSignedFollow();
    ASSERT_FALSE(outcome.ok()) << c.field;
    EXPECT_EQ(outcome.status().code(), StatusCode::kUnauthenticated) << c.field;
    EXPECT_EQ(outcome.status().kind(), "peer_bad_response") << c.field << ": " << outcome.status().message();
    EXPECT_NE(outcome.status().message().find(std::string(c.field) + " must be"), std::string::npos)
        << outcome.status().message();
  }
  EXPECT_EQ(Followers(), 0u);
}

TEST_F(HubInboxTest, DeepOrMistypedActivitiesAreRefusedBeforeAnyFetch) {
  InboxRequest request;
  request.target = "/ap/inbox";
  request.header = [](const std::string&) { return std::optional<std::string>(); };
  request.body = "{\"type\":\"Follow\",\"actor\":\"x\",\"object\":" + std::string(300000, '[') +
                 std::string(300000, ']') + "}";
  auto deep = hub_->Receive(request);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().kind(), "json_too_deep");
  EXPECT_EQ(deep.status().code(), StatusCode::kInvalidInput);
  request.body = R"({"type":"Follow","actor":5,"object":"x"})";
  EXPECT_EQ(hub_->Receive(request).status().kind(), "bad_activity");
  EXPECT_TRUE(signer_.Paths().empty());
}

}  // namespace
}  // namespace charchive::federation
