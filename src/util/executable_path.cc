#include "util/executable_path.h"

#include <filesystem>
#include <system_error>

namespace charchive {

std::string ExecutableDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  return exe.parent_path().string();
}

}  // namespace charchive
