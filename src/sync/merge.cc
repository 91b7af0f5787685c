#include "sync/merge.h"

#include "card/canonical_json.h"
#include "card/content_projection.h"

namespace charchive::sync {
namespace {

// Whose value an item ends with on both sides; kOwn: each side keeps its own.
enum class Winner { kOwn, kLocal, kRemote, kValue };

struct Resolved {
  const Item* item;
  Winner winner;
  const Json* value;  // kValue only
};

const Json* ObjectMember(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_object() ? &*it : nullptr;
}

const Json* ArrayMember(const Json* obj, const std::string& key) {
  if (obj == nullptr) return nullptr;
  auto it = obj->find(key);
  return it != obj->end() && it->is_array() ? &*it : nullptr;
}

std::optional<Json> Member(const Json* obj, const std::string& key) {
  if (obj == nullptr || !obj->is_object()) return std::nullopt;
  auto it = obj->find(key);
  return it != obj->end() ? std::optional<Json>(*it) : std::nullopt;
}

std::optional<Json> Element(const Json* list, const Slot& slot, Doc doc) {
  if (list == nullptr || !slot.In(doc) || *slot.index[doc] >= list->size()) return std::nullopt;
  return (*list)[*slot.index[doc]];
}

Json& ObjectAt(Json& data, const char* key) {
  Json& v = data[key];
  if (!v.is_object()) v = Json::object();
  return v;
}

void SetOrErase(Json& obj, const std::string& key, const std::optional<Json>& value) {
  if (value) {
    obj[key] = *value;
  } else if (obj.is_object()) {
    obj.erase(key);
  }
}

Status CheckChoice(const Reconciliation& r, const ItemPath& path, const Choice& choice) {
  const Item* item = r.Find(path);
  if (item == nullptr) return Status::Invalid("bad_field", "no item '" + path.ToString() + "' in this card");
  if (choice.kind != ChoiceKind::kValue) return Status::Ok();
  const Json& v = choice.value;
  if (path.kind == ItemKind::kEntryOrder) {
    return Status::Invalid("bad_field", path.ToString() + " takes \"local\" or \"remote\", not a value");
  }
  if (path.kind == ItemKind::kEntry && !v.is_object() && !v.is_null()) {
    return Status::Invalid("bad_field", path.ToString() + " must be an entry object or null");
  }
  if (path.kind == ItemKind::kGreeting && !v.is_string() && !v.is_null()) {
    return Status::Invalid("bad_field", path.ToString() + " must be a string or null");
  }
  return Status::Ok();
}

Result<std::vector<Resolved>> Resolve(const Reconciliation& r, const Choices& choices) {
  for (const auto& [path, choice] : choices) CHARCHIVE_RETURN_IF_ERROR(CheckChoice(r, path, choice));
  std::vector<Resolved> resolved;
  std::string unresolved;
  for (const Item& item : r.items) {
    auto choice = choices.find(item.path);
    if (choice != choices.end()) {
      const Choice& c = choice->second;
      Winner w = c.kind == ChoiceKind::kLocal    ? Winner::kLocal
                 : c.kind == ChoiceKind::kRemote ? Winner::kRemote
                                                 : Winner::kValue;
      resolved.push_back({&item, w, &c.value});
      continue;
    }
    switch (item.decision) {
      case Decision::kUnchanged:
      case Decision::kConverged:
        resolved.push_back({&item, Winner::kOwn, nullptr});
        break;
      case Decision::kTakeLocal:
        resolved.push_back({&item, Winner::kLocal, nullptr});
        break;
      case Decision::kTakeRemote:
        resolved.push_back({&item, Winner::kRemote, nullptr});
        break;
      case Decision::kConflict:
        unresolved += (unresolved.empty() ? "" : ", ") + item.path.ToString();
        break;
    }
  }
  if (!unresolved.empty()) {
    return Status::Invalid("merge_conflict", "changed on both sides: " + unresolved +
                                                 "; choose \"local\", \"remote\" or a value for each");
  }
  return resolved;
}

// One side's new content: its own copy now, with what the other side or the
// caller's values bring.
class SideBuilder {
 public:
  SideBuilder(const Reconciliation& r, const std::vector<Resolved>& resolved, Doc own)
      : r_(r),
        resolved_(resolved),
        own_(own),
        other_(own == kLocal ? kRemote : kLocal),
        other_data_(own == kLocal ? r.remote_data : r.local_data),
        data_(own == kLocal ? r.local_data : r.remote_data) {}

  Json Build() {
    for (const Resolved& res : resolved_) {
      if (!Writes(res)) continue;
      const ItemPath& path = res.item->path;
      switch (path.kind) {
        case ItemKind::kField:
          SetOrErase(data_, path.key, Source(res, Member(&other_data_, path.key)));
          break;
        case ItemKind::kExtension:
          WriteIn("extensions", path.key, res);
          break;
        case ItemKind::kLorebookField:
          WriteIn("character_book", path.key, res);
          book_written_ = true;
          break;
        default:
          break;  // entries, their order and greetings are rebuilt as lists below
      }
    }
    RebuildEntries();
    for (const auto& [list, table] : r_.greetings) RebuildGreetings(list, table);
    if (book_written_) DropEmptyBook();
    return std::move(data_);
  }

