#include "sync/entry_matching.h"

#include <algorithm>
#include <functional>

#include "card/canonical_json.h"

namespace charchive::sync {
namespace {

std::optional<std::string> IdOf(const Json& entry) {
  if (!entry.is_object()) return std::nullopt;
  auto id = entry.find("id");
  if (id == entry.end() || id->is_null()) return std::nullopt;
  return CanonicalJson(*id);
}

std::string KeysAndName(const Json& entry) {
  if (!entry.is_object()) return "?" + CanonicalJson(entry);
  std::vector<std::string> keys;
  auto k = entry.find("keys");
  if (k != entry.end() && k->is_array()) {
    for (const auto& key : *k) keys.push_back(key.is_string() ? key.get<std::string>() : CanonicalJson(key));
  }
  std::sort(keys.begin(), keys.end());
  std::string out = "keys:";
  for (size_t i = 0; i < keys.size(); ++i) out += (i ? "," : "") + keys[i];
  auto name = entry.find("name");
  return out + ";name:" + (name != entry.end() && name->is_string() ? name->get<std::string>() : "");
}

// What matching looks at in an entry, computed once per entry.
struct EntryKey {
  std::optional<std::string> id;
  std::string keys_and_name;
};

std::vector<EntryKey> KeysOf(const Json& list) {
  std::vector<EntryKey> out;
  if (!list.is_array()) return out;
  for (const auto& e : list) out.push_back({IdOf(e), KeysAndName(e)});
  return out;
}

using Rule = std::function<bool(const EntryKey& a, const EntryKey& b)>;

// Each pass matches what earlier passes left, first unmatched `from` first.
std::vector<std::optional<size_t>> Match(const Json& from_list, const Json& to_list, const std::vector<Rule>& passes) {
  std::vector<EntryKey> from = KeysOf(from_list), to = KeysOf(to_list);
  std::vector<std::optional<size_t>> out(to.size());
  std::vector<bool> used(from.size(), false);
  for (const Rule& rule : passes) {
    for (size_t j = 0; j < to.size(); ++j) {
      if (out[j]) continue;
      for (size_t i = 0; i < from.size(); ++i) {
        if (!used[i] && rule(from[i], to[j])) {
          out[j] = i;
          used[i] = true;
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace

std::vector<std::optional<size_t>> MatchEntries(const Json& from, const Json& to) {
  Rule same_id = [](const EntryKey& a, const EntryKey& b) { return a.id && b.id && *a.id == *b.id; };
  Rule same_keys = [](const EntryKey& a, const EntryKey& b) {
    return (!a.id || !b.id) && a.keys_and_name == b.keys_and_name;
  };
  return Match(from, to, {same_id, same_keys});
}

std::vector<std::optional<size_t>> MatchAddedEntries(const Json& from, const Json& to) {
  Rule same = [](const EntryKey& a, const EntryKey& b) {
    return a.keys_and_name == b.keys_and_name && (!a.id || !b.id || *a.id == *b.id);
  };
  return Match(from, to, {same});
}

std::string EntryIdentity(const Json& entry) {
  auto id = IdOf(entry);
  return id ? "id:" + *id : KeysAndName(entry);
}

}  // namespace charchive::sync
