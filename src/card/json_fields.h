// JsonFields: type-checked reads of a JSON object that came from outside (a
// peer's answer, a request body). nlohmann's value(), at() and get<>() throw
// on a wrong type — on a background thread that is std::terminate — so
// outside JSON is read only through these, which never throw: a field of the
// wrong type is an error Status naming the field, made by the object's
// JsonOrigin (a peer's answer: kRemoteError "peer_bad_response" naming the
// peer; a request body: kInvalidInput "bad_field"). A missing field and a
// null one are the same: absent. Parse outside text with ParseJsonText
// (json_parse.h) first, so the document is bounded.
//
// Thread safety: a JsonFields is a view of a Json it does not own, which must
// outlive it; const methods may be called from many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "card/card.h"
#include "card/errors.h"
#include "util/result.h"

namespace charchive {

// Where a JSON document came from; decides the Status a bad field becomes.
class JsonOrigin {
 public:
  // A peer's answer; `who` names it ("SillyTavern /version").
  static JsonOrigin Peer(std::string who);
  // A request body.
  static JsonOrigin Request();

  // kRemoteError "peer_bad_response" ("<who>: <problem>") for a peer,
  // kInvalidInput `request_kind` ("<problem>") for a request.
  Status Error(const std::string& problem, const char* request_kind = card_error::kBadField) const;

 private:
  JsonOrigin(bool peer, std::string who) : peer_(peer), who_(std::move(who)) {}
  bool peer_;
  std::string who_;
};

class JsonFields {
 public:
  // A view of `value`, which must be an object. `path` names it inside its
  // document ("publicKey[1]"; empty: the document itself) in errors.
  static Result<JsonFields> Of(const Json& value, JsonOrigin origin, const std::string& path = "");

  const Json& json() const { return *value_; }

  // Present and not null.
  bool Has(std::string_view key) const;
  // The value as it is (null when absent): for fields passed on unread.
  const Json& Raw(std::string_view key) const;

  // Required fields: absent or of another type is an error.
  Result<std::string> String(std::string_view key) const;
  Result<JsonFields> Object(std::string_view key) const;
  // The elements of an array field.
  Result<std::vector<const Json*>> Array(std::string_view key) const;

  // Optional fields: absent gives nullopt (or the fallback); another type is an error.
  Result<std::optional<std::string>> OptionalString(std::string_view key) const;
  Result<std::string> StringOr(std::string_view key, std::string fallback) const;
  Result<std::optional<bool>> OptionalBool(std::string_view key) const;
  Result<bool> BoolOr(std::string_view key, bool fallback) const;
  // A whole number within int64 (a JSON integer, or a float with no fraction).
  Result<std::optional<int64_t>> OptionalInt(std::string_view key) const;
  Result<int64_t> IntOr(std::string_view key, int64_t fallback) const;
  Result<std::optional<JsonFields>> OptionalObject(std::string_view key) const;

 private:
  JsonFields(const Json* value, JsonOrigin origin, std::string path)
      : value_(value), origin_(std::move(origin)), path_(std::move(path)) {}
  // The field, or nullptr when absent or null.
  const Json* Find(std::string_view key) const;
  Status WrongType(std::string_view key, const Json& value, const char* expected) const;
  std::string PathOf(std::string_view key) const;

  const Json* value_;
  JsonOrigin origin_;
  std::string path_;  // of this object inside the document: "" or "card.meta."
};

// Lenient reads for card content, where any shape must survive and a wrong
// type only means "not this": the string at obj[key], or nullptr when `obj`
// is no object or the field is missing or no string. Never throws.
const std::string* FindString(const Json& obj, std::string_view key);

}  // namespace charchive
