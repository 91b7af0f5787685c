#include "store/sqlite.h"

#include <chrono>
#include <thread>
#include <utility>

#include "store/errors.h"
#include "store/fts_relevance.h"

namespace charchive {

Status SqliteError(sqlite3* db, const std::string& context) {
  int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  std::string message = context + ": " + (db ? sqlite3_errmsg(db) : "no database");
  if ((code & 0xFF) == SQLITE_CONSTRAINT) return Status::Conflict(store_error::kConstraint, message);
  if ((code & 0xFF) == SQLITE_BUSY || (code & 0xFF) == SQLITE_LOCKED)
    return Status::IoError(store_error::kBusy, message);
  if ((code & 0xFF) == SQLITE_FULL)
    return Status::IoError(store_error::kDiskFull, message + " (no space left on the device)");
  if ((code & 0xFF) == SQLITE_CORRUPT || (code & 0xFF) == SQLITE_NOTADB)
    return Status::IoError(store_error::kCorrupt, message);
  return Status::IoError(store_error::kSqlite, message);
}

Statement::Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)), db_(other.db_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_) db_->Keep(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    db_ = other.db_;
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_) db_->Keep(stmt_);
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::nullopt_t) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::BindOptional(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, *text) : Bind(index, std::nullopt);
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_->handle(), "query failed");
}

Status Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

bool Statement::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

namespace {

// SQLite's own busy wait sleeps 1, 2, 5, 10… ms between tries, so writers of
// one process (a bulk push's workers) waited milliseconds for a write lock
// held for tens of microseconds. This one tries every 100 µs for the first
// 10 ms, then every 2 ms, and gives up after about 10 s (store_error::kBusy).
int RetryWhileBusy(void*, int tries) {
  constexpr int kQuickTries = 100;                        // 100 µs each: the first 10 ms
  constexpr int kTries = kQuickTries + (10000 - 10) / 2;  // then 2 ms each, to 10 s
  if (tries >= kTries) return 0;
  std::this_thread::sleep_for(tries < kQuickTries ? std::chrono::microseconds(100) : std::chrono::microseconds(2000));
  return 1;
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db, "cannot open " + path);
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<Database> database(new Database(db));
  sqlite3_busy_handler(db, &RetryWhileBusy, nullptr);
  CHARCHIVE_RETURN_IF_ERROR(RegisterFtsRelevance(db));
  // The page cache may grow to 64 MiB: with SQLite's default, 2 MiB, an import
  // batch's index pages did not fit and were read again and again (10,000
  // cards: 7.1-8.1 s, now 5.8 s). A limit, not an allocation.
  // The WAL is copied into the database once it holds 16,384 pages (64 MiB),
  // not SQLite's 1,000: an import batch writes ~4,000, so each batch was
  // followed by a checkpoint and its sync, and the index pages every batch
  // touches were copied again each time. 100,000 cards imported in 53-69 s
  // where they took 66-83 s in the same hour, alternating the two.
  CHARCHIVE_RETURN_IF_ERROR(
      database->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                     "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=16384;"));
  return database;
}

Database::~Database() {
  FinalizeKept();
  sqlite3_close_v2(db_);
}

void Database::FinalizeKept() {
  for (auto& [sql, statements] : kept_) {
    for (sqlite3_stmt* stmt : statements) sqlite3_finalize(stmt);
  }
  kept_.clear();
  kept_count_ = 0;
}

Status Database::Exec(std::string_view sql) {
  char* error = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    Status s = SqliteError(db_, "statement failed");
    sqlite3_free(error);
    return s;
  }
  return Status::Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  if (auto kept = kept_.find(sql); kept != kept_.end() && !kept->second.empty()) {
    sqlite3_stmt* stmt = kept->second.back();
    kept->second.pop_back();
    --kept_count_;
    return Statement(stmt, this);
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
      SQLITE_OK) {
    return SqliteError(db_, "cannot prepare");
  }
  return Statement(stmt, this);
}

void Database::Keep(sqlite3_stmt* stmt) {
  // sqlite3_sql is the text given to prepare; a statement of several (Exec's
  // job) is never prepared here, so it is the whole of `sql`.
  const char* sql = sqlite3_sql(stmt);
  if (sql == nullptr) {
    sqlite3_finalize(stmt);
    return;
  }
  if (kept_count_ >= kMaxKeptStatements) {  // many different SQL texts: start over
    FinalizeKept();
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  kept_[sql].push_back(stmt);
  ++kept_count_;
}

int64_t Database::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Database::Changes() const { return sqlite3_changes(db_); }

Result<std::unique_ptr<Transaction>> Transaction::Begin(Database& db) {
  CHARCHIVE_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return std::unique_ptr<Transaction>(new Transaction(db));
}

Transaction::~Transaction() {
  if (!done_) db_.Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Status s = db_.Exec("COMMIT");
  if (s.ok()) done_ = true;
  return s;
}

}  // namespace charchive
