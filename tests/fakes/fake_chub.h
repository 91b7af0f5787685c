// FakeChub: Chub's read API on loopback, in the shapes of
// docs/peers.md "Chub" (we cannot reach chub.ai in
// tests): GET /search -> {data: {nodes: [...]}} sorted by lastActivityAt,
// newest first (`first`, `page`, `nsfw`, `min_tokens`, `topics`, `username`),
// GET /api/characters/{creator}/{slug}?full=true -> {node: {..., definition}},
// and the card PNG at /avatars/{creator}/{slug}/chara_card_v2.png. Pages hold
// at most `page_cap` nodes, as the real hub caps `first`.
// Control (FakeHubServer): POST /_control/cards with a node ({fullPath, name,
// topics?, nTokens?, definition: {...}}) adds it or, for a known fullPath,
// merges the fields and moves lastActivityAt to now.
//
// Thread safety: all methods may be called while the server runs.
#pragma once

#include <map>

#include "tests/fakes/fake_hub_server.h"

namespace charchive::testing {

class FakeChub : public FakeHubServer {
 public:
  explicit FakeChub(int port = 0, int page_cap = 500);
  ~FakeChub() override { StopServing(); }

  // Adds or updates a card (see the header comment); returns the node.
  nlohmann::json PutCard(const nlohmann::json& node) override;
  // A node with a definition, for tests: name "<slug>", creator "<creator>".
  static nlohmann::json SampleNode(const std::string& creator, const std::string& slug, const std::string& text);

 private:
  void Routes();
  int page_cap_;
  int64_t next_id_ = 1000;
  std::map<std::string, nlohmann::json> nodes_;  // fullPath -> node with definition
};

}  // namespace charchive::testing
