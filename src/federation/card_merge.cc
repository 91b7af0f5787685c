#include "federation/card_merge.h"

#include <set>
#include <vector>

#include "card/canonical_json.h"
#include "card/content_hash.h"
#include "card/json_fields.h"
#include "federation/errors.h"
#include "sync/merge.h"

namespace charchive::federation {
namespace {

constexpr size_t kMaxLineDiffCells = 4'000'000;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

bool Same(const Json& a, const Json& b) { return CanonicalJson(a) == CanonicalJson(b); }

Json Field(const Json& data, const std::string& key) {
  auto it = data.find(key);
  return it == data.end() ? Json(nullptr) : *it;
}

// A lorebook entry's identity: its id, else its sorted keys and name.
std::string EntryKey(const Json& entry) {
  if (!entry.is_object()) return "?";
  if (entry.contains("id") && !entry["id"].is_null()) return "id:" + entry["id"].dump();
  std::set<std::string> keys;
  if (entry.contains("keys") && entry["keys"].is_array()) {
    for (const auto& k : entry["keys"]) keys.insert(k.is_string() ? k.get<std::string>() : k.dump());
  }
  std::string out = "keys:";
  for (const auto& k : keys) out += k + "\x1f";
  const std::string* name = FindString(entry, "name");
  return out + "name:" + (name ? *name : "");
}

// Entries by identity, in order of first appearance.
std::vector<std::pair<std::string, Json>> Entries(const Json& book) {
  std::vector<std::pair<std::string, Json>> out;
  if (!book.is_object() || !book.contains("entries") || !book["entries"].is_array()) return out;
  for (const auto& e : book["entries"]) out.emplace_back(EntryKey(e), e);
  return out;
}

const Json* Find(const std::vector<std::pair<std::string, Json>>& entries, const std::string& key) {
  for (const auto& [k, e] : entries) {
    if (k == key) return &e;
  }
  return nullptr;
}

// Union of keys, local's order first.
std::vector<std::string> Keys(std::initializer_list<const std::vector<std::pair<std::string, Json>>*> lists) {
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (const auto* list : lists) {
    for (const auto& [k, e] : *list) {
      if (seen.insert(k).second) keys.push_back(k);
    }
  }
  return keys;
}

std::vector<std::string> FieldNames(const Json& base, const Json& local, const Json& remote) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const Json* data : {&local, &remote, &base}) {
    if (!data->is_object()) continue;
    for (const auto& [k, v] : data->items()) {
      if (seen.insert(k).second) names.push_back(k);
    }
  }
  return names;
}

Json NullOr(const Json* value) { return value ? *value : Json(nullptr); }

// One changed/unchanged comparison, shared by fields and lorebook entries.
struct ThreeWay {
  Json base, local, remote;
  bool known_base;
  bool local_changed() const { return !known_base || !Same(local, base); }
  bool remote_changed() const { return !known_base || !Same(remote, base); }
  bool conflict() const { return !Same(local, remote) && local_changed() && remote_changed(); }
};

Json DiffJson(const std::string& name, const ThreeWay& t) {
  Json item{{"field", name},
            {"base", t.base},
            {"local", t.local},
            {"remote", t.remote},
            {"local_changed", t.local_changed()},
            {"remote_changed", t.remote_changed()},
            {"conflict", t.conflict()}};
  if (t.local.is_string() && t.remote.is_string()) {
    std::string base = t.base.is_string() ? t.base.get<std::string>() : "";
    item["local_lines"] = LineDiff(base, t.local.get<std::string>());
    item["remote_lines"] = LineDiff(base, t.remote.get<std::string>());
  }
  return item;
}

Json EntryDiffs(const Json& base_book, const Json& local_book, const Json& remote_book, bool known_base) {
  auto base = Entries(base_book), local = Entries(local_book), remote = Entries(remote_book);
  Json out = Json::array();
  for (const auto& key : Keys({&local, &remote, &base})) {
    ThreeWay t{NullOr(Find(base, key)), NullOr(Find(local, key)), NullOr(Find(remote, key)), known_base};
    if (Same(t.local, t.remote) && (!known_base || Same(t.local, t.base))) continue;
    Json d = DiffJson(key, t);
    d.erase("field");
    d["entry"] = key;
    out.push_back(std::move(d));
  }
  return out;
}

