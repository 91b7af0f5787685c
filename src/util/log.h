// The server's operator log: one line per event (a request, a refusal, a job,
// a sync, a delivery), written through spdlog to stderr. An event has a name
// and key=value fields; the text format is `LEVEL event key=value ...`, the
// JSON format one object per line ({"ts","level","event",...fields}).
//
// Nothing secret may be passed in a field: callers log paths without query
// strings, never headers or bodies. Configure once at start (before other
// threads log); Write may then be called from any thread.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace charchive::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };
enum class Format { kText, kJson };

// "debug", "info", "warn", "error", "off"; nullopt for anything else.
std::optional<Level> ParseLevel(std::string_view name);
// "text", "json"; nullopt for anything else.
std::optional<Format> ParseFormat(std::string_view name);

// Sets the threshold and the format of the process's log (default: info, text).
void Configure(Level level, Format format);

struct Field {
  std::string_view key;
  std::string value;
  Field(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  Field(std::string_view k, long long v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, long v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, int v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, unsigned long v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, double v) : key(k), value(std::to_string(v)) {}
};

bool Enabled(Level level);
void Write(Level level, std::string_view event, std::initializer_list<Field> fields = {});

inline void Debug(std::string_view event, std::initializer_list<Field> fields = {}) { Write(Level::kDebug, event, fields); }
inline void Info(std::string_view event, std::initializer_list<Field> fields = {}) { Write(Level::kInfo, event, fields); }
inline void Warn(std::string_view event, std::initializer_list<Field> fields = {}) { Write(Level::kWarn, event, fields); }
inline void Error(std::string_view event, std::initializer_list<Field> fields = {}) { Write(Level::kError, event, fields); }

}  // namespace charchive::log
