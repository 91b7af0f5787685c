#include "api/list_query_parser.h"

#include <charconv>

#include "api/errors.h"

namespace charchive::api {
namespace {

Status Bad(const std::string& param, const std::string& why) {
  return Status::Invalid(api_error::kBadParam, "query parameter '" + param + "' " + why);
}

std::vector<std::string> CommaList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Result<int64_t> Integer(const httplib::Request& req, const char* name, int64_t min, int64_t max, int64_t fallback) {
  if (!req.has_param(name)) return fallback;
  std::string v = req.get_param_value(name);
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || ptr != v.data() + v.size() || n < min || n > max) {
    return Bad(name, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return n;
}

Result<std::optional<bool>> Flag(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::optional<bool>();
  std::string v = req.get_param_value(name);
  if (v == "true" || v == "1") return std::optional<bool>(true);
  if (v == "false" || v == "0") return std::optional<bool>(false);
  if (v.empty()) return std::optional<bool>();
  return Bad(name, "must be true or false");
}

}  // namespace

Result<ListQuery> ParseListQuery(const httplib::Request& req) {
  ListQuery q;
  q.q = req.get_param_value("q");
  if (q.q.size() > 1000) return Bad("q", "is longer than 1000 characters");
  q.tags = CommaList(req.get_param_value("tags"));
  q.exclude_tags = CommaList(req.get_param_value("exclude_tags"));
  q.creator = req.get_param_value("creator");
  q.source = req.get_param_value("source");
  q.spec = req.get_param_value("spec");
  if (!q.spec.empty() && q.spec != "v1" && q.spec != "v2" && q.spec != "v3") return Bad("spec", "must be v1, v2 or v3");
  CHARCHIVE_ASSIGN_OR_RETURN(q.favorite, Flag(req, "favorite"));
  CHARCHIVE_ASSIGN_OR_RETURN(q.has_lorebook, Flag(req, "has_lorebook"));
  CHARCHIVE_ASSIGN_OR_RETURN(q.page, Integer(req, "page", 1, 1000000, 1));
  CHARCHIVE_ASSIGN_OR_RETURN(q.limit, Integer(req, "limit", 1, 500, 50));
  std::string sort = req.has_param("sort") ? req.get_param_value("sort") : (q.q.empty() ? "updated" : "relevance");
  if (sort == "updated") {
    q.sort = SortKey::kUpdated;
  } else if (sort == "created") {
    q.sort = SortKey::kCreated;
  } else if (sort == "name") {
    q.sort = SortKey::kName;
  } else if (sort == "tokens") {
    q.sort = SortKey::kTokens;
  } else if (sort == "relevance") {
    q.sort = SortKey::kRelevance;
  } else {
    return Bad("sort", "must be updated, created, name, tokens or relevance");
  }
  std::string order = req.get_param_value("order");
  if (order.empty()) {
    q.descending = q.sort != SortKey::kName;
  } else if (order == "asc" || order == "desc") {
    q.descending = order == "desc";
  } else {
    return Bad("order", "must be asc or desc");
  }
  return q;
}

}  // namespace charchive::api
