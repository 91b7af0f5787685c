// Test helper for the sync core's tests: a V3 card with every kind of item
// (text fields, extensions, a lorebook with two entries, both greeting lists),
// and small accessors. Header-only.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "card/card.h"

namespace charchive::sync::testing {

inline Json MakeData() {
  return Json{
      {"name", "Who? Test"},
      {"description", "A quiet librarian."},
      {"personality", "curious"},
      {"scenario", "a library at night"},
      {"first_mes", "Hello."},
      {"mes_example", ""},
      {"creator_notes", "notes"},
      {"system_prompt", ""},
      {"post_history_instructions", ""},
      {"alternate_greetings", {"Hi again.", "Welcome back.", "Late, aren't you?"}},
      {"group_only_greetings", {"Hello, all."}},
      {"tags", {"fantasy"}},
      {"creator", "tester"},
      {"character_version", "1.0"},
      {"extensions", {{"my_app/x", {{"keep", true}}}, {"depth_prompt", {{"prompt", "Be kind."}, {"depth", 4}}}}},
      {"character_book",
       {{"name", "Lore"},
        {"extensions", Json::object()},
        {"entries",
         {{{"id", 1},
           {"keys", {"library"}},
           {"content", "The library never closes."},
           {"enabled", true},
           {"insertion_order", 100},
           {"position", ""},
           {"probability", 100},
           {"selectiveLogic", 0},
           {"use_regex", false},
           {"extensions", Json::object()}},
          {{"id", 2},
           {"keys", {"lamp"}},
           {"content", "The lamp is green."},
           {"enabled", true},
           {"insertion_order", 90},
           {"position", ""},
           {"probability", 100},
           {"selectiveLogic", 0},
           {"use_regex", false},
           {"extensions", Json::object()}}}}}}};
}

inline Card CardOf(const Json& data) {
  auto card = Card::FromDocument(Json{{"spec", "chara_card_v3"}, {"spec_version", "3.0"}, {"data", data}});
  EXPECT_TRUE(card.ok()) << card.status().ToString();
  return card.ok() ? *card : Card();
}

// The lorebook entry with this id.
inline Json& EntryWithId(Json& data, int id) {
  for (auto& e : data["character_book"]["entries"]) {
    if (e["id"] == id) return e;
  }
  ADD_FAILURE() << "no entry " << id;
  static Json none;
  return none;
}

}  // namespace charchive::sync::testing
