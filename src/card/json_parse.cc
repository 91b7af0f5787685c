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
      for (auto item : simdjson::dom::array(e)) items.push_back(Build(item));
      return arr;
    }
    case element_type::STRING: return Json(std::string(std::string_view(e)));
    case element_type::INT64: return Json(int64_t(e));
    case element_type::UINT64: return Json(uint64_t(e));
    case element_type::DOUBLE: return Json(double(e));
    case element_type::BOOL: return Json(bool(e));
    case element_type::NULL_VALUE: return Json(nullptr);
  }
  return Json(nullptr);
}

}  // namespace

Result<Json> ParseJsonText(std::string_view text, int max_depth) {
  // One parser per thread, reused: its buffers grow to the largest text seen.
  thread_local simdjson::dom::parser parser;
  size_t depth = static_cast<size_t>(max_depth);
  if (parser.max_depth() != depth || parser.capacity() < text.size()) {
    if (parser.allocate(std::max(text.size(), parser.capacity()), depth) != simdjson::SUCCESS) {
      return Status::Invalid(card_error::kBadJson, "JSON text too large to parse");
    }
  }
  simdjson::dom::element root;
  auto error = parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root);
  if (error == simdjson::DEPTH_ERROR) {
    return Status::Invalid(card_error::kBadJson, "JSON nests deeper than " + std::to_string(max_depth) + " levels");
  }
  if (error) {
    return Status::Invalid(card_error::kBadJson, std::string("invalid JSON: ") + simdjson::error_message(error));
  }
  return Build(root);
}

}  // namespace charchive
