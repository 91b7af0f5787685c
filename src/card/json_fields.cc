#include "card/json_fields.h"

#include <cmath>

#include "card/errors.h"

namespace charchive {

JsonOrigin JsonOrigin::Peer(std::string who) { return JsonOrigin(true, std::move(who)); }

JsonOrigin JsonOrigin::Request() { return JsonOrigin(false, "the request body"); }

Status JsonOrigin::Error(const std::string& problem, const char* request_kind) const {
  if (peer_) return Status::Remote(card_error::kPeerBadResponse, who_ + ": " + problem);
  return Status::Invalid(request_kind, problem);
}

Result<JsonFields> JsonFields::Of(const Json& value, JsonOrigin origin, const std::string& path) {
  if (!value.is_object()) {
    return origin.Error((path.empty() ? "the answer" : path) + " must be a JSON object, not " +
                        std::string(value.type_name()));
  }
  return JsonFields(&value, std::move(origin), path.empty() ? "" : path + ".");
}

const Json* JsonFields::Find(std::string_view key) const {
  auto it = value_->find(std::string(key));
  if (it == value_->end() || it->is_null()) return nullptr;
  return &*it;
}

std::string JsonFields::PathOf(std::string_view key) const { return path_ + std::string(key); }

Status JsonFields::WrongType(std::string_view key, const Json& value, const char* expected) const {
  return origin_.Error(PathOf(key) + " must be " + expected + ", not " + std::string(value.type_name()));
}

bool JsonFields::Has(std::string_view key) const { return Find(key) != nullptr; }

const Json& JsonFields::Raw(std::string_view key) const {
  static const Json kNull;
  const Json* v = Find(key);
  return v ? *v : kNull;
}

Result<std::string> JsonFields::String(std::string_view key) const {
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<std::string> v, OptionalString(key));
  if (!v) return origin_.Error(PathOf(key) + " is missing");
  return std::move(*v);
}

Result<JsonFields> JsonFields::Object(std::string_view key) const {
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<JsonFields> v, OptionalObject(key));
  if (!v) return origin_.Error(PathOf(key) + " is missing");
  return std::move(*v);
}

Result<std::vector<const Json*>> JsonFields::Array(std::string_view key) const {
  const Json* v = Find(key);
  if (v == nullptr) return origin_.Error(PathOf(key) + " is missing");
  if (!v->is_array()) return WrongType(key, *v, "an array");
  std::vector<const Json*> items;
  items.reserve(v->size());
  for (const Json& item : *v) items.push_back(&item);
  return items;
}

Result<std::optional<std::string>> JsonFields::OptionalString(std::string_view key) const {
  const Json* v = Find(key);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return WrongType(key, *v, "a string");
  return std::optional<std::string>(v->get_ref<const std::string&>());
}

Result<std::string> JsonFields::StringOr(std::string_view key, std::string fallback) const {
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<std::string> v, OptionalString(key));
  return v ? std::move(*v) : std::move(fallback);
}

Result<std::optional<bool>> JsonFields::OptionalBool(std::string_view key) const {
  const Json* v = Find(key);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_boolean()) return WrongType(key, *v, "true or false");
  return std::optional<bool>(v->get<bool>());
}

Result<bool> JsonFields::BoolOr(std::string_view key, bool fallback) const {
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<bool> v, OptionalBool(key));
  return v.value_or(fallback);
}

Result<std::optional<int64_t>> JsonFields::OptionalInt(std::string_view key) const {
  const Json* v = Find(key);
  if (v == nullptr) return std::optional<int64_t>();
  if (v->is_number_integer()) {
    if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      return WrongType(key, *v, "a whole number within 64 bits");
    }
    return std::optional<int64_t>(v->get<int64_t>());
  }
  if (v->is_number_float()) {
    double d = v->get<double>();
    // 2^63 is exactly representable; anything below it converts without overflow.
    if (std::trunc(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
      return std::optional<int64_t>(static_cast<int64_t>(d));
    }
  }
  return WrongType(key, *v, "a whole number");
}

Result<int64_t> JsonFields::IntOr(std::string_view key, int64_t fallback) const {
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<int64_t> v, OptionalInt(key));
  return v.value_or(fallback);
}

Result<std::optional<JsonFields>> JsonFields::OptionalObject(std::string_view key) const {
  const Json* v = Find(key);
  if (v == nullptr) return std::optional<JsonFields>();
  if (!v->is_object()) return WrongType(key, *v, "an object");
  return std::optional<JsonFields>(JsonFields(v, origin_, PathOf(key) + "."));
}

const std::string* FindString(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(std::string(key));
  if (it == obj.end() || !it->is_string()) return nullptr;
  return &it->get_ref<const std::string&>();
}

}  // namespace charchive
