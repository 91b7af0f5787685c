#include "store/sqlite.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/test_cards.h"

namespace charchive {
namespace {

// How many statements the connection holds, finalized or not.
int PreparedStatements(Database& db) {
  int n = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db.handle(), nullptr); s != nullptr; s = sqlite3_next_stmt(db.handle(), s))
    ++n;
  return n;
}

std::unique_ptr<Database> OpenWithRows(const testing::TempDir& dir) {
  auto db = Database::Open(dir.File("t.db"));
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_TRUE((*db)->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('a'), ('b')").ok());
  return std::move(db).value();
}

TEST(StatementCacheTest, TheSameSqlIsPreparedOnceAndComesBackReset) {
  testing::TempDir dir;
  auto db = OpenWithRows(dir);
  for (int i = 0; i < 10; ++i) {
    auto s = db->Prepare("SELECT v FROM t WHERE id >= ? ORDER BY id");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    // Left mid-way on the previous round: it starts again from its first row.
    ASSERT_TRUE(*s->Bind(1, int64_t{1}).Step());
    EXPECT_EQ(s->Text(0), "a");
  }
  EXPECT_EQ(PreparedStatements(*db), 1);
}

TEST(StatementCacheTest, AKeptStatementHasNoBindingsLeft) {
  testing::TempDir dir;
  auto db = OpenWithRows(dir);
  {
    auto s = db->Prepare("SELECT ? IS NULL");
    ASSERT_TRUE(s.ok());
    s->Bind(1, "bound");
    ASSERT_TRUE(*s->Step());
    EXPECT_EQ(s->Int(0), 0);
  }
  auto again = db->Prepare("SELECT ? IS NULL");
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(*again->Step());
  EXPECT_EQ(again->Int(0), 1);
}

TEST(StatementCacheTest, TwoLiveStatementsOfOneSqlAreIndependent) {
  testing::TempDir dir;
  auto db = OpenWithRows(dir);
  auto first = db->Prepare("SELECT v FROM t ORDER BY id");
  auto second = db->Prepare("SELECT v FROM t ORDER BY id");
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(*first->Step());
  ASSERT_TRUE(*first->Step());
  ASSERT_TRUE(*second->Step());
  EXPECT_EQ(first->Text(0), "b");
  EXPECT_EQ(second->Text(0), "a");
}

TEST(StatementCacheTest, AStatementLeftMidWayHoldsNoReadTransaction) {
  testing::TempDir dir;
  auto db = OpenWithRows(dir);
  {
    auto s = db->Prepare("SELECT v FROM t ORDER BY id");
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(*s->Step());
  }
  EXPECT_TRUE(sqlite3_get_autocommit(db->handle()));
  // A full checkpoint needs every reader gone; a kept, unreset statement would pin the WAL.
  ASSERT_TRUE(db->Exec("INSERT INTO t(v) VALUES ('c')").ok());
  int log = -1, done = -1;
  ASSERT_EQ(sqlite3_wal_checkpoint_v2(db->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &done), SQLITE_OK);
}

TEST(StatementCacheTest, ManyDifferentSqlTextsStayBounded) {
  testing::TempDir dir;
  auto db = OpenWithRows(dir);
  for (int i = 0; i < 500; ++i) {
    auto s = db->Prepare("SELECT " + std::to_string(i));
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(*s->Step());
    EXPECT_EQ(s->Int(0), i);
  }
  EXPECT_LE(PreparedStatements(*db), 65);
}

TEST(StatementCacheTest, AFailedStepLeavesAReusableStatement) {
  testing::TempDir dir;
  auto db = OpenWithRows(dir);
  ASSERT_TRUE(db->Exec("CREATE TABLE u(v TEXT NOT NULL)").ok());
  {
    auto s = db->Prepare("INSERT INTO u(v) VALUES (?)");
    ASSERT_TRUE(s.ok());
    EXPECT_FALSE(s->Bind(1, std::nullopt).Run().ok());
  }
  auto s = db->Prepare("INSERT INTO u(v) VALUES (?)");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->Bind(1, "x").Run().ok());
}

}  // namespace
}  // namespace charchive
