#include "store/search_query.h"

#include <gtest/gtest.h>

namespace charchive {
namespace {

TEST(SearchQueryTest, PlainWordsArePrefixSearches) {
  EXPECT_EQ(ToFtsQuery("sera heal"), "\"sera\"* AND \"heal\"*");
  EXPECT_EQ(ToFtsQuery("name:sera OR heal"), "name:sera OR heal");  // FTS5 syntax passes through
}

TEST(SearchQueryTest, AnExpandedWordIsAnOrOfItsTerms) {
  TermExpander expand = [](const std::string& word) -> std::optional<std::vector<std::string>> {
    if (word == "guardian") return std::vector<std::string>{"guardian", "guardians"};
    if (word == "merchant") return std::vector<std::string>{"merchant"};
    return std::nullopt;
  };
  EXPECT_EQ(ToFtsQuery("sera guardian merchant", expand),
            "\"sera\"* AND (\"guardian\" OR \"guardians\") AND \"merchant\"");
}

}  // namespace
}  // namespace charchive
