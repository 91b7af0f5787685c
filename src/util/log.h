// The server's operator log: one line per event (a request, a refusal, a job,
// a sync, a delivery), written through spdlog to stderr. An event has a name
// and key=value fields, in one of two formats (docs/logging.md):
//   text: `2026-01-02T03:04:05.678Z info http_request method=GET status=200`
//         (a value with a space, quote, '=', backslash, control or non-ASCII
//         byte is written as a JSON string, so a line always splits back into
//         its fields);
//   json: `{"ts":"2026-01-02T03:04:05.678Z","level":"info","event":"http_request",
//          "method":"GET","status":200}` (numbers and booleans unquoted).
// A value longer than kMaxValueBytes is cut there and ends in "...".
//
// Nothing secret may be passed in a field: callers log paths without query
// strings, never headers, bodies or keys.
//
// Thread safety: every function may be called from any thread; a line is
// written whole (one lock around the sink). Configure and SetSink take effect
// for lines written after they return.
#pragma once

#include <concepts>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace charchive::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };
enum class Format { kText, kJson };

inline constexpr size_t kMaxValueBytes = 2048;

// "debug", "info", "warn", "error", "off"; nullopt for anything else.
std::optional<Level> ParseLevel(std::string_view name);
// "text", "json"; nullopt for anything else.
std::optional<Format> ParseFormat(std::string_view name);
// The name ParseLevel reads ("warn" for kWarn).
const char* LevelName(Level level);

// Sets the threshold and the format of the process's log (default: info, text).
void Configure(Level level, Format format);

// Where lines go: stderr (the default, after an empty function), or `sink`,
// which gets each line without its newline, one at a time. Tests capture the
// log this way.
void SetSink(std::function<void(std::string_view line)> sink);

struct Field {
  std::string_view key;
  std::string value;
  bool literal = false;  // a number or a boolean: unquoted in JSON
  Field(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v ? "true" : "false"), literal(true) {}
  Field(std::string_view k, std::integral auto v) : key(k), value(std::to_string(v)), literal(true) {}
  Field(std::string_view k, double v);
};

bool Enabled(Level level);
void Write(Level level, std::string_view event, std::span<const Field> fields);
inline void Write(Level level, std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(level, event, std::span<const Field>(fields.begin(), fields.size()));
}

inline void Debug(std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(Level::kDebug, event, fields);
}
inline void Info(std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(Level::kInfo, event, fields);
}
inline void Warn(std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(Level::kWarn, event, fields);
}
inline void Error(std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(Level::kError, event, fields);
}

}  // namespace charchive::log
