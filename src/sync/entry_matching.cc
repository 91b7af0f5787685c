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

using Rule = std::function<bool(const Json& a, const Json& b)>;

// Each pass matches what earlier passes left, first unmatched `from` first.
std::vector<std::optional<size_t>> Match(const Json& from, const Json& to, const std::vector<Rule>& passes) {
  std::vector<std::optional<size_t>> out(to.is_array() ? to.size() : 0);
  if (!from.is_array() || out.empty()) return out;
  std::vector<bool> used(from.size(), false);
  for (const Rule& rule : passes) {
    for (size_t j = 0; j < out.size(); ++j) {
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
  Rule same_id = [](const Json& a, const Json& b) {
    auto ia = IdOf(a), ib = IdOf(b);
    return ia && ib && *ia == *ib;
  };
  Rule same_keys = [](const Json& a, const Json& b) {
    return (!IdOf(a) || !IdOf(b)) && KeysAndName(a) == KeysAndName(b);
  };
  return Match(from, to, {same_id, same_keys});
}

std::vector<std::optional<size_t>> MatchAddedEntries(const Json& from, const Json& to) {
  Rule same = [](const Json& a, const Json& b) {
    auto ia = IdOf(a), ib = IdOf(b);
    return KeysAndName(a) == KeysAndName(b) && (!ia || !ib || *ia == *ib);
  };
  return Match(from, to, {same});
}

std::string EntryIdentity(const Json& entry) {
  auto id = IdOf(entry);
  return id ? "id:" + *id : KeysAndName(entry);
}

}  // namespace charchive::sync
