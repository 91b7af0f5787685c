// CharX: a zip with `card.json` (a V3 card) at its root and assets under
// `assets/`, referenced from the card with `embeded://` (the spec's spelling),
// `embedded://` or `ccdefault:` URIs. Reading enforces the limits of
// card/limits.h (entry size, total size, entry count) and rejects `..`,
// absolute and backslash paths; writing produces a zip that reads back equal.
// Thread safety: stateless functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "util/result.h"

namespace charchive {

struct CharxContents {
  std::string card_json;                     // card.json as stored
  std::map<std::string, std::string> files;  // every other entry: path -> bytes
  // The main icon's bytes (the asset with type "icon" and name "main", else the
  // first icon), resolved through its embeded:// URI; empty when none.
  std::string main_icon;
};

// The zip path of the main icon that card.json names (the asset with type
// "icon" and name "main", else the first icon, through its embeded:// URI);
// empty when it names none.
std::string MainIconPath(const std::string& card_json);

// Fails with "bad_zip", "unsafe_path", "too_large", "too_many_entries" or
// "no_card" (no card.json).
Result<CharxContents> ReadCharx(std::string_view zip_bytes);

// Writes card.json and every file in `files` (paths relative to the zip root).
Result<std::string> WriteCharx(std::string_view card_json, const std::map<std::string, std::string>& files);

}  // namespace charchive