// Per-entry merge of two lorebooks: the book's other keys from local; each
// entry from the side that changed it.
Result<Json> MergeBooks(const Json& base_book, const Json& local_book, const Json& remote_book, bool known_base) {
  auto base = Entries(base_book), local = Entries(local_book), remote = Entries(remote_book);
  Json merged = local_book.is_object() ? local_book : remote_book;
  Json entries = Json::array();
  for (const auto& key : Keys({&local, &remote, &base})) {
    ThreeWay t{NullOr(Find(base, key)), NullOr(Find(local, key)), NullOr(Find(remote, key)), known_base};
    if (t.conflict()) {
      return Status::Invalid(federation_error::kMergeConflict,
                             "lorebook entry " + key + " changed on both sides: choose character_book local or remote");
    }
    const Json& chosen = t.local_changed() ? t.local : t.remote;
    if (!chosen.is_null()) entries.push_back(chosen);
  }
  merged["entries"] = std::move(entries);
  return merged;
}

}  // namespace

Json LineDiff(const std::string& before, const std::string& after) {
  std::vector<std::string> a = Lines(before), b = Lines(after);
  Json out = Json::array();
  if (a.size() * b.size() > kMaxLineDiffCells) {
    // Too large for an exact diff: the whole text replaced.
    for (const auto& l : a) out.push_back({{"op", "-"}, {"text", l}});
    for (const auto& l : b) out.push_back({{"op", "+"}, {"text", l}});
    return out;
  }
  // Longest common subsequence, by suffix lengths.
  std::vector<std::vector<uint32_t>> lcs(a.size() + 1, std::vector<uint32_t>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;) {
    for (size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      out.push_back({{"op", " "}, {"text", a[i]}});
      ++i, ++j;
    } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push_back({{"op", "-"}, {"text", a[i++]}});
    } else {
      out.push_back({{"op", "+"}, {"text", b[j++]}});
    }
  }
  return out;
}

Json DiffContents(const std::optional<Card>& base_card, const Card& local_card, const Card& remote_card) {
  Json base = base_card ? ContentProjection(*base_card) : Json(nullptr);
  Json local = ContentProjection(local_card), remote = ContentProjection(remote_card);
  Json fields = Json::array();
  for (const auto& name : FieldNames(base, local, remote)) {
    ThreeWay t{Field(base, name), Field(local, name), Field(remote, name), base_card.has_value()};
    if (Same(t.local, t.remote) && (!t.known_base || Same(t.local, t.base))) continue;
    Json item = DiffJson(name, t);
    if (name == "character_book") item["entries"] = EntryDiffs(t.base, t.local, t.remote, t.known_base);
    fields.push_back(std::move(item));
  }
  return fields;
}

namespace {

const char* ItemKindName(sync::ItemKind kind) {
  switch (kind) {
    case sync::ItemKind::kField:
      return "field";
    case sync::ItemKind::kExtension:
      return "extension";
    case sync::ItemKind::kLorebookField:
      return "lorebook_field";
    case sync::ItemKind::kEntry:
      return "entry";
    case sync::ItemKind::kEntryField:
      return "entry_field";
    case sync::ItemKind::kEntryOrder:
      return "entry_order";
    case sync::ItemKind::kGreeting:
      return "greeting";
  }
  return "?";
}

// The top-level field of V3 `data` an item belongs to.
std::string TopField(const sync::ItemPath& path) {
  switch (path.kind) {
    case sync::ItemKind::kField:
    case sync::ItemKind::kGreeting:
      return path.key;
    case sync::ItemKind::kExtension:
      return "extensions";
    default:
      return "character_book";
  }
}

Json ValueOrNull(const std::optional<Json>& value) { return value ? *value : Json(nullptr); }

}  // namespace

Json DiffItems(const sync::Reconciliation& reconciliation) {
  Json out = Json::array();
  for (const sync::Item& item : reconciliation.items) {
    if (item.decision == sync::Decision::kUnchanged) continue;
    const sync::ItemValues& v = item.values;
    Json row{{"item", item.path.ToString()},      {"kind", ItemKindName(item.path.kind)},
             {"field", TopField(item.path)},      {"decision", sync::DecisionName(item.decision)},
             {"base", ValueOrNull(v.local_base)}, {"local", ValueOrNull(v.local)},
             {"remote", ValueOrNull(v.remote)},   {"remote_base", ValueOrNull(v.remote_base)}};
    if (!item.path.entry.empty()) row["entry"] = item.path.entry;
    const bool text = (!v.local || v.local->is_string()) && (!v.remote || v.remote->is_string()) &&
                      (v.local || v.remote) && (!v.local_base || v.local_base->is_string());
    if (text) {
      const std::string base = v.local_base ? v.local_base->get<std::string>() : "";
      row["local_lines"] = LineDiff(base, v.local ? v.local->get<std::string>() : "");
      row["remote_lines"] = LineDiff(base, v.remote ? v.remote->get<std::string>() : "");
    }
    out.push_back(std::move(row));
  }
  return out;
}

