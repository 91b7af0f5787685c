#include "sources/timestamps.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "util/time_format.h"

namespace charchive::sources {
namespace {

std::string FormatMillis(int64_t millis) {
  int64_t ms = ((millis % 1000) + 1000) % 1000;  // also for times before 1970
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(ms));
  std::chrono::system_clock::time_point second{std::chrono::milliseconds(millis - ms)};
  return FormatUtc(second, "%Y-%m-%dT%H:%M:%S") + fraction;
}

std::optional<int64_t> ParseIso(const std::string& text) {
  int y, mo, d, h, mi, s;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6 &&
      std::sscanf(text.c_str(), "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  int64_t millis = static_cast<int64_t>(timegm(&tm)) * 1000;
  size_t i = static_cast<size_t>(consumed);
  if (i < text.size() && text[i] == '.') {
    int64_t scale = 100;
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      millis += (text[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(text.c_str() + i + 1, "%2d:%2d", &oh, &om) < 1) return std::nullopt;
    int64_t offset = (oh * 60 + om) * 60000LL;
    millis += text[i] == '+' ? -offset : offset;
  }
  return millis;
}

}  // namespace

std::optional<std::string> NormalizeTimestamp(const Json& value) {
  if (value.is_number()) {
    double n = value.get<double>();
    if (n <= 0) return std::nullopt;
    // Epoch seconds until the year 33658; anything larger is milliseconds.
    int64_t millis = n < 1e12 ? static_cast<int64_t>(n * 1000) : static_cast<int64_t>(n);
    return FormatMillis(millis);
  }
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (text.empty()) return std::nullopt;
    if (text.find_first_not_of("0123456789.") == std::string::npos) {
      return NormalizeTimestamp(Json(std::stod(text)));
    }
    auto millis = ParseIso(text);
    if (!millis) return std::nullopt;
    return FormatMillis(*millis);
  }
  return std::nullopt;
}

}  // namespace charchive::sources
