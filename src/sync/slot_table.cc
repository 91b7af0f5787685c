#include "sync/slot_table.h"

#include <algorithm>

namespace charchive::sync {
namespace {

const Json& ListOrEmpty(const Json* list) {
  static const Json kEmpty = Json::array();
  return list != nullptr && list->is_array() ? *list : kEmpty;
}

}  // namespace

bool Slot::InAll() const {
  return std::all_of(index.begin(), index.end(), [](const auto& i) { return i.has_value(); });
}

std::vector<size_t> SlotTable::Order(Doc doc) const {
  std::vector<std::pair<size_t, size_t>> held;  // (index in doc, slot)
  for (size_t s = 0; s < slots.size(); ++s) {
    if (slots[s].In(doc)) held.emplace_back(*slots[s].index[doc], s);
  }
  std::sort(held.begin(), held.end());
  std::vector<size_t> order;
  for (const auto& [index, slot] : held) order.push_back(slot);
  return order;
}

SlotTable LineUp(const std::array<const Json*, kDocCount>& lists, const ListMatcher& pair, const ListMatcher& same) {
  SlotTable table;
  auto add_slot = [&](Doc doc, size_t index) {
    Slot slot;
    slot.index[doc] = index;
    table.slots.push_back(slot);
    return table.slots.size() - 1;
  };
  const Json& local_base = ListOrEmpty(lists[kLocalBase]);
  const Json& remote_base = ListOrEmpty(lists[kRemoteBase]);
  std::vector<size_t> slot_of_local_base, slot_of_remote_base;
  for (size_t i = 0; i < local_base.size(); ++i) slot_of_local_base.push_back(add_slot(kLocalBase, i));

  std::vector<std::optional<size_t>> bases = pair(local_base, remote_base);
  for (size_t j = 0; j < remote_base.size(); ++j) {
    if (bases[j]) {
      size_t s = slot_of_local_base[*bases[j]];
      table.slots[s].index[kRemoteBase] = j;
      slot_of_remote_base.push_back(s);
    } else {
      slot_of_remote_base.push_back(add_slot(kRemoteBase, j));
    }
  }

  // Each side's copy now against its own base; what is left was added.
  auto match_side = [&](Doc base_doc, Doc now_doc, const std::vector<size_t>& slot_of_base) {
    const Json& now = ListOrEmpty(lists[now_doc]);
    std::vector<std::optional<size_t>> matched = pair(ListOrEmpty(lists[base_doc]), now);
    std::vector<size_t> added;
    for (size_t j = 0; j < now.size(); ++j) {
      if (matched[j]) {
        table.slots[slot_of_base[*matched[j]]].index[now_doc] = j;
      } else {
        added.push_back(j);
      }
    }
    return added;
  };
  std::vector<size_t> local_added = match_side(kLocalBase, kLocal, slot_of_local_base);
  std::vector<size_t> remote_added = match_side(kRemoteBase, kRemote, slot_of_remote_base);

  // What both sides added alike is one slot.
  Json local_new = Json::array(), remote_new = Json::array();
  for (size_t j : local_added) local_new.push_back(ListOrEmpty(lists[kLocal])[j]);
  for (size_t j : remote_added) remote_new.push_back(ListOrEmpty(lists[kRemote])[j]);
  std::vector<size_t> slot_of_local_new;
  for (size_t j : local_added) slot_of_local_new.push_back(add_slot(kLocal, j));
  std::vector<std::optional<size_t>> both = same(local_new, remote_new);
  for (size_t k = 0; k < remote_added.size(); ++k) {
    if (both[k]) {
      table.slots[slot_of_local_new[*both[k]]].index[kRemote] = remote_added[k];
    } else {
      add_slot(kRemote, remote_added[k]);
    }
  }
  return table;
}

std::vector<size_t> MergeOrder(const std::vector<size_t>& primary, const std::vector<size_t>& secondary,
                               const std::vector<bool>& present) {
  std::vector<size_t> order;
  std::vector<bool> placed(present.size(), false);
  for (size_t s : primary) {
    if (s < present.size() && present[s] && !placed[s]) {
      order.push_back(s);
      placed[s] = true;
    }
  }
  std::vector<bool> in_secondary(present.size(), false);
  for (size_t s : secondary) {
    if (s < present.size()) in_secondary[s] = true;
  }
  for (size_t k = 0; k < secondary.size(); ++k) {
    size_t s = secondary[k];
    if (s >= present.size() || !present[s] || placed[s]) continue;
    auto at = order.begin();
    for (size_t p = k; p-- > 0;) {
      auto found = std::find(order.begin(), order.end(), secondary[p]);
      if (found != order.end()) {
        at = found + 1;
        break;
      }
    }
    while (at != order.end() && !in_secondary[*at]) ++at;
    order.insert(at, s);
    placed[s] = true;
  }
  for (size_t s = 0; s < present.size(); ++s) {
    if (present[s] && !placed[s]) order.push_back(s);
  }
  return order;
}

}  // namespace charchive::sync
