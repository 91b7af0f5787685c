#include "cli/progress_bar.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace charchive::cli {

ProgressBar::ProgressBar() : start_(std::chrono::steady_clock::now()), enabled_(::isatty(STDERR_FILENO)) {}

void ProgressBar::Update(size_t done, size_t total) {
  if (!enabled_ || total == 0) return;
  double elapsed = Elapsed();
  double rate = elapsed > 0 ? done / elapsed : 0;
  double eta = rate > 0 ? (total - done) / rate : 0;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(kWidth * done / total);
  std::string bar(filled, '#');
  bar.append(kWidth - filled, '-');
  std::fprintf(stderr, "\r[%s] %zu/%zu  %.0f cards/s  ETA %.0fs ", bar.c_str(), done, total, rate, eta);
  if (done == total) std::fprintf(stderr, "\n");
}

double ProgressBar::Elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace charchive::cli
