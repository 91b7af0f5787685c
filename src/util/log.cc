#include "util/log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace charchive::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::atomic<Format> g_format{Format::kText};

// stderr, a line at a time and flushed, unless a test put a function in its place.
class LineSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  void set_function(std::function<void(std::string_view)> sink) {
    std::lock_guard lock(mutex_);
    function_ = std::move(sink);
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::string_view line(msg.payload.data(), msg.payload.size());
    if (function_) {
      function_(line);
      return;
    }
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
  }
  void flush_() override { std::fflush(stderr); }

 private:
  std::function<void(std::string_view)> function_;
};

struct Sink {
  std::shared_ptr<LineSink> lines = std::make_shared<LineSink>();
  spdlog::logger logger{"charchive", lines};
  Sink() { logger.set_level(spdlog::level::trace); }
};

Sink& TheSink() {
  static Sink sink;
  return sink;
}

spdlog::level::level_enum SpdLevel(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
    case Level::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

std::string NowUtc() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms));
  return buf;
}

std::string JsonString(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string_view Capped(const std::string& value, std::string& storage) {
  if (value.size() <= kMaxValueBytes) return value;
  storage = value.substr(0, kMaxValueBytes) + "...";
  return storage;
}

// Printable ASCII other than quote, '=' and backslash goes out bare; anything
// else as a JSON string, so a line always splits back into its fields.
bool Bare(std::string_view value) {
  if (value.empty()) return false;
  for (unsigned char c : value) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '=' || c == '\\') return false;
  }
  return true;
}

}  // namespace

Field::Field(std::string_view k, double v) : key(k) {
  literal = std::isfinite(v);
  value = literal ? fmt::format("{}", v) : (std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
    case Level::kOff:
      return "off";
  }
  return "info";
}

std::optional<Level> ParseLevel(std::string_view name) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError, Level::kOff}) {
    if (name == LevelName(l)) return l;
  }
  return std::nullopt;
}

std::optional<Format> ParseFormat(std::string_view name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  return std::nullopt;
}

void Configure(Level level, Format format) {
  g_level = level;
  g_format = format;
}

void SetSink(std::function<void(std::string_view line)> sink) { TheSink().lines->set_function(std::move(sink)); }

bool Enabled(Level level) { return level != Level::kOff && level >= g_level.load(); }

void Write(Level level, std::string_view event, std::span<const Field> fields) {
  if (!Enabled(level)) return;
  std::string line;
  std::string storage;
  if (g_format.load() == Format::kJson) {
    line = "{\"ts\":\"" + NowUtc() + "\",\"level\":\"" + LevelName(level) + "\",\"event\":" + JsonString(event);
    for (const Field& f : fields) {
      line += ',';
      line += JsonString(f.key);
      line += ':';
      line += f.literal ? f.value : JsonString(Capped(f.value, storage));
    }
    line += '}';
  } else {
    line = NowUtc() + " " + LevelName(level) + " ";
    line.append(event);
    for (const Field& f : fields) {
      std::string_view value = Capped(f.value, storage);
      line += ' ';
      line.append(f.key);
      line += '=';
      if (Bare(value)) {
        line.append(value);
      } else {
        line += JsonString(value);
      }
    }
  }
  TheSink().logger.log(SpdLevel(level), "{}", line);
}

}  // namespace charchive::log
