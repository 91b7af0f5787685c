#include "sync/import_rewrites.h"

#include "sync/reconciliation.h"

namespace charchive::sync {
namespace {

constexpr size_t kMaxValueChars = 80;

// "lorebook entry 2" for an entry with an id; else by its name or keys.
std::string EntryLabel(const std::string& identity) {
  constexpr std::string_view kId = "id:";
  if (identity.starts_with(kId)) {
    std::string id = identity.substr(kId.size());
    if (id.size() >= 2 && id.front() == '"' && id.back() == '"') id = id.substr(1, id.size() - 2);
    return "lorebook entry " + id;
  }
  const size_t name_at = identity.find(";name:");
  const std::string name = name_at == std::string::npos ? "" : identity.substr(name_at + 6);
  const std::string keys = identity.substr(0, name_at).substr(identity.starts_with("keys:") ? 5 : 0);
  return "lorebook entry '" + (name.empty() ? keys : name) + "'";
}

// A UTF-8 string cut at about `max` bytes, never inside a character.
std::string Cut(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "…";
}

std::string Quoted(const Json& value) {
  if (value.is_string()) return "'" + Cut(value.get<std::string>(), kMaxValueChars) + "'";
  return Cut(value.dump(), kMaxValueChars);
}

// What the item is, as the object of a sentence.
std::string Subject(const ItemPath& path) {
  switch (path.kind) {
    case ItemKind::kField:
      return "the " + path.key;
    case ItemKind::kExtension:
      return "extensions." + path.key;
    case ItemKind::kLorebookField:
      return "the lorebook's " + path.key;
    case ItemKind::kEntry:
      return EntryLabel(path.entry);
    case ItemKind::kEntryField:
      return path.key + " of " + EntryLabel(path.entry);
    case ItemKind::kEntryOrder:
      return "the order of the lorebook entries";
    case ItemKind::kGreeting:
      return path.key + " " + std::to_string(path.slot + 1);
  }
  return path.ToString();
}

}  // namespace

std::vector<Rewrite> ImportRewrites(const Card& sent, const Card& stored) {
  // The card sent is both bases and the archive's copy: every item the
  // peer's copy holds otherwise is "taken from the remote".
  const Reconciliation reconciliation = Reconcile(sent, sent, sent, stored);
  std::vector<Rewrite> out;
  for (const Item& item : reconciliation.items) {
    if (item.decision != Decision::kTakeRemote) continue;
    out.push_back(Rewrite{item.path, item.values.local, item.values.remote});
  }
  return out;
}

std::string DescribeRewrite(const Rewrite& rewrite, std::string_view peer) {
  const std::string who(peer);
  const ItemPath& path = rewrite.path;
  if (path.kind == ItemKind::kEntryOrder) return who + " changed the order of the lorebook entries";
  if (!rewrite.stored) {
    if (path.kind == ItemKind::kEntryField) return who + " dropped " + path.key + " from " + EntryLabel(path.entry);
    return who + " dropped " + Subject(path);
  }
  if (!rewrite.sent) {
    if (path.kind == ItemKind::kEntryField) {
      return who + " added " + path.key + " " + Quoted(*rewrite.stored) + " to " + EntryLabel(path.entry);
    }
    if (path.kind == ItemKind::kEntry || path.kind == ItemKind::kGreeting) return who + " added " + Subject(path);
    return who + " added " + Subject(path) + " " + Quoted(*rewrite.stored);
  }
  return who + " stored " + Subject(path) + " as " + Quoted(*rewrite.stored);
}

}  // namespace charchive::sync
