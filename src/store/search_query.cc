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

std::string ToFtsQuery(const std::string& user_query) {
  if (UsesFtsSyntax(user_query)) return user_query;
  std::istringstream words(user_query);
  std::string w, out;
  while (words >> w) {
    if (!out.empty()) out += ' ';
    out += '"' + w + "\"*";
  }
  return out;
}

}  // namespace charchive
