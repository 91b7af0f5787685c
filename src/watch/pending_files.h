// PendingFiles: the files the watch has heard of and not yet read, and when
// each may be read. A file is ready once it has been complete (closed after
// writing, moved in, found by a scan) for `settle` with no event since: a
// burst of events for one file is read once, and a file reopened for writing
// waits for its next close. A file that was only seen being written is taken
// after `quiet` without any event (a hard link gives no close): a writer that
// pauses that long mid-file is read early and, if what it has is not yet a
// card, refused until the file changes again. Time is given by the caller
// (its Clock), so the rules are tested without waiting.
//
// Thread safety: none; the owner serializes calls.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "util/clock.h"
#include "watch/file_event.h"

namespace charchive::watch {

class PendingFiles {
 public:
  PendingFiles(Clock::Duration settle, Clock::Duration quiet) : settle_(settle), quiet_(quiet) {}

  // kRescan is not a file's event; it is ignored here.
  void Note(const FileEvent& event, Clock::TimePoint now);
  // Removes and returns up to `max` ready files, in path order.
  std::vector<std::string> TakeReady(Clock::TimePoint now, size_t max);
  // Whether any file is ready at `now`.
  bool AnyReady(Clock::TimePoint now) const;
  // How many wait for their close (writing), and how many are complete and settling.
  struct Counts {
    size_t writing = 0;
    size_t settling = 0;
  };
  Counts counts() const;

 private:
  struct Pending {
    bool complete = false;
    Clock::TimePoint last_event;
  };
  bool Ready(const Pending& p, Clock::TimePoint now) const;

  const Clock::Duration settle_;
  const Clock::Duration quiet_;
  std::map<std::string, Pending> files_;
};

}  // namespace charchive::watch
