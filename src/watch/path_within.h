// PathWithin: whether an absolute, normalized path is a folder or lies under it
// ("/a/b" is within "/a" and "/a/b", not within "/a/bc"). Pure.
#pragma once

#include <string_view>

namespace charchive::watch {

inline bool PathWithin(std::string_view path, std::string_view folder) {
  if (folder.size() > 1 && folder.back() == '/') folder.remove_suffix(1);
  if (!path.starts_with(folder)) return false;
  return path.size() == folder.size() || folder == "/" || path[folder.size()] == '/';
}

}  // namespace charchive::watch
