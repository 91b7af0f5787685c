#include "card/json_parse.h"

#include <simdjson.h>

#include <algorithm>

#include "card/errors.h"

namespace charchive {
namespace {

Json Build(simdjson::dom::element e) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::OBJECT: {
      Json obj = Json::object();
      auto& members = obj.get_ref<Json::object_t&>();
      members.reserve(simdjson::dom::object(e).size());
      for (auto field : simdjson::dom::object(e)) {
        std::string key(field.key);
        // Duplicate keys: the last one wins, as with nlohmann's parser.
        auto it = members.find(key);
        if (it != members.end()) {
          it->second = Build(field.value);
        } else {
          members.emplace_back(std::move(key), Build(field.value));
        }
      }
      return obj;
    }
    case element_type::ARRAY: {
      Json arr = Json::array();
      auto& items = arr.get_ref<Json::array_t&>();
      items.reserve(simdjson::dom::array(e).size());
      for (auto item : simdjson::dom::array(e)) items.push_back(Build(item));
      return arr;
    }
    case element_type::STRING:
      return Json(std::string(std::string_view(e)));
    case element_type::INT64:
      return Json(int64_t(e));
    case element_type::UINT64:
      return Json(uint64_t(e));
    case element_type::DOUBLE:
      return Json(double(e));
    case element_type::BOOL:
      return Json(bool(e));
    case element_type::NULL_VALUE:
      return Json(nullptr);
  }
  return Json(nullptr);
}

}  // namespace

simdjson::dom::parser& ThreadJsonParser(int max_depth) {
  // One parser per thread, reused: its buffers grow to the largest text seen.
  thread_local simdjson::dom::parser parser;
  if (parser.max_depth() != static_cast<size_t>(max_depth)) {
    // On failure parse() allocates again on demand and reports the error.
    [[maybe_unused]] auto error =
        parser.allocate(std::max<size_t>(parser.capacity(), 4096), static_cast<size_t>(max_depth));
  }
  return parser;
}

Result<simdjson::dom::element> ParseJsonDom(simdjson::dom::parser& parser, std::string_view text, JsonLimits limits) {
  if (text.size() > limits.max_bytes) {
    return Status::Invalid(card_error::kJsonTooLarge, "JSON text of " + std::to_string(text.size()) +
                                                          " bytes is longer than the limit of " +
                                                          std::to_string(limits.max_bytes));
  }
  simdjson::dom::element root;
  auto error = parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root);
  if (error == simdjson::DEPTH_ERROR) {
    return Status::Invalid(card_error::kJsonTooDeep,
                           "JSON nests deeper than " + std::to_string(limits.max_depth) + " levels");
  }
  if (error) {
    return Status::Invalid(card_error::kBadJson, std::string("invalid JSON: ") + simdjson::error_message(error));
  }
  return root;
}

Result<Json> ParseJsonText(std::string_view text, JsonLimits limits) {
  simdjson::dom::parser& parser = ThreadJsonParser(limits.max_depth);
  CHARCHIVE_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseJsonDom(parser, text, limits));
  return Build(root);
}

}  // namespace charchive
