#include "sync/item_path.h"

#include <utility>

namespace charchive::sync {

ItemPath ItemPath::Field(std::string key) { return {ItemKind::kField, std::move(key), {}, 0}; }
ItemPath ItemPath::Extension(std::string key) { return {ItemKind::kExtension, std::move(key), {}, 0}; }
ItemPath ItemPath::LorebookField(std::string key) { return {ItemKind::kLorebookField, std::move(key), {}, 0}; }
ItemPath ItemPath::Entry(std::string entry) { return {ItemKind::kEntry, {}, std::move(entry), 0}; }
ItemPath ItemPath::EntryField(std::string entry, std::string key) {
  return {ItemKind::kEntryField, std::move(key), std::move(entry), 0};
}
ItemPath ItemPath::EntryOrder() { return {ItemKind::kEntryOrder, {}, {}, 0}; }
ItemPath ItemPath::Greeting(std::string list, size_t slot) { return {ItemKind::kGreeting, std::move(list), {}, slot}; }

std::string ItemPath::ToString() const {
  switch (kind) {
    case ItemKind::kField:
      return key;
    case ItemKind::kExtension:
      return "extensions." + key;
    case ItemKind::kLorebookField:
      return "character_book." + key;
    case ItemKind::kEntry:
      return "character_book.entries[" + entry + "]";
    case ItemKind::kEntryField:
      return "character_book.entries[" + entry + "]." + key;
    case ItemKind::kEntryOrder:
      return "character_book.entries (order)";
    case ItemKind::kGreeting:
      return key + "[" + std::to_string(slot) + "]";
  }
  return key;
}

}  // namespace charchive::sync
