#include "api/request_params.h"

#include <charconv>

#include "api/errors.h"
#include "card/json_parse.h"

namespace charchive::api {

CardId IdParam(const httplib::Request& req, size_t index) {
  CardId id = 0;
  const std::string& s = req.matches[index].str();
  std::from_chars(s.data(), s.data() + s.size(), id);
  return id;
}

Result<Json> ObjectBody(const httplib::Request& req) {
  if (req.body.empty()) return Json::object();
  auto body = ParseJsonText(req.body);
  if (!body.ok()) return body.status().WithContext("request body");
  if (!body->is_object()) return Status::Invalid(api_error::kBadJson, "request body must be a JSON object");
  return body;
}

}  // namespace charchive::api
