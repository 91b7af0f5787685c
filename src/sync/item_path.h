// ItemPath: which part of a card one reconciliation item is. A card is split
// into items the core decides one by one: each top-level field of V3 `data`,
// each top-level key of `extensions`, each key of `character_book` other than
// `entries`, each lorebook entry (whole, when it was added or removed) or each
// field of an entry (when every document has it), the entries' order, and each
// greeting of alternate_greetings and group_only_greetings.
//
// A value type; safe from any thread.
#pragma once

#include <compare>
#include <cstddef>
#include <string>

namespace charchive::sync {

enum class ItemKind {
  kField,          // data[key]
  kExtension,      // data.extensions[key]
  kLorebookField,  // data.character_book[key], key != "entries"
  kEntry,          // a whole lorebook entry: entry
  kEntryField,     // one field of a lorebook entry: entry, key
  kEntryOrder,     // the order of the lorebook entries every document has
  kGreeting,       // one greeting: key (the list), slot
};

struct ItemPath {
  ItemKind kind = ItemKind::kField;
  // The field, extension key, lorebook key, entry field or greeting list.
  std::string key;
  // kEntry, kEntryField: the entry's identity ("id:3", or its sorted keys and
  // name when it has no id; see entry_matching.h).
  std::string entry;
  // kGreeting: the greeting's slot (slot_table.h): the local base's greetings
  // first, in order, then those only the remote base has, then the local
  // side's additions, then the remote side's.
  size_t slot = 0;

  static ItemPath Field(std::string key);
  static ItemPath Extension(std::string key);
  static ItemPath LorebookField(std::string key);
  static ItemPath Entry(std::string entry);
  static ItemPath EntryField(std::string entry, std::string key);
  static ItemPath EntryOrder();
  static ItemPath Greeting(std::string list, size_t slot);

  // For messages: "scenario", "extensions.depth_prompt", "character_book.name",
  // "character_book.entries[id:2]", "character_book.entries[id:2].content",
  // "character_book.entries (order)", "alternate_greetings[1]".
  std::string ToString() const;

  auto operator<=>(const ItemPath&) const = default;
};

}  // namespace charchive::sync
