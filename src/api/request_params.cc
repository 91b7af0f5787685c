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

Result<int64_t> IntParam(const httplib::Request& req, const char* name, int64_t min, int64_t max) {
  const std::string value = req.get_param_value(name);
  int64_t out = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || end != value.data() + value.size() || out < min || out > max) {
    return Status::Invalid(api_error::kBadParameter, std::string("query parameter '") + name +
                                                         "' must be a whole number from " + std::to_string(min) +
                                                         " to " + std::to_string(max));
  }
  return out;
}

Result<std::vector<CardId>> CardIds(const Json& body) {
  if (!body.contains("cardIds") || !body["cardIds"].is_array() || body["cardIds"].empty()) {
    return Status::Invalid(api_error::kBadField, "cardIds array required");
  }
  if (body["cardIds"].size() > kMaxBulkCards) {
    return Status::Invalid(api_error::kBadField, "at most " + std::to_string(kMaxBulkCards) + " cardIds per request");
  }
  std::vector<CardId> ids;
  for (const Json& id : body["cardIds"]) {
    if (!id.is_number_integer() || id.get<int64_t>() <= 0) {
      return Status::Invalid(api_error::kBadField, "cardIds must hold positive card ids");
    }
    ids.push_back(id.get<int64_t>());
  }
  return ids;
}

}  // namespace charchive::api
