#include "sync/reconciliation.h"

#include <array>
#include <set>

#include "card/content_projection.h"
#include "sync/entry_matching.h"
#include "sync/greeting_alignment.h"

namespace charchive::sync {
namespace {

constexpr const char* kGreetingLists[] = {"alternate_greetings", "group_only_greetings"};
// Fields the core splits into smaller items.
constexpr const char* kSplitFields[] = {"extensions", "character_book", "alternate_greetings", "group_only_greetings"};
// The order keys are listed in: the local copy's first.
constexpr Doc kListingOrder[] = {kLocal, kRemote, kLocalBase, kRemoteBase};

using Docs = std::array<const Json*, kDocCount>;

const Json* ObjectMember(const Json* obj, const char* key) {
  if (obj == nullptr || !obj->is_object()) return nullptr;
  auto it = obj->find(key);
  return it != obj->end() && it->is_object() ? &*it : nullptr;
}

const Json* ArrayMember(const Json* obj, const char* key) {
  if (obj == nullptr || !obj->is_object()) return nullptr;
  auto it = obj->find(key);
  return it != obj->end() && it->is_array() ? &*it : nullptr;
}

std::optional<Json> Member(const Json* obj, const std::string& key) {
  if (obj == nullptr || !obj->is_object()) return std::nullopt;
  auto it = obj->find(key);
  return it != obj->end() ? std::optional<Json>(*it) : std::nullopt;
}

// Keys of the four objects, in listing order, without `skipped`.
std::vector<std::string> UnionKeys(const Docs& objects, const std::set<std::string>& skipped) {
  std::vector<std::string> keys;
  std::set<std::string> seen(skipped);
  for (Doc d : kListingOrder) {
    if (objects[d] == nullptr || !objects[d]->is_object()) continue;
    for (const auto& [key, value] : objects[d]->items()) {
      if (seen.insert(key).second) keys.push_back(key);
    }
  }
  return keys;
}

template <typename Get>
Docs Each(const Docs& docs, Get get) {
  Docs out{};
  for (size_t d = 0; d < kDocCount; ++d) out[d] = get(docs[d]);
  return out;
}

ItemValues ValuesOf(const Docs& objects, const std::string& key) {
  return {Member(objects[kLocalBase], key), Member(objects[kLocal], key), Member(objects[kRemoteBase], key),
          Member(objects[kRemote], key)};
}

void AddItem(Reconciliation& r, ItemPath path, ItemValues values) {
  Decision decision = Decide(values);
  r.items.push_back(Item{std::move(path), decision, std::move(values)});
}

void AddKeyItems(Reconciliation& r, const Docs& objects, const std::set<std::string>& skipped,
                 ItemPath (*make)(std::string)) {
  for (const auto& key : UnionKeys(objects, skipped)) AddItem(r, make(key), ValuesOf(objects, key));
}

std::optional<Json> Element(const Json* list, const Slot& slot, Doc d) {
  if (list == nullptr || !slot.In(d)) return std::nullopt;
  return (*list)[*slot.index[d]];
}

// Each entry slot's identity, from the first document that has it; a second
// entry with the same identity gets "#2", and so on.
std::vector<std::string> EntryIds(const SlotTable& table, const Docs& lists) {
  std::vector<std::string> ids;
  std::map<std::string, int> seen;
  for (const Slot& slot : table.slots) {
    std::string id;
    for (Doc d : {kLocalBase, kLocal, kRemoteBase, kRemote}) {
      if (slot.In(d)) {
        id = EntryIdentity((*lists[d])[*slot.index[d]]);
        break;
      }
    }
    int n = ++seen[id];
    ids.push_back(n == 1 ? id : id + "#" + std::to_string(n));
  }
  return ids;
}

void AddEntryItems(Reconciliation& r, const Docs& lists) {
  std::vector<size_t> everywhere;
  for (size_t s = 0; s < r.entries.slots.size(); ++s) {
    const Slot& slot = r.entries.slots[s];
    ItemValues whole{Element(lists[kLocalBase], slot, kLocalBase), Element(lists[kLocal], slot, kLocal),
                     Element(lists[kRemoteBase], slot, kRemoteBase), Element(lists[kRemote], slot, kRemote)};
    bool by_field = slot.InAll() && whole.local_base->is_object() && whole.local->is_object() &&
                    whole.remote_base->is_object() && whole.remote->is_object();
    if (!by_field) {
      AddItem(r, ItemPath::Entry(r.entry_ids[s]), std::move(whole));
      continue;
    }
    everywhere.push_back(s);
    Docs entries{&*whole.local_base, &*whole.local, &*whole.remote_base, &*whole.remote};
    for (const auto& key : UnionKeys(entries, {})) {
      AddItem(r, ItemPath::EntryField(r.entry_ids[s], key), ValuesOf(entries, key));
    }
  }
  if (everywhere.size() < 2) return;
  // The order of the entries every document has: a reorder on one side is
  // taken like any change.
  std::array<std::optional<Json>, kDocCount> orders;
  std::set<size_t> common(everywhere.begin(), everywhere.end());
  for (size_t d = 0; d < kDocCount; ++d) {
    Json order = Json::array();
    for (size_t s : r.entries.Order(static_cast<Doc>(d))) {
      if (common.count(s)) order.push_back(r.entry_ids[s]);
    }
    orders[d] = std::move(order);
  }
  AddItem(r, ItemPath::EntryOrder(), {orders[kLocalBase], orders[kLocal], orders[kRemoteBase], orders[kRemote]});
}

void AddGreetingItems(Reconciliation& r, const Docs& projected) {
  for (const char* list : kGreetingLists) {
    Docs lists = Each(projected, [&](const Json* data) { return ArrayMember(data, list); });
    SlotTable& table = r.greetings[list] = LineUp(lists, AlignGreetings, MatchEqualGreetings);
    for (size_t s = 0; s < table.slots.size(); ++s) {
      const Slot& slot = table.slots[s];
      AddItem(r, ItemPath::Greeting(list, s),
              {Element(lists[kLocalBase], slot, kLocalBase), Element(lists[kLocal], slot, kLocal),
               Element(lists[kRemoteBase], slot, kRemoteBase), Element(lists[kRemote], slot, kRemote)});
    }
  }
}

}  // namespace

const Item* Reconciliation::Find(const ItemPath& path) const {
  for (const Item& item : items) {
    if (item.path == path) return &item;
  }
  return nullptr;
}

std::vector<ItemPath> Reconciliation::Conflicts() const {
  std::vector<ItemPath> out;
  for (const Item& item : items) {
    if (item.decision == Decision::kConflict) out.push_back(item.path);
  }
  return out;
}

Reconciliation Reconcile(const std::optional<Card>& local_base, const Card& local,
                         const std::optional<Card>& remote_base, const Card& remote) {
  Reconciliation r;
  r.local_data = local.V3Data();
  r.remote_data = remote.V3Data();
  const std::optional<Card>& known_base = local_base ? local_base : remote_base;
  Json empty_base = Json::object();
  auto base_data = [&](const std::optional<Card>& base) {
    if (base) return base->V3Data();
    return known_base ? known_base->V3Data() : empty_base;
  };
  std::array<Json, kDocCount> projected = {ProjectV3Data(base_data(local_base)), ProjectV3Data(r.local_data),
                                           ProjectV3Data(base_data(remote_base)), ProjectV3Data(r.remote_data)};
  Docs data{&projected[0], &projected[1], &projected[2], &projected[3]};

  std::set<std::string> split(std::begin(kSplitFields), std::end(kSplitFields));
  AddKeyItems(r, data, split, &ItemPath::Field);
  AddKeyItems(r, Each(data, [](const Json* d) { return ObjectMember(d, "extensions"); }), {}, &ItemPath::Extension);
  Docs books = Each(data, [](const Json* d) { return ObjectMember(d, "character_book"); });
  AddKeyItems(r, books, {"entries"}, &ItemPath::LorebookField);
  Docs entry_lists = Each(books, [](const Json* book) { return ArrayMember(book, "entries"); });
  r.entries = LineUp(entry_lists, MatchEntries, MatchAddedEntries);
  r.entry_ids = EntryIds(r.entries, entry_lists);
  AddEntryItems(r, entry_lists);
  AddGreetingItems(r, data);

  std::vector<Decision> decisions;
  for (const Item& item : r.items) decisions.push_back(item.decision);
  r.outcome = OutcomeOf(decisions);
  return r;
}

}  // namespace charchive::sync
