#include "watch/pending_files.h"

namespace charchive::watch {

void PendingFiles::Note(const FileEvent& event, Clock::TimePoint now) {
  switch (event.signal) {
    case FileSignal::kGone:
      files_.erase(event.path);
      return;
    case FileSignal::kWriting:
      files_[event.path] = Pending{.complete = false, .last_event = now};
      return;
    case FileSignal::kComplete:
      files_[event.path] = Pending{.complete = true, .last_event = now};
      return;
    case FileSignal::kRescan:
      return;
  }
}

bool PendingFiles::Ready(const Pending& p, Clock::TimePoint now) const {
  return now - p.last_event >= (p.complete ? settle_ : quiet_);
}

std::vector<std::string> PendingFiles::TakeReady(Clock::TimePoint now, size_t max) {
  std::vector<std::string> ready;
  for (auto it = files_.begin(); it != files_.end() && ready.size() < max;) {
    if (Ready(it->second, now)) {
      ready.push_back(it->first);
      it = files_.erase(it);
    } else {
      ++it;
    }
  }
  return ready;
}

bool PendingFiles::AnyReady(Clock::TimePoint now) const {
  for (const auto& [path, p] : files_) {
    if (Ready(p, now)) return true;
  }
  return false;
}

PendingFiles::Counts PendingFiles::counts() const {
  Counts c;
  for (const auto& [path, p] : files_) ++(p.complete ? c.settling : c.writing);
  return c;
}

}  // namespace charchive::watch
