// Every adapter against a peer that answers with JSON it must not trust:
// 300,000 nested arrays, and a wrong type in each field the adapter reads.
// Each case must be a clear Status (peer_bad_response naming the peer and
// the field), never an exception or a crash. Table-driven against a loopback
// ScriptedPeer.
#include <gtest/gtest.h>

#include <functional>

#include "federation/platform_adapter.h"
#include "testing/test_cards.h"
#include "tests/fakes/scripted_peer.h"

namespace charchive::federation {
namespace {

using charchive::testing::MakeV2Card;
using charchive::testing::ScriptedPeer;

const std::string kDeep = std::string(300000, '[') + std::string(300000, ']');

struct Answer {
  std::string path;
  std::string body;
};

struct Case {
  std::string name;
  std::string platform;  // sillytavern | architect | archive
  bool use_cforge;
  std::vector<Answer> answers;  // answered 200
  std::string call;             // test | push | push_existing | fetch | list | image
  std::string expect_kind;
  std::string expect_in_message;  // the field (or "deeper than 64")
};

std::unique_ptr<PlatformAdapter> AdapterFor(const Case& c, const ScriptedPeer& peer) {
  PlatformConfig config;
  config.platform = c.platform;
  config.display_name = c.platform;
  config.base_url = peer.base_url();
  config.auth_kind = AuthKind::kNone;
  config.use_cforge = c.use_cforge;
  config.request_timeout = std::chrono::seconds(10);
  auto adapter = MakeAdapter(config);
  EXPECT_TRUE(adapter.ok()) << adapter.status().ToString();
  return adapter.ok() ? std::move(adapter).value() : nullptr;
}

Status Call(PlatformAdapter& adapter, const std::string& call) {
  OutgoingCard card{.card_id = 1, .card = Card::FromDocument(MakeV2Card("Ada")).value(), .png = "png"};
  if (call == "test") return adapter.TestConnection().status();
  if (call == "push") return adapter.Push(card).status();
  if (call == "push_existing") {
    card.platform_id = "c1";
    return adapter.Push(card).status();
  }
  if (call == "fetch") return adapter.Fetch("c1").status();
  if (call == "list") return adapter.List().status();
  if (call == "image") return adapter.FetchImage("c1").status();
  return Status::Internal("test", "unknown call " + call);
}

std::vector<Case> Cases() {
  const std::string csrf = R"({"token":"t"})";
  const std::string version = R"({"pkgVersion":"1.19.0","agent":"SillyTavern:1.19.0"})";
  const std::string probe = R"({"ok":true})";
  const std::string card_json = MakeV2Card("Ada").dump();
  const std::string health = R"({"status":"ok","timestamp":"2026-01-01T00:00:00Z"})";
  auto arch_card = [&](const std::string& meta) { return "{\"meta\":" + meta + ",\"data\":" + card_json + "}"; };
  std::vector<Case> cases = {
      // SillyTavern, native API.
      {"st csrf deep",
       "sillytavern",
       false,
       {{"/version", version}, {"/csrf-token", kDeep}},
       "test",
       "peer_bad_response",
       "deeper than 64"},
      {"st csrf token",
       "sillytavern",
       false,
       {{"/version", version}, {"/csrf-token", R"({"token":5})"}},
       "test",
       "peer_bad_response",
       "token must be a string"},
      {"st version deep", "sillytavern", false, {{"/version", kDeep}}, "test", "peer_bad_response", "deeper than 64"},
      {"st version pkgVersion",
       "sillytavern",
       false,
       {{"/version", R"({"pkgVersion":1})"}, {"/csrf-token", csrf}},
       "test",
       "peer_bad_response",
       "pkgVersion must be a string"},
      {"st version agent",
       "sillytavern",
       false,
       {{"/version", R"({"pkgVersion":"1","agent":[]})"}, {"/csrf-token", csrf}},
       "test",
       "peer_bad_response",
       "agent must be a string"},
      {"st import file_name",
       "sillytavern",
       false,
       {{"/csrf-token", csrf}, {"/api/characters/import", R"({"file_name":7})"}},
       "push",
       "peer_bad_response",
       "file_name must be a string"},
      {"st import error",
       "sillytavern",
       false,
       {{"/csrf-token", csrf}, {"/api/characters/import", R"({"error":"yes"})"}},
       "push",
       "peer_bad_response",
       "error must be true or false"},
      {"st import deep",
       "sillytavern",
       false,
       {{"/csrf-token", csrf}, {"/api/characters/import", kDeep}},
       "push",
       "peer_bad_response",
       "deeper than 64"},
      {"st get json_data",
       "sillytavern",
       false,
       {{"/csrf-token", csrf}, {"/api/characters/get", R"({"json_data":{}})"}},
       "fetch",
       "peer_bad_response",
       "json_data must be a string"},
      {"st get deep",
       "sillytavern",
       false,
       {{"/csrf-token", csrf}, {"/api/characters/get", kDeep}},
       "fetch",
       "peer_bad_response",
       "deeper than 64"},
      {"st list deep",
       "sillytavern",
       false,
       {{"/csrf-token", csrf}, {"/api/characters/all", kDeep}},
       "list",
       "peer_bad_response",
       "deeper than 64"},
      // SillyTavern through the CForge plugin.
      {"plugin import success",
       "sillytavern",
       true,
       {{"/csrf-token", csrf},
        {"/api/plugins/cforge/probe", probe},
        {"/api/plugins/cforge/sync/import", R"({"success":"yes","filename":"a.png"})"}},
       "push",
       "peer_bad_response",
       "success must be true or false"},
      {"plugin import filename",
       "sillytavern",
       true,
       {{"/csrf-token", csrf},
        {"/api/plugins/cforge/probe", probe},
        {"/api/plugins/cforge/sync/import", R"({"success":true,"filename":3})"}},
       "push",
       "peer_bad_response",
       "filename must be a string"},
      {"plugin read json",
       "sillytavern",
       true,
       {{"/api/plugins/cforge/probe", probe}, {"/api/plugins/cforge/cards/c1.png", R"({"json":1})"}},
       "fetch",
       "peer_bad_response",
       "json must be a string"},
      {"plugin read mtime",
       "sillytavern",
       true,
       {{"/api/plugins/cforge/probe", probe}, {"/api/plugins/cforge/cards/c1.png", R"({"json":"{}","mtime":"x"})"}},
       "fetch",
       "peer_bad_response",
       "mtime must be a whole number"},
      {"plugin read mtime overflow",
       "sillytavern",
       true,
       {{"/api/plugins/cforge/probe", probe}, {"/api/plugins/cforge/cards/c1.png", R"({"json":"{}","mtime":1e300})"}},
       "fetch",
       "peer_bad_response",
       "mtime must be a whole number"},
      {"plugin read image",
       "sillytavern",
       true,
       {{"/api/plugins/cforge/probe", probe}, {"/api/plugins/cforge/cards/c1.png", R"({"image":false})"}},
       "image",
       "peer_bad_response",
       "image must be a string"},
      {"plugin list file",
       "sillytavern",
       true,
       {{"/api/plugins/cforge/probe", probe}, {"/api/plugins/cforge/cards", R"({"cards":[{"file":1,"json":"{}"}]})"}},
       "list",
       "peer_bad_response",
       "file must be a string"},
      {"plugin list mtime",
       "sillytavern",
       true,
       {{"/api/plugins/cforge/probe", probe},
        {"/api/plugins/cforge/cards", R"({"cards":[{"file":"a.png","json":"{}","mtime":[]}]})"}},
       "list",
       "peer_bad_response",
       "mtime must be a whole number"},
      // A probe with a mistyped `ok` means "no plugin": the adapter falls back to the native API.
      {"plugin probe ok",
       "sillytavern",
       true,
       {{"/api/plugins/cforge/probe", R"({"ok":"true"})"},
        {"/csrf-token", csrf},
        {"/api/characters/get", R"({"json_data":3})"}},
       "fetch",
       "peer_bad_response",
       "json_data must be a string"},
      // Character Architect.
      {"architect health deep",
       "architect",
       false,
       {{"/health", kDeep}},
       "test",
       "peer_bad_response",
       "deeper than 64"},
      {"architect health status",
       "architect",
       false,
       {{"/health", R"({"status":1})"}},
       "test",
       "peer_bad_response",
       "status must be a string"},
      {"architect health timestamp",
       "architect",
       false,
       {{"/health", R"({"status":"ok","timestamp":2})"}},
       "test",
       "peer_bad_response",
       "timestamp must be a string"},
      {"architect list total",
       "architect",
       false,
       {{"/health", health}, {"/api/cards", R"({"items":[],"total":"many"})"}},
       "test",
       "peer_bad_response",
       "total must be a whole number"},
      {"architect list deep",
       "architect",
       false,
       {{"/api/cards", kDeep}},
       "list",
       "peer_bad_response",
       "deeper than 64"},
      {"architect card id",
       "architect",
       false,
       {{"/api/cards/c1", arch_card(R"({"id":1})")}},
       "fetch",
       "peer_bad_response",
       "meta.id must be a string"},
      {"architect card spec",
       "architect",
       false,
       {{"/api/cards/c1", arch_card(R"({"id":"c1","spec":2})")}},
       "push_existing",
       "peer_bad_response",
       "meta.spec must be a string"},
      {"architect card updatedAt",
       "architect",
       false,
       {{"/api/cards/c1", arch_card(R"({"id":"c1","updatedAt":{}})")}},
       "fetch",
       "peer_bad_response",
       "meta.updatedAt must be a string"},
      {"architect card deep",
       "architect",
       false,
       {{"/api/cards/c1", kDeep}},
       "fetch",
       "peer_bad_response",
       "deeper than 64"},
  };
  return cases;
}

TEST(AdapterJson, HostileAnswersAreClearErrorsNeverExceptions) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    ScriptedPeer peer;
    for (const Answer& a : c.answers) peer.Answer(a.path, 200, a.body);
    auto adapter = AdapterFor(c, peer);
    ASSERT_NE(adapter, nullptr);
    Status st = Call(*adapter, c.call);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), StatusCode::kRemoteError) << st.ToString();
    EXPECT_EQ(st.kind(), c.expect_kind) << st.ToString();
    EXPECT_NE(st.message().find(c.expect_in_message), std::string::npos) << st.ToString();
  }
}

