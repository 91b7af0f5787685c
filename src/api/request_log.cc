#include "api/request_log.h"

#include <chrono>
#include <cmath>
#include <optional>
#include <vector>

#include "api/json_response.h"
#include "util/log.h"

namespace charchive::api {
namespace {

using Clock = std::chrono::steady_clock;

thread_local std::optional<Clock::time_point> t_request_start;

// The `kind` of a JSON error body, or "".
std::string ErrorKind(const httplib::Response& res) {
  if (res.status < 400 || res.body.empty() || res.body.front() != '{' || res.body.size() > 64 * 1024) return "";
  Json body = Json::parse(res.body, nullptr, false);
  if (!body.is_object() || !body.contains("kind") || !body["kind"].is_string()) return "";
  return body["kind"].get<std::string>();
}

// What went wrong, without the input that made it go wrong: a JSON parse
// error's message quotes the text it read (which may be a request body).
std::string Describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const Json::parse_error& e) {
    return "json.exception.parse_error." + std::to_string(e.id);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

}  // namespace

void MarkRequestStart() { t_request_start = Clock::now(); }

void LogRequest(const httplib::Request& req, const httplib::Response& res) {
  log::Level level = res.status >= 500 ? log::Level::kError : res.status >= 400 ? log::Level::kWarn : log::Level::kInfo;
  std::optional<Clock::time_point> start = t_request_start;
  t_request_start.reset();
  if (!log::Enabled(level)) return;
  // A request httplib refused before routing (a malformed head) may lack a
  // method, a path, a client and a start time.
  std::vector<log::Field> fields{{"method", req.method.empty() ? "-" : req.method},
                                 {"path", req.path.empty() ? "-" : req.path},
                                 {"status", res.status}};
  if (start) {
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - *start).count();
    fields.emplace_back("ms", std::round(ms * 100) / 100);
  }
  if (!req.remote_addr.empty()) fields.emplace_back("client", req.remote_addr);
  // Content-Length is what went out; a chunked answer (an event stream) has none.
  std::string length = res.get_header_value("Content-Length");
  if (req.method == "HEAD") {
    fields.emplace_back("bytes", 0);
  } else if (!length.empty() && length.size() < 19 && length.find_first_not_of("0123456789") == std::string::npos) {
    fields.emplace_back("bytes", std::stoll(length));
  }
  if (std::string reason = ErrorKind(res); !reason.empty()) fields.emplace_back("reason", std::move(reason));
  log::Write(level, "http_request", fields);
}

void AnswerException(const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
  log::Error("request_exception", {{"method", req.method}, {"path", req.path}, {"exception", Describe(error)}});
  res.headers.erase("Content-Type");
  WriteError(res, 500, "internal", "internal error");
}

void InstallRequestLog(httplib::Server& server) {
  server.set_logger(LogRequest);
  server.set_exception_handler(AnswerException);
}

}  // namespace charchive::api
