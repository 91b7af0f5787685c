#include "api/body_limits.h"

#include "api/errors.h"
#include "api/json_response.h"

namespace charchive::api {
namespace {

std::string Size(size_t bytes) {
  return bytes >= (1u << 20) ? std::to_string(bytes >> 20) + " MiB" : std::to_string(bytes >> 10) + " KiB";
}

}  // namespace

size_t BodyLimitFor(const BodyLimits& limits, const std::string& path) {
  if (path == "/api/session") return limits.login_bytes;
  if (path == "/ap/inbox") return limits.inbox_bytes;
  if (path.rfind("/api/", 0) == 0) return limits.api_bytes;
  return 0;
}

bool BodySizeAcceptable(const BodyLimits& limits, const httplib::Request& req, httplib::Response& res) {
  if (req.has_header("Transfer-Encoding")) {
    WriteError(res, 411, api_error::kChunkedBody,
               "send the body with a Content-Length; chunked request bodies are not accepted");
    return false;
  }
  if (!req.has_header("Content-Length")) return true;  // no body (RFC 9112 §6.3)
  const std::string length = req.get_header_value("Content-Length");
  bool digits = !length.empty() && length.size() <= 19 && length.find_first_not_of("0123456789") == std::string::npos;
  size_t limit = BodyLimitFor(limits, req.path);
  if (digits && std::stoull(length) <= limit) return true;
  if (limit == 0) {
    WriteError(res, 413, api_error::kBodyTooLarge, req.path + " takes no request body");
  } else if (limit == limits.api_bytes) {
    WriteError(res, 413, api_error::kBodyTooLarge, "upload is larger than " + Size(limit));
  } else {
    WriteError(res, 413, api_error::kBodyTooLarge, "the body for " + req.path + " is larger than " + Size(limit));
  }
  return false;
}

}  // namespace charchive::api
