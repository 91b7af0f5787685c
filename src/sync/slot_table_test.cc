#include "sync/slot_table.h"

#include <gtest/gtest.h>

#include "sync/greeting_alignment.h"

namespace charchive::sync {
namespace {

TEST(LineUp, FourListsIntoSlots) {
  Json local_base = {"a", "b"}, local = {"a", "B", "new"}, remote_base = {"peer's", "a", "b"}, remote = {"b", "new"};
  SlotTable t = LineUp({&local_base, &local, &remote_base, &remote}, AlignGreetings, MatchEqualGreetings);
  ASSERT_EQ(t.slots.size(), 4u);
  // "a": removed on the remote side.
  EXPECT_EQ(t.slots[0].index, (std::array<std::optional<size_t>, 4>{0, 0, 1, std::nullopt}));
  // "b": edited locally.
  EXPECT_EQ(t.slots[1].index, (std::array<std::optional<size_t>, 4>{1, 1, 2, 0}));
  // Only in the remote base, removed since.
  EXPECT_EQ(t.slots[2].index, (std::array<std::optional<size_t>, 4>{std::nullopt, std::nullopt, 0, std::nullopt}));
  // Added alike on both sides.
  EXPECT_EQ(t.slots[3].index, (std::array<std::optional<size_t>, 4>{std::nullopt, 2, std::nullopt, 1}));
  EXPECT_EQ(t.Order(kRemote), (std::vector<size_t>{1, 3}));
  EXPECT_TRUE(t.slots[1].InAll());
  EXPECT_FALSE(t.slots[0].InAll());
}

TEST(MergeOrder, AdditionsAfterTheirPredecessor) {
  std::vector<bool> all(5, true);
  // 3 is primary's addition, 4 secondary's, both after 1.
  EXPECT_EQ(MergeOrder({0, 1, 3, 2}, {0, 1, 4, 2}, all), (std::vector<size_t>{0, 1, 3, 4, 2}));
  // Secondary's addition at the start.
  EXPECT_EQ(MergeOrder({0, 1, 2, 3}, {4, 0}, all), (std::vector<size_t>{4, 0, 1, 2, 3}));
  // Absent slots are left out; in a gap, primary's own slots come first;
  // present slots in neither order go last.
  std::vector<bool> some = {true, false, true, true, false};
  EXPECT_EQ(MergeOrder({0, 1}, {2}, some), (std::vector<size_t>{0, 2, 3}));
  EXPECT_EQ(MergeOrder({1, 0}, {2, 1}, {true, true, true}), (std::vector<size_t>{2, 1, 0}));
}

}  // namespace
}  // namespace charchive::sync
