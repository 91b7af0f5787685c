#include "sync/entry_matching.h"

#include <gtest/gtest.h>

namespace charchive::sync {
namespace {

using Matches = std::vector<std::optional<size_t>>;

Json Entry(std::optional<int> id, Json keys, const std::string& name = "") {
  Json e = {{"keys", std::move(keys)}, {"content", "c"}};
  if (id) e["id"] = *id;
  if (!name.empty()) e["name"] = name;
  return e;
}

TEST(MatchEntries, ByIdThenByKeysAndName) {
  Json from = {Entry(1, {"a"}), Entry(2, {"b"}), Entry(std::nullopt, {"y", "x"}, "n")};
  // Reordered, keys edited (id still matches), keys reordered (set equal).
  Json to = {Entry(std::nullopt, {"x", "y"}, "n"), Entry(2, {"b", "c"}), Entry(1, {"a"})};
  EXPECT_EQ(MatchEntries(from, to), (Matches{2, 1, 0}));
  // Different ids are different entries, even with the same keys.
  EXPECT_EQ(MatchEntries(Json({Entry(1, {"a"})}), Json({Entry(5, {"a"})})), (Matches{std::nullopt}));
  // An entry that lost its id on one side matches by keys and name.
  EXPECT_EQ(MatchEntries(Json({Entry(1, {"a"})}), Json({Entry(std::nullopt, {"a"})})), (Matches{0}));
  // A different name is a different entry.
  EXPECT_EQ(MatchEntries(Json({Entry(std::nullopt, {"a"}, "one")}), Json({Entry(std::nullopt, {"a"}, "two")})),
            (Matches{std::nullopt}));
}

TEST(MatchAddedEntries, SameIdIsNotEnough) {
  EXPECT_EQ(MatchAddedEntries(Json({Entry(3, {"door"})}), Json({Entry(3, {"window"})})), (Matches{std::nullopt}));
  EXPECT_EQ(MatchAddedEntries(Json({Entry(3, {"door"})}), Json({Entry(3, {"door"})})), (Matches{0}));
}

TEST(EntryIdentity, IdElseKeysAndName) {
  EXPECT_EQ(EntryIdentity(Entry(7, {"a"})), "id:7");
  EXPECT_EQ(EntryIdentity(Entry(std::nullopt, {"b", "a"}, "Lamp")), "keys:a,b;name:Lamp");
}

}  // namespace
}  // namespace charchive::sync
