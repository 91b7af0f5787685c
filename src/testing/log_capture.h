// LogCapture: the operator log's lines (util/log.h), kept in memory while it
// lives, at the level and format it was given; afterwards the log writes to
// stderr again at info, text. One at a time per process. Lines arrive from any
// thread; WaitForLine waits on a condition (no sleeps). Header-only, for tests.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "util/log.h"

namespace charchive::testing {

class LogCapture {
 public:
  explicit LogCapture(log::Level level = log::Level::kDebug, log::Format format = log::Format::kText) {
    log::Configure(level, format);
    log::SetSink([this](std::string_view line) {
      std::lock_guard lock(mu_);
      lines_.emplace_back(line);
      added_.notify_all();
    });
  }
  ~LogCapture() {
    log::SetSink(nullptr);
    log::Configure(log::Level::kInfo, log::Format::kText);
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::vector<std::string> Lines() const {
    std::lock_guard lock(mu_);
    return lines_;
  }

  // All lines, one per line of the result.
  std::string Text() const {
    std::string out;
    for (const auto& l : Lines()) out += l + "\n";
    return out;
  }

  // The first line holding every one of `parts`, waiting up to `timeout` for it.
  std::optional<std::string> WaitForLine(const std::vector<std::string>& parts,
                                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    std::unique_lock lock(mu_);
    std::optional<std::string> found;
    added_.wait_for(lock, timeout, [&] {
      for (const auto& line : lines_) {
        bool all = true;
        for (const auto& p : parts) all = all && line.find(p) != std::string::npos;
        if (all) {
          found = line;
          return true;
        }
      }
      return false;
    });
    return found;
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable added_;
  std::vector<std::string> lines_;
};

}  // namespace charchive::testing
