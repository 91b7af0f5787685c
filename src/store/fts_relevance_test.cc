#include "store/fts_relevance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "store/sqlite.h"
#include "testing/test_cards.h"

namespace charchive {
namespace {

class FtsRelevanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(Database::Open(dir_.File("fts.db"))).value();
    ASSERT_TRUE(db_->Exec("CREATE VIRTUAL TABLE docs USING fts5(title, body, prefix = '2 3')").ok());
  }
  void Insert(const std::string& title, const std::string& body) {
    auto s = std::move(db_->Prepare("INSERT INTO docs(title, body) VALUES (?, ?)")).value();
    ASSERT_TRUE(s.Bind(1, title).Bind(2, body).Run().ok());
  }
  // (rowid, relevance, bm25) of every match, in rowid order.
  std::vector<std::tuple<int64_t, double, double>> Scores(const std::string& match) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(
        sqlite3_prepare_v2(db_->handle(),
                           "SELECT rowid, relevance(docs), bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY rowid", -1,
                           &stmt, nullptr),
        SQLITE_OK);
    sqlite3_bind_text(stmt, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<std::tuple<int64_t, double, double>> out;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      out.emplace_back(sqlite3_column_int64(stmt, 0), sqlite3_column_double(stmt, 1), sqlite3_column_double(stmt, 2));
    }
    EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errmsg(db_->handle());
    sqlite3_finalize(stmt);
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(FtsRelevanceTest, BelowTheCapItScoresAsBm25) {
  Insert("Seraphina", "a guardian of the forest, who heals the wounded of the forest");
  Insert("Knight", "a knight who guards the river");
  Insert("Forest witch", "she lives in the forest");
  Insert("Healer", "she heals; she heals all day long, in a long long story about healing");
  for (const char* match :
       {"forest", "\"hea\"*", "forest she", "forest OR knight", "title:forest", "NEAR(she heals)"}) {
    auto scores = Scores(match);
    ASSERT_FALSE(scores.empty()) << match;
    for (const auto& [rowid, relevance, bm25] : scores) {
      EXPECT_NEAR(relevance, bm25, 1e-9) << match << " row " << rowid;
      EXPECT_LT(relevance, 0) << match;  // lower is better, as bm25()
    }
  }
}

// Past kCountedMatches rows a phrase's row count is estimated from where its
// matches reached: a word in every fourth of 4,800 rows (1,200) comes out
// near its true weight, and a word in every row as weightless as in bm25().
TEST_F(FtsRelevanceTest, PastTheCapTheRowCountIsEstimated) {
  ASSERT_TRUE(db_->Exec("BEGIN").ok());
  for (int i = 1; i <= 4800; ++i) Insert("card", i % 4 == 0 ? "every fourth forest" : "plain text here");
  ASSERT_TRUE(db_->Exec("COMMIT").ok());
  for (const char* match : {"forest", "card", "card forest"}) {
    auto scores = Scores(match);
    ASSERT_FALSE(scores.empty()) << match;
    const auto& [rowid, relevance, bm25] = scores.front();
    EXPECT_NEAR(relevance, bm25, 1e-3 * std::abs(bm25) + 1e-9) << match;
  }
}

TEST_F(FtsRelevanceTest, ItRanksTheRarerWordHigher) {
  Insert("a", "common common rare");
  Insert("b", "common common common");
  Insert("c", "common");
  auto scores = Scores("common OR rare");
  ASSERT_EQ(scores.size(), 3u);
  EXPECT_LT(std::get<1>(scores[0]), std::get<1>(scores[1]));  // the row with the rare word is first
}

}  // namespace
}  // namespace charchive
