#include "api/tag_routes.h"

#include "api/card_json.h"
#include "api/errors.h"
#include "api/json_response.h"
#include "api/request_params.h"
#include "card/json_fields.h"
#include "store/tag_editor.h"

namespace charchive::api {
namespace {

using httplib::Request;
using httplib::Response;

// The strings of an array field; absent is empty.
Result<std::vector<std::string>> Strings(const JsonFields& fields, std::string_view key) {
  std::vector<std::string> out;
  if (!fields.Has(key)) return out;
  CHARCHIVE_ASSIGN_OR_RETURN(auto items, fields.Array(key));
  for (const Json* item : items) {
    if (!item->is_string()) return Status::Invalid(api_error::kBadField, std::string(key) + " must hold strings");
    out.push_back(item->get<std::string>());
  }
  return out;
}

// {"changed": N, "tags": [the new counts]}.
void WriteChanged(Archive& archive, Response& res, const Result<int64_t>& changed) {
  if (!changed.ok()) return WriteError(res, changed.status());
  auto tags = archive.Tags();
  if (!tags.ok()) return WriteError(res, tags.status());
  WriteJson(res, 200, Json{{"changed", *changed}, {"tags", TagsJson(*tags)}});
}

// Runs `handle` on the body's fields, or answers why the body is unreadable.
template <typename Handle>
void WithFields(const Request& req, Response& res, Handle&& handle) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto fields = JsonFields::Of(*body, JsonOrigin::Request());
  if (!fields.ok()) return WriteError(res, fields.status());
  handle(*body, *fields);
}

void Rename(Archive& archive, const Request& req, Response& res) {
  WithFields(req, res, [&](const Json&, const JsonFields& fields) {
    auto from = fields.String("from");
    if (!from.ok()) return WriteError(res, from.status());
    auto to = fields.String("to");
    if (!to.ok()) return WriteError(res, to.status());
    WriteChanged(archive, res, TagEditor(archive).Replace({*from}, *to));
  });
}

void Merge(Archive& archive, const Request& req, Response& res) {
  WithFields(req, res, [&](const Json&, const JsonFields& fields) {
    auto from = Strings(fields, "from");
    if (!from.ok()) return WriteError(res, from.status());
    auto to = fields.String("to");
    if (!to.ok()) return WriteError(res, to.status());
    WriteChanged(archive, res, TagEditor(archive).Replace(*from, *to));
  });
}

void Delete(Archive& archive, const Request& req, Response& res) {
  WithFields(req, res, [&](const Json&, const JsonFields& fields) {
    auto tag = fields.String("tag");
    if (!tag.ok()) return WriteError(res, tag.status());
    WriteChanged(archive, res, TagEditor(archive).Remove(*tag));
  });
}

void BulkTags(Archive& archive, const Request& req, Response& res) {
  WithFields(req, res, [&](const Json& body, const JsonFields& fields) {
    auto ids = CardIds(body);
    if (!ids.ok()) return WriteError(res, ids.status());
    auto add = Strings(fields, "add");
    if (!add.ok()) return WriteError(res, add.status());
    auto remove = Strings(fields, "remove");
    if (!remove.ok()) return WriteError(res, remove.status());
    if (add->empty() && remove->empty()) {
      return WriteError(res, Status::Invalid(api_error::kBadField, "add or remove must name a tag"));
    }
    WriteChanged(archive, res, TagEditor(archive).Edit(*ids, *add, *remove));
  });
}

}  // namespace

void AddTagRoutes(httplib::Server& server, Archive& archive) {
  auto bind = [&archive](void (*handler)(Archive&, const Request&, Response&)) {
    return [&archive, handler](const Request& req, Response& res) { handler(archive, req, res); };
  };
  server.Post("/api/tags/rename", bind(Rename));
  server.Post("/api/tags/merge", bind(Merge));
  server.Post("/api/tags/delete", bind(Delete));
  server.Post("/api/cards/bulk/tags", bind(BulkTags));
}

}  // namespace charchive::api