 private:
  bool Writes(const Resolved& res) const {
    return res.winner == Winner::kValue || (res.winner == Winner::kLocal && own_ == kRemote) ||
           (res.winner == Winner::kRemote && own_ == kLocal);
  }

  // The value this side ends with: the caller's, or the other side's.
  static std::optional<Json> Source(const Resolved& res, std::optional<Json> other_value) {
    if (res.winner != Winner::kValue) return other_value;
    return res.value->is_null() ? std::nullopt : std::optional<Json>(*res.value);
  }

  void WriteIn(const char* object, const std::string& key, const Resolved& res) {
    std::optional<Json> value = Source(res, Member(ObjectMember(other_data_, object), key));
    if (value) {
      ObjectAt(data_, object)[key] = std::move(*value);
    } else if (auto it = data_.find(object); it != data_.end() && it->is_object()) {
      it->erase(key);
    }
  }

  static const Json* EntryList(const Json& data) {
    return ArrayMember(ObjectMember(data, "character_book"), "entries");
  }

  void RebuildEntries() {
    const SlotTable& table = r_.entries;
    std::map<std::string, size_t> slot_of;
    for (size_t s = 0; s < r_.entry_ids.size(); ++s) slot_of[r_.entry_ids[s]] = s;
    const Json* own_list = EntryList(data_);
    const Json* other_list = EntryList(other_data_);
    std::vector<std::optional<Json>> element(table.slots.size());
    for (size_t s = 0; s < table.slots.size(); ++s) element[s] = Element(own_list, table.slots[s], own_);
    bool changed = false, order_from_other = false;
    for (const Resolved& res : resolved_) {
      const ItemPath& path = res.item->path;
      if (!Writes(res)) continue;
      if (path.kind == ItemKind::kEntryOrder) {
        order_from_other = changed = true;
      } else if (path.kind == ItemKind::kEntry) {
        size_t s = slot_of.at(path.entry);
        element[s] = Source(res, Element(other_list, table.slots[s], other_));
        changed = true;
      } else if (path.kind == ItemKind::kEntryField) {
        size_t s = slot_of.at(path.entry);
        std::optional<Json> other_entry = Element(other_list, table.slots[s], other_);
        if (element[s] && element[s]->is_object()) {
          SetOrErase(*element[s], path.key, Source(res, Member(other_entry ? &*other_entry : nullptr, path.key)));
        }
        changed = true;
      }
    }
    if (!changed) return;
    std::vector<bool> present;
    for (const auto& e : element) present.push_back(e.has_value());
    std::vector<size_t> own_order = table.Order(own_), other_order = table.Order(other_);
    Json entries = Json::array();
    for (size_t s :
         order_from_other ? MergeOrder(other_order, own_order, present) : MergeOrder(own_order, other_order, present)) {
      entries.push_back(std::move(*element[s]));
    }
    ObjectAt(data_, "character_book")["entries"] = std::move(entries);
    book_written_ = true;
  }

  void RebuildGreetings(const std::string& list, const SlotTable& table) {
    const Json* own_list = ArrayMember(&data_, list);
    const Json* other_list = ArrayMember(&other_data_, list);
    std::vector<std::optional<Json>> element(table.slots.size());
    for (size_t s = 0; s < table.slots.size(); ++s) element[s] = Element(own_list, table.slots[s], own_);
    bool changed = false;
    for (const Resolved& res : resolved_) {
      const ItemPath& path = res.item->path;
      if (path.kind != ItemKind::kGreeting || path.key != list || !Writes(res)) continue;
      element[path.slot] = Source(res, Element(other_list, table.slots[path.slot], other_));
      changed = true;
    }
    if (!changed) return;
    std::vector<bool> present;
    for (const auto& e : element) present.push_back(e.has_value());
    Json greetings = Json::array();
    // Both sides get one order: greetings do not move (a move is a removal and
    // an addition), so only where additions go differs, local's first.
    for (size_t s : MergeOrder(table.Order(kLocal), table.Order(kRemote), present)) {
      greetings.push_back(std::move(*element[s]));
    }
    data_[list] = std::move(greetings);
  }

  // A lorebook the merge emptied is no lorebook (content-hash.md).
  void DropEmptyBook() {
    auto book = data_.find("character_book");
    if (book == data_.end() || !book->is_object()) return;
    for (const auto& [key, value] : book->items()) {
      if (key != "entries" || !value.is_array() || !value.empty()) return;
    }
    data_.erase(book);
  }

  const Reconciliation& r_;
  const std::vector<Resolved>& resolved_;
  Doc own_, other_;
  const Json& other_data_;
  Json data_;
  bool book_written_ = false;
};

bool SameContent(const Json& a, const Json& b) {
  return CanonicalJson(ProjectV3Data(a)) == CanonicalJson(ProjectV3Data(b));
}

}  // namespace

Result<MergedSides> Merge(const Reconciliation& r, const Choices& choices) {
  CHARCHIVE_ASSIGN_OR_RETURN(std::vector<Resolved> resolved, Resolve(r, choices));
  MergedSides out;
  out.local = SideBuilder(r, resolved, kLocal).Build();
  out.remote = SideBuilder(r, resolved, kRemote).Build();
  out.local_changed = !SameContent(out.local, r.local_data);
  out.remote_changed = !SameContent(out.remote, r.remote_data);
  return out;
}

}  // namespace charchive::sync
