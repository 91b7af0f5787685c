#include "api/json_response.h"

#include "store/errors.h"

namespace charchive::api {

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidInput: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kConflict: return 409;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kForbidden: return 403;
    case StatusCode::kRemoteError: return status.transient() == Transient::kTimeout ? 504 : 502;
    case StatusCode::kIoError: return status.kind() == store_error::kDiskFull ? 507 : 500;
    case StatusCode::kInternal: return 500;
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
  WriteJson(res, http_status, Json{{"error", message}});
}

}  // namespace charchive::api
