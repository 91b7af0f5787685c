// Where the running program lives, so that files installed beside it (the web
// UI under share/charchive/ui, test fixtures in the build tree) are found
// relative to the binary and not by a path compiled in. Safe from any thread.
#pragma once

#include <string>

namespace charchive {

// The folder holding the running executable (from /proc/self/exe), or "" when
// the kernel does not say.
std::string ExecutableDir();

}  // namespace charchive
