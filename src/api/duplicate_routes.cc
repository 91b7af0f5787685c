#include "api/duplicate_routes.h"

#include "api/json_response.h"
#include "api/request_params.h"
#include "store/duplicate_finder.h"

namespace charchive::api {
namespace {

using httplib::Request;
using httplib::Response;

constexpr int64_t kDefaultGroups = 100;

Json CardJson(const DuplicateCard& c) {
  return Json{
      {"id", c.id}, {"name", c.name}, {"creator", c.creator}, {"source", c.source}, {"created_at", c.created_at}};
}

void Duplicates(Archive& archive, const Request& req, Response& res) {
  int64_t limit = kDefaultGroups;
  if (req.has_param("limit")) {
    auto asked = IntParam(req, "limit", 1, 1000);
    if (!asked.ok()) return WriteError(res, asked.status());
    limit = *asked;
  }
  auto groups = FindDuplicates(archive, limit);
  if (!groups.ok()) return WriteError(res, groups.status());
  Json out = Json::array();
  for (const DuplicateGroup& g : *groups) {
    Json cards = Json::array();
    for (const DuplicateCard& c : g.cards) cards.push_back(CardJson(c));
    out.push_back(Json{{"reason", DuplicateReasonName(g.reason)}, {"cards", std::move(cards)}});
  }
  WriteJson(res, 200, Json{{"groups", std::move(out)}});
}

void Related(Archive& archive, const Request& req, Response& res) {
  CardId id = IdParam(req);
  auto related = RelatedCards(archive, id);
  if (!related.ok()) return WriteError(res, related.status());
  Json out = Json::array();
  for (const RelatedCard& r : *related) {
    Json card = CardJson(r.card);
    card["reason"] = DuplicateReasonName(r.reason);
    out.push_back(std::move(card));
  }
  WriteJson(res, 200, Json{{"cardId", id}, {"related", std::move(out)}});
}

}  // namespace

void AddDuplicateRoutes(httplib::Server& server, Archive& archive) {
  auto bind = [&archive](void (*handler)(Archive&, const Request&, Response&)) {
    return [&archive, handler](const Request& req, Response& res) { handler(archive, req, res); };
  };
  server.Get("/api/duplicates", bind(Duplicates));
  server.Get(R"(/api/cards/(\d{1,18})/related)", bind(Related));
}

}  // namespace charchive::api
