#include "store/fts_long_terms.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/archive.h"
#include "store/migrations.h"
#include "testing/test_cards.h"

namespace charchive {
namespace {

using testing::MakeCardPng;
using testing::MakeV2Card;
using testing::TempDir;

class FtsLongTermsTest : public ::testing::Test {
 protected:
  void SetUp() override { archive_ = std::move(Archive::Open(dir_.path().string())).value(); }
  CardId Import(const std::string& name, const std::string& description) {
    return archive_->ImportBytes(MakeCardPng(MakeV2Card(name, description)), name + ".png").id.value_or(0);
  }
  std::set<CardId> Search(const std::string& q) {
    ListQuery query;
    query.q = q;
    query.limit = 500;
    auto page = archive_->List(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::set<CardId> out;
    if (page.ok()) {
      for (const auto& card : page->items) out.insert(card.id);
    }
    return out;
  }
  std::optional<std::vector<std::string>> Expand(const std::string& word) {
    auto db = std::move(archive_->pool().Acquire()).value();
    return fts_long_terms::Expand(*db, word);
  }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(FtsLongTermsTest, ALongWordIsTheTermsItBegins) {
  CardId one = Import("Ada", "A Guardian of the gate");
  CardId many = Import("Bo", "the guardians sleep");
  CardId accent = Import("Cy", "Guardiánship, with an accent");
  Import("Di", "a guard, a garden");
  EXPECT_EQ(Expand("guardian"), (std::vector<std::string>{"guardian", "guardians", "guardianship"}));
  EXPECT_EQ(Expand("GUARDIANS"), (std::vector<std::string>{"guardians", "guardianship"}));
  EXPECT_EQ(Search("guardian"), (std::set<CardId>{one, many, accent}));
  EXPECT_EQ(Search("Guardián gate"), (std::set<CardId>{one}));
  EXPECT_EQ(Search("guardianship"), (std::set<CardId>{accent}));
  EXPECT_EQ(Expand("guardianx"), (std::vector<std::string>{"guardianx"}));  // in no card: matches nothing
  EXPECT_TRUE(Search("guardianx").empty());
}

TEST_F(FtsLongTermsTest, ShortWordsAndWordsOfManyTermsStayPrefixSearches) {
  EXPECT_EQ(Expand("guard"), std::nullopt);       // the prefix index answers it
  EXPECT_EQ(Expand("half-elven"), std::nullopt);  // two tokens: a phrase
  std::string description;
  for (size_t i = 0; i <= fts_long_terms::kMaxExpansion; ++i) description += "wanderer" + std::to_string(i) + " ";
  CardId wanderer = Import("Ed", description);
  EXPECT_EQ(Expand("wanderer"), std::nullopt);
  EXPECT_EQ(Search("wanderer"), (std::set<CardId>{wanderer}));
}

// Migration 16 reads the long terms of an archive indexed before it.
TEST_F(FtsLongTermsTest, TheMigrationReadsTheTermsAlreadyIndexed) {
  CardId old = Import("Ada", "an ancient merchant");
  {
    auto db = std::move(archive_->pool().Acquire()).value();
    ASSERT_TRUE(db->Exec("DROP TABLE fts_long_terms; DELETE FROM schema_migrations WHERE version = 16").ok());
    ASSERT_TRUE(ApplyMigrations(*db).ok());
  }
  EXPECT_EQ(Expand("merchant"), (std::vector<std::string>{"merchant"}));
  EXPECT_EQ(Search("merchant"), (std::set<CardId>{old}));
}

}  // namespace
}  // namespace charchive
