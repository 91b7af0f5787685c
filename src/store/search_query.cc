#include "store/search_query.h"

#include <sstream>

namespace charchive {
namespace {

bool UsesFtsSyntax(const std::string& q) {
  if (q.find_first_of("\"*^():+") != std::string::npos) return true;
  std::istringstream words(q);
  std::string w;
  while (words >> w) {
    if (w == "AND" || w == "OR" || w == "NOT" || w == "NEAR") return true;
  }
  return false;
}

}  // namespace

std::string ToFtsQuery(const std::string& user_query, const TermExpander& expand) {
  if (UsesFtsSyntax(user_query)) return user_query;
  std::istringstream words(user_query);
  std::string w, out;
  while (words >> w) {
    if (!out.empty()) out += " AND ";  // FTS5 takes no implicit AND after a group
    std::optional<std::vector<std::string>> terms;
    if (expand) terms = expand(w);
    if (!terms || terms->empty()) {
      out += '"' + w + "\"*";
      continue;
    }
    if (terms->size() > 1) out += '(';
    for (size_t i = 0; i < terms->size(); ++i) out += (i ? " OR \"" : "\"") + (*terms)[i] + '"';
    if (terms->size() > 1) out += ')';
  }
  return out;
}

}  // namespace charchive
