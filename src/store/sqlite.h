// A thin RAII layer over SQLite: a connection opened in WAL mode with foreign
// keys, a busy wait and the search's ranking function (store/fts_relevance.h),
// prepared statements with typed binds and reads, and a scoped transaction. Errors come back as Status, never
// exceptions. A connection keeps the statements it prepared: a Statement, when destroyed, is reset and goes back to its
// Database, and the next Prepare of the same SQL takes it instead of parsing the SQL again.
//
// Thread safety: a Database and its Statements belong to one thread at a time
// (SQLite's multi-thread mode); use one connection per thread. A Statement
// must not outlive its Database.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/result.h"

namespace charchive {

class Database;

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3_stmt* stmt, Database* db) : stmt_(stmt), db_(db) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  // Binds by 1-based index.
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::nullopt_t);
  Statement& BindOptional(int index, const std::optional<std::string>& text);

  // Steps once: true when a row is ready, false when done.
  Result<bool> Step();
  // Steps until done (for statements without rows).
  Status Run();
  void Reset();

  int64_t Int(int column) const;
  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  Database* db_ = nullptr;
};

class Database {
 public:
  // Opens (creating) the file with WAL, foreign_keys=ON, a busy wait of
  // about 10 s that retries every 100 µs at first, and relevance().
  static Result<std::unique_ptr<Database>> Open(const std::string& path);
  ~Database();

  Status Exec(std::string_view sql);
  // A statement for `sql`: one this connection prepared before and got back,
  // else a new one.
  Result<Statement> Prepare(std::string_view sql);
  int64_t LastInsertId() const;
  int Changes() const;
  sqlite3* handle() const { return db_; }

 private:
  friend class Statement;
  // Statements kept per connection; past this many, all kept ones are
  // finalized and keeping starts over.
  static constexpr size_t kMaxKeptStatements = 64;
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };

  explicit Database(sqlite3* db) : db_(db) {}
  // Takes back a statement whose Statement is gone: reset and kept for its SQL.
  void Keep(sqlite3_stmt* stmt);
  void FinalizeKept();

  sqlite3* db_;
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>, SqlHash, std::equal_to<>> kept_;
  size_t kept_count_ = 0;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless Commit().
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> Begin(Database& db);
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Database& db) : db_(db) {}
  Database& db_;
  bool done_ = false;
};

// Status for the connection's last error, with the given context.
Status SqliteError(sqlite3* db, const std::string& context);

}  // namespace charchive
