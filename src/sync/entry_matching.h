// How lorebook entries are matched between two documents: by `id` where both
// entries have one, else by their keys (as a set) and name. Also each entry's
// identity string, which names it in an ItemPath.
//
// Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "card/card.h"

namespace charchive::sync {

// For each entry of `to`, the entry of `from` with the same id (both have
// one), else the same keys and name (one of them has no id). One-to-one, in
// order.
std::vector<std::optional<size_t>> MatchEntries(const Json& from, const Json& to);

// Entries two sides both added are the same entry only when their keys and
// name agree, and their ids too when both have one (ids are often just the
// next number, on both sides).
std::vector<std::optional<size_t>> MatchAddedEntries(const Json& from, const Json& to);

// "id:<id as JSON>", or "keys:<sorted keys, comma-separated>;name:<name>".
std::string EntryIdentity(const Json& entry);

}  // namespace charchive::sync