Result<Json> MergeItems(const sync::Reconciliation& reconciliation, const Json& choices) {
  if (!choices.is_object()) return Status::Invalid(federation_error::kBadField, "items must be an object");
  sync::Choices chosen;
  for (const auto& [name, choice] : choices.items()) {
    const sync::Item* found = nullptr;
    for (const sync::Item& item : reconciliation.items) {
      if (item.path.ToString() == name) found = &item;
    }
    if (found == nullptr) return Status::Invalid(federation_error::kBadField, "no item '" + name + "' in the diff");
    if (choice == "local") {
      chosen[found->path] = sync::Choice::Local();
    } else if (choice == "remote") {
      chosen[found->path] = sync::Choice::Remote();
    } else {
      return Status::Invalid(federation_error::kBadField, "item '" + name + "': choose \"local\" or \"remote\"");
    }
  }
  CHARCHIVE_ASSIGN_OR_RETURN(sync::MergedSides merged, sync::Merge(reconciliation, chosen));
  return std::move(merged.local);
}

Result<Json> MergeContents(const std::optional<Card>& base_card, const Card& local_card, const Card& remote_card,
                           const Json& choices) {
  if (!choices.is_null() && !choices.is_object())
    return Status::Invalid(federation_error::kBadField, "fields must be an object");
  Json base = base_card ? ContentProjection(*base_card) : Json(nullptr);
  Json local = ContentProjection(local_card), remote = ContentProjection(remote_card);
  Json local_data = local_card.V3Data(), remote_data = remote_card.V3Data();
  std::vector<std::string> names = FieldNames(base, local, remote);
  std::set<std::string> known(names.begin(), names.end());
  for (const Json* data : {&local_data, &remote_data}) {
    for (const auto& [k, v] : data->items()) known.insert(k);
  }
  if (choices.is_object()) {
    for (const auto& [field, choice] : choices.items()) {
      if (!known.count(field))
        return Status::Invalid(federation_error::kBadField, "no field '" + field + "' in either card");
    }
  }
  Json merged = local_data;
  for (const auto& name : names) {
    ThreeWay t{Field(base, name), Field(local, name), Field(remote, name), base_card.has_value()};
    const Json* choice = choices.is_object() && choices.contains(name) ? &choices[name] : nullptr;
    if (choice != nullptr && *choice == "local") continue;
    if (choice != nullptr && *choice == "remote") {
      if (remote_data.contains(name)) {
        merged[name] = remote_data[name];
      } else {
        merged.erase(name);
      }
      continue;
    }
    if (choice != nullptr) {
      merged[name] = *choice;
      continue;
    }
    if (Same(t.local, t.remote) || !t.remote_changed()) continue;
    if (!t.local_changed()) {
      merged[name] = remote_data.contains(name) ? remote_data[name] : t.remote;
      continue;
    }
    if (name == "character_book") {
      CHARCHIVE_ASSIGN_OR_RETURN(Json book,
                                 MergeBooks(t.base, Field(local_data, name), Field(remote_data, name), t.known_base));
      merged[name] = std::move(book);
      continue;
    }
    return Status::Invalid(federation_error::kMergeConflict,
                           "field '" + name + "' changed on both sides: choose \"local\", \"remote\" or a value");
  }
  // Literal choices for fields neither projection lists (e.g. new keys).
  if (choices.is_object()) {
    for (const auto& [field, choice] : choices.items()) {
      if (std::find(names.begin(), names.end(), field) != names.end()) continue;
      if (choice == "remote") {
        if (remote_data.contains(field)) merged[field] = remote_data[field];
      } else if (choice != "local") {
        merged[field] = choice;
      }
    }
  }
  return merged;
}

}  // namespace charchive::federation
