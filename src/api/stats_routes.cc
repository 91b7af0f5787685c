#include "api/stats_routes.h"

#include "api/json_response.h"
#include "store/library_stats.h"

namespace charchive::api {
namespace {

Json ChartJson(const std::vector<StatCount>& bars) {
  Json out = Json::array();
  for (const StatCount& b : bars) out.push_back(Json{{"label", b.label}, {"count", b.count}});
  return out;
}

}  // namespace

void AddStatsRoutes(httplib::Server& server, Archive& archive) {
  server.Get("/api/stats", [&archive](const httplib::Request&, httplib::Response& res) {
    auto stats = ComputeLibraryStats(archive);
    if (!stats.ok()) return WriteError(res, stats.status());
    WriteJson(res, 200,
              Json{{"cards", stats->cards},
                   {"favorites", stats->favorites},
                   {"sources", ChartJson(stats->sources)},
                   {"specs", ChartJson(stats->specs)},
                   {"creators", ChartJson(stats->creators)},
                   {"tags", ChartJson(stats->tags)},
                   {"tokens", ChartJson(stats->tokens)},
                   {"imports", ChartJson(stats->imports)}});
  });
}

}  // namespace charchive::api
