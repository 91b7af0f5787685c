// libFuzzer target: a peer's answer as the adapters read it. The first byte
// picks a scenario — which adapter call, and which of its peer's endpoints
// answers with the rest of the input (the others answer well) — and the call
// runs against an in-process loopback ScriptedPeer, through the real
// PeerHttp, JsonBody and the adapter's typed reads (SillyTavern native and
// CForge plugin, Character Architect, CardsHub's login, upload, detail,
// download and listing, another archive's WebFinger and actor). The same
// bytes also go, parsed, to the card sources' readers (Chub and Character
// Tavern listings and card documents). Nothing may throw or crash; every
// failure is a Status.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "card/json_parse.h"
#include "federation/platform_adapter.h"
#include "sources/character_tavern_client.h"
#include "sources/chub_client.h"
#include "testing/test_cards.h"
#include "tests/fakes/scripted_peer.h"
#include "util/sha256.h"

namespace {

using namespace charchive;

struct Scenario {
  const char* platform;
  bool use_cforge;
  const char* fuzzed_path;
  const char* call;  // test | push | fetch | list | image
};

constexpr Scenario kScenarios[] = {
    {"sillytavern", false, "/version", "test"},
    {"sillytavern", false, "/csrf-token", "test"},
    {"sillytavern", false, "/api/characters/import", "push"},
    {"sillytavern", false, "/api/characters/get", "fetch"},
    {"sillytavern", false, "/api/characters/all", "list"},
    {"sillytavern", true, "/api/plugins/cforge/probe", "fetch"},
    {"sillytavern", true, "/api/plugins/cforge/sync/import", "push"},
    {"sillytavern", true, "/api/plugins/cforge/cards/c1.png", "fetch"},
    {"sillytavern", true, "/api/plugins/cforge/cards/c1.png", "image"},
    {"sillytavern", true, "/api/plugins/cforge/cards", "list"},
    {"architect", false, "/health", "test"},
    {"architect", false, "/api/cards", "test"},
    {"architect", false, "/api/cards/c1", "fetch"},
    {"architect", false, "/api/cards", "list"},
    {"architect", false, "/api/import", "push"},
    {"hub", false, "/api/auth/login", "test"},
    {"hub", false, "/api/auth/session", "test"},
    {"hub", false, "/api/cards", "push"},
    {"hub", false, "/api/cards/c1", "fetch"},
    {"hub", false, "/api/cards/c1/download", "fetch"},
    {"hub", false, "/api/users/fuzz/cards", "list"},
    {"archive", false, "/.well-known/webfinger", "test"},
    {"archive", false, "/ap/actor", "test"},
    {"archive", false, "/ap/actor", "list"},
};

void GoodAnswers(testing::ScriptedPeer& peer) {
  const std::string card = R"({"spec":"chara_card_v2","spec_version":"2.0","data":{"name":"Seed"}})";
  peer.Answer("/version", 200, R"({"pkgVersion":"1.19.0","agent":"SillyTavern:1.19.0"})");
  peer.Answer("/csrf-token", 200, R"({"token":"t"})");
  peer.Answer("/api/characters/import", 200, R"({"file_name":"Seed"})");
  peer.Answer("/api/characters/get", 200, Json{{"json_data", card}}.dump());
  peer.Answer("/api/characters/all", 200, Json::array({Json{{"avatar", "c1.png"}, {"json_data", card}}}).dump());
  peer.Answer("/api/plugins/cforge/probe", 200, R"({"ok":true})");
  peer.Answer("/api/plugins/cforge/sync/import", 200, R"({"success":true,"filename":"c1.png"})");
  peer.Answer("/api/plugins/cforge/cards/c1.png", 200, Json{{"json", card}, {"mtime", 1}, {"image", ""}}.dump());
  peer.Answer("/api/plugins/cforge/cards", 200, Json{{"cards", Json::array()}}.dump());
  peer.Answer("/health", 200, R"({"status":"ok"})");
  peer.Answer("/api/cards", 200, "[]");
  peer.Answer("/api/cards/c1", 200, "{\"meta\":{\"id\":\"c1\"},\"data\":" + card + "}");
  peer.Answer("/api/import", 200, R"({"card":{"meta":{"id":"c1"}}})");
  std::string actor = peer.base_url() + "/ap/actor";
  peer.Answer("/.well-known/webfinger", 200,
              Json{{"links", Json::array({Json{{"rel", "self"}, {"href", actor}}})}}.dump());
  peer.Answer(
      "/ap/actor", 200,
      Json{{"id", actor}, {"inbox", actor + "/inbox"}, {"outbox", actor + "/outbox"}, {"publicKey", Json::object()}}
          .dump());
  peer.Answer("/ap/actor/outbox", 200, R"({"type":"OrderedCollection"})");
  // CardsHub (the "hub" platform): a login that sets the session cookie, the
  // session, an upload, a card's detail, its original file and a listing.
  const std::string png = testing::MakeCardPng(Json::parse(card));
  peer.Answer("/api/auth/login", 200, R"({"user":{"id":1,"username":"fuzz"}})");
  peer.AnswerHeader("/api/auth/login", "Set-Cookie", "cardshub_session=s1; Path=/; HttpOnly");
  peer.Answer("/api/auth/session", 200, R"({"user":{"id":1,"username":"fuzz"}})");
  peer.Answer("/api/cards", 201, R"({"data":{"slug":"c1"}})");
  peer.Answer(
      "/api/cards/c1", 200,
      Json{{"slug", "c1"}, {"versionId", "v1"}, {"contentHash", Sha256Hex(png)}, {"visibility", "public"}}.dump());
  peer.Answer("/api/cards/c1/download", 200, png, "image/png");
  peer.Answer("/api/users/fuzz/cards", 200, R"({"items":[{"slug":"c1"}],"hasMore":false})");
}

void ReadAsSourceAnswer(std::string_view body) {
  auto doc = ParseJsonText(body);
  if (!doc.ok()) return;
  (void)sources::ChubListedCard(*doc);
  (void)sources::ChubCardDocument(*doc);
  (void)sources::CharacterTavernListedCard(*doc);
  (void)sources::CharacterTavernCardDocument(*doc, *doc, *doc, *doc);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static testing::ScriptedPeer* peer = [] {
    auto* p = new testing::ScriptedPeer();  // lives for the whole run
    return p;
  }();
  const Scenario& s = kScenarios[data[0] % (sizeof(kScenarios) / sizeof(kScenarios[0]))];
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  ReadAsSourceAnswer(body);

  GoodAnswers(*peer);
  peer->Answer(s.fuzzed_path, 200, body);
  federation::PlatformConfig config;
  config.platform = s.platform;
  config.display_name = s.platform;
  config.base_url = peer->base_url();
  const bool cardshub = std::string_view(s.platform) == "hub";
  config.auth_kind = cardshub ? AuthKind::kLogin : AuthKind::kNone;
  if (cardshub) {
    config.username = "fuzz";
    config.api_key = "fuzz-password";
  }
  config.use_cforge = s.use_cforge;
  config.request_timeout = std::chrono::seconds(5);
  auto adapter = federation::MakeAdapter(config);
  if (!adapter.ok()) __builtin_trap();
  federation::OutgoingCard card;
  card.card_id = 1;
  card.png = "png";
  const std::string call = s.call;
  Status st;
  if (call == "test") st = (*adapter)->TestConnection().status();
  if (call == "push") st = (*adapter)->Push(card).status();
  if (call == "fetch") st = (*adapter)->Fetch("c1").status();
  if (call == "list") st = (*adapter)->List().status();
  if (call == "image") st = (*adapter)->FetchImage("c1").status();
  // A peer's answer never becomes an internal error.
  if (st.code() == StatusCode::kInternal) __builtin_trap();
  return 0;
}
