// FakeCharacterTavern: Character Tavern's API on loopback, in the shapes of
// docs/peers.md "Character Tavern": GET /api/search/cards
// (`limit`, `page`) -> {hits, totalHits, totalPages}, newest first;
// GET /api/character/{author}/{slug} (lower-cased, spaces as '_') ->
// {card: {..., definition_*}}; by card id /tags, /alternative-greetings,
// /content-warnings and /lorebook; the image (without a card) at
// /{author}/{slug}.png. Hits carry lastUpdateAt in epoch milliseconds (0 when
// never updated), the detail lastUpdatedAt as ISO text, as the real hub does.
// Control (FakeHubServer): POST /_control/cards with {path, name?, tags?,
// greetings?, lorebook?, isNSFW?, totalTokens?, definition_*?} adds a card or,
// for a known path, merges the fields and moves lastUpdateAt to now.
//
// Thread safety: all methods may be called while the server runs.
#pragma once

#include <map>

#include "tests/fakes/fake_hub_server.h"

namespace charchive::testing {

class FakeCharacterTavern : public FakeHubServer {
 public:
  explicit FakeCharacterTavern(int port = 0);
  ~FakeCharacterTavern() override { StopServing(); }

  nlohmann::json PutCard(const nlohmann::json& card) override;

 private:
  void Routes();
  int64_t next_id_ = 7000;
  std::map<int64_t, nlohmann::json> cards_;  // id -> the stored card with tags, greetings, lorebook
};

}  // namespace charchive::testing
