#include "util/time_format.h"

#include <ctime>

namespace charchive {

std::string FormatUtc(std::chrono::system_clock::time_point when, const char* format) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  size_t n = std::strftime(text, sizeof text, format, &tm);
  return std::string(text, n);
}

}  // namespace charchive
