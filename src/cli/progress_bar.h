// ProgressBar: "[#####-----] 120/2000  1,234 cards/s  ETA 2s" redrawn on one
// line of stderr when stderr is a terminal; silent otherwise.
//
// Thread safety: one thread at a time (callers serialize updates).
#pragma once

#include <chrono>
#include <cstddef>

namespace charchive::cli {

class ProgressBar {
 public:
  ProgressBar();
  void Update(size_t done, size_t total);
  double Elapsed() const;

 private:
  std::chrono::steady_clock::time_point start_;
  bool enabled_;
};

}  // namespace charchive::cli
