// FileEvent: what the folder watch saw happen to one file, reduced to what
// decides when the file may be read (watch/pending_files.h). Plain data.
#pragma once

#include <string>

namespace charchive::watch {

enum class FileSignal {
  kWriting,   // created or written to: not complete until it is closed
  kComplete,  // closed after writing, moved in, or found by a scan
  kGone,      // deleted or moved away
  kRescan,    // the kernel's event queue overflowed: events were lost (path empty)
};

struct FileEvent {
  std::string path;  // absolute
  FileSignal signal = FileSignal::kComplete;
};

}  // namespace charchive::watch
