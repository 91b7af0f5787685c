// SlotTable: the elements of one list (the lorebook entries, or one greeting
// list) across the four documents of a reconciliation, lined up so that one
// slot holds "the same element" in every document that has it. Each base is
// matched to its own side's copy now, the two bases to each other, and what
// both sides added to each other; an element matched nowhere gets a slot of its
// own (an addition). How elements match is the caller's: lorebook entries by
// identity (entry_matching.h), greetings by alignment (greeting_alignment.h).
//
// Pure functions and value types; safe from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "card/card.h"

namespace charchive::sync {

// The four documents of a reconciliation, as array indexes.
enum Doc : size_t { kLocalBase = 0, kLocal = 1, kRemoteBase = 2, kRemote = 3 };
constexpr size_t kDocCount = 4;

// For each element of `to`, the element of `from` it is, or nullopt. No
// element of `from` is given twice.
using ListMatcher = std::function<std::vector<std::optional<size_t>>(const Json& from, const Json& to)>;

struct Slot {
  // The element's index in each document's list; nullopt where it is absent.
  std::array<std::optional<size_t>, kDocCount> index;

  bool In(Doc doc) const { return index[doc].has_value(); }
  bool InAll() const;
};

struct SlotTable {
  // The local base's elements first, in order, then those only the remote
  // base has, the local side's additions, and the remote side's.
  std::vector<Slot> slots;

  // The slots document `doc` holds, in its order.
  std::vector<size_t> Order(Doc doc) const;
};

// Lines up four lists (JSON arrays; anything else counts as empty). `pair`
// matches a base to its copy now and the local base to the remote base;
// `same` matches what the local side added to what the remote side added.
SlotTable LineUp(const std::array<const Json*, kDocCount>& lists, const ListMatcher& pair, const ListMatcher& same);

// The slots in `present`, ordered as `primary` orders them; a slot `primary`
// lacks goes after its nearest predecessor in `secondary` (at the start if it
// has none) and after the slots that follow it there which `secondary` lacks:
// in a gap, primary's own additions come first. Slots in neither go last.
std::vector<size_t> MergeOrder(const std::vector<size_t>& primary, const std::vector<size_t>& secondary,
                               const std::vector<bool>& present);

}  // namespace charchive::sync
