#include "sources/source_client.h"

#include <algorithm>

namespace charchive::sources {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

bool PassesFilters(const ListedCard& card, const SourceFilters& filters) {
  if (!filters.nsfw && card.nsfw) return false;
  if (card.token_count < filters.min_tokens) return false;
  for (const auto& tag : filters.tags) {
    bool found =
        std::any_of(card.tags.begin(), card.tags.end(), [&](const std::string& t) { return Lower(t) == Lower(tag); });
    if (!found) return false;
  }
  if (!filters.creators.empty()) {
    bool followed = std::any_of(filters.creators.begin(), filters.creators.end(),
                                [&](const std::string& c) { return Lower(c) == Lower(card.creator); });
    if (!followed) return false;
  }
  return true;
}

}  // namespace charchive::sources
