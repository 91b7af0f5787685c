#include "store/watch_repository.h"

namespace charchive {

const char* WatchFileStatusName(WatchFileStatus status) {
  return status == WatchFileStatus::kRefused ? "refused" : "card";
}

namespace watch_repository {
namespace {

constexpr char kNow[] = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
constexpr char kFileColumns[] = "path, card_id, size, mtime_ns, status, message, seen_at";

WatchedFile ReadRow(const Statement& s) {
  WatchedFile f{.path = s.Text(0),
                .size = s.Int(2),
                .mtime_ns = s.Int(3),
                .status = s.Text(4) == "refused" ? WatchFileStatus::kRefused : WatchFileStatus::kCard,
                .message = s.Text(5),
                .seen_at = s.Text(6)};
  if (!s.IsNull(1)) f.card_id = s.Int(1);
  return f;
}

}  // namespace

Result<std::vector<std::string>> ListFolders(Database& db) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT path FROM watch_folders ORDER BY path"));
  std::vector<std::string> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    out.push_back(q.Text(0));
  }
}

Status ReplaceFolders(Database& db, const std::vector<std::string>& paths) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db));
  CHARCHIVE_RETURN_IF_ERROR(db.Exec("DELETE FROM watch_folders"));
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement insert,
      db.Prepare(std::string("INSERT OR IGNORE INTO watch_folders(path, added_at) VALUES (?, ") + kNow + ")"));
  for (const auto& path : paths) {
    insert.Reset();
    CHARCHIVE_RETURN_IF_ERROR(insert.Bind(1, path).Run());
  }
  return tx->Commit();
}

Result<std::map<std::string, WatchedFile>> GetFiles(Database& db, const std::vector<std::string>& paths) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q,
                             db.Prepare(std::string("SELECT ") + kFileColumns + " FROM watch_files WHERE path = ?"));
  std::map<std::string, WatchedFile> out;
  for (const auto& path : paths) {
    q.Reset();
    q.Bind(1, path);
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (row) out.emplace(path, ReadRow(q));
  }
  return out;
}

Status PutFiles(Database& db, const std::vector<WatchedFile>& files) {
  if (files.empty()) return Status::Ok();
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db));
  CHARCHIVE_ASSIGN_OR_RETURN(Statement put, db.Prepare(std::string("INSERT OR REPLACE INTO watch_files(") +
                                                       kFileColumns + ") VALUES (?, ?, ?, ?, ?, ?, " + kNow + ")"));
  for (const auto& f : files) {
    put.Reset();
    put.Bind(1, f.path);
    if (f.card_id) {
      put.Bind(2, *f.card_id);
    } else {
      put.Bind(2, std::nullopt);
    }
    put.Bind(3, f.size).Bind(4, f.mtime_ns).Bind(5, WatchFileStatusName(f.status));
    CHARCHIVE_RETURN_IF_ERROR(put.Bind(6, f.message).Run());
  }
  return tx->Commit();
}

Result<std::vector<WatchedFile>> RecentFiles(Database& db, int64_t limit) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare(std::string("SELECT ") + kFileColumns +
                                                     " FROM watch_files ORDER BY seen_at DESC, path LIMIT ?"));
  q.Bind(1, limit);
  std::vector<WatchedFile> out;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    out.push_back(ReadRow(q));
  }
}

}  // namespace watch_repository
}  // namespace charchive
