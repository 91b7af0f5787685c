#include "api/request_params.h"

#include <charconv>

#include "api/errors.h"

namespace charchive::api {

CardId IdParam(const httplib::Request& req, size_t index) {
  CardId id = 0;
  const std::string& s = req.matches[index].str();
  std::from_chars(s.data(), s.data() + s.size(), id);
  return id;
}

Result<Json> ObjectBody(const httplib::Request& req) {
  if (req.body.empty()) return Json::object();
  Json body = Json::parse(req.body, nullptr, false);
  if (body.is_discarded()) return Status::Invalid(api_error::kBadJson, "request body is not valid JSON");
  if (!body.is_object()) return Status::Invalid(api_error::kBadJson, "request body must be a JSON object");
  return body;
}

}  // namespace charchive::api
