// Wall-clock times as text, in UTC: ISO 8601 for documents, any strftime
// format for protocols (HTTP dates).
//
// Thread safety: pure; safe from any thread.
#pragma once

#include <chrono>
#include <string>

namespace charchive {

// `when` in UTC, formatted by strftime (at most 63 characters).
std::string FormatUtc(std::chrono::system_clock::time_point when, const char* format);

// Now as "2026-11-25T00:36:37Z".
inline std::string IsoUtcNow() { return FormatUtc(std::chrono::system_clock::now(), "%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace charchive