// The hub adapter reads WebFinger, then the actor: the archive platform's actor
// is where a connection test or a follow meets a hostile document.
TEST(AdapterJson, HubActorDocumentsAreReadWithTypes) {
  struct HubCase {
    std::string name;
    std::function<std::string(const std::string& actor_url)> actor;
    std::string expect_in_message;
  };
  auto actor_with = [](const std::string& url, const std::string& extra) {
    return "{\"id\":\"" + url + "\",\"inbox\":\"" + url + "/inbox\",\"publicKey\":{}" + extra + "}";
  };
  const std::vector<HubCase> cases = {
      {"deep publicKey",
       [](const std::string& url) {
         return "{\"id\":\"" + url + "\",\"inbox\":\"" + url + "/inbox\",\"publicKey\":" + kDeep + "}";
       },
       "deeper than 64"},
      {"id", [](const std::string& url) { return "{\"id\":1,\"inbox\":\"" + url + "/inbox\",\"publicKey\":{}}"; },
       "id must be a string"},
      {"name", [&](const std::string& url) { return actor_with(url, ",\"name\":5"); }, "name must be a string"},
      {"preferredUsername", [&](const std::string& url) { return actor_with(url, ",\"preferredUsername\":[]"); },
       "preferredUsername must be a string"},
      {"outbox", [&](const std::string& url) { return actor_with(url, ",\"outbox\":true"); },
       "outbox must be a string"},
  };
  for (const HubCase& c : cases) {
    SCOPED_TRACE(c.name);
    ScriptedPeer peer;
    std::string actor_url = peer.base_url() + "/ap/actor";
    peer.Answer("/.well-known/webfinger", 200,
                Json{{"links", Json::array({Json{{"rel", "self"}, {"href", actor_url}}})}}.dump());
    peer.Answer("/ap/actor", 200, c.actor(actor_url));
    auto adapter = AdapterFor(Case{.platform = "archive"}, peer);
    ASSERT_NE(adapter, nullptr);
    for (const char* call : {"test", "list"}) {
      Status st = Call(*adapter, call);
      ASSERT_FALSE(st.ok()) << call;
      EXPECT_EQ(st.kind(), "peer_bad_response") << st.ToString();
      EXPECT_NE(st.message().find(c.expect_in_message), std::string::npos) << st.ToString();
    }
  }
  // A WebFinger answer with a link of the wrong shape is "no self link", not an exception.
  ScriptedPeer peer;
  peer.Answer("/.well-known/webfinger", 200, R"({"links":[{"rel":5,"href":[]},"x"]})");
  auto adapter = AdapterFor(Case{.platform = "archive"}, peer);
  ASSERT_NE(adapter, nullptr);
  Status st = Call(*adapter, "test");
  EXPECT_EQ(st.kind(), "peer_bad_response") << st.ToString();
  EXPECT_NE(st.message().find("no self link"), std::string::npos) << st.ToString();
}

}  // namespace
}  // namespace charchive::federation
