#include "api/json_response.h"

#include "store/errors.h"

namespace charchive::api {

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidInput:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kForbidden:
      return 403;
    case StatusCode::kRemoteError:
      return status.transient() == Transient::kTimeout ? 504 : 502;
    case StatusCode::kIoError:
      return status.kind() == store_error::kDiskFull ? 507 : 500;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

void WriteJson(httplib::Response& res, int http_status, const Json& body) {
  res.status = http_status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json; charset=utf-8");
}

void WriteError(httplib::Response& res, const Status& status) {
  WriteJson(res, HttpStatusFor(status), Json{{"error", status.message()}, {"kind", status.kind()}});
}

void WriteError(httplib::Response& res, int http_status, const std::string& message) {
  WriteError(res, http_status, GenericErrorKind(http_status), message);
}

void WriteError(httplib::Response& res, int http_status, std::string_view kind, const std::string& message) {
  WriteJson(res, http_status, Json{{"error", message}, {"kind", kind}});
}

std::string GenericErrorKind(int http_status) {
  switch (http_status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 409:
      return "conflict";
    case 410:
      return "gone";
    case 411:
      return "length_required";
    case 413:
      return "too_large";
    case 414:
      return "uri_too_long";
    case 416:
      return "bad_range";
    case 429:
      return "too_many_requests";
    case 500:
      return "internal";
    case 502:
      return "peer_error";
    case 503:
      return "unavailable";
    case 504:
      return "peer_timeout";
    case 507:
      return "disk_full";
  }
  return "http_" + std::to_string(http_status);
}

}  // namespace charchive::api
