// A small pool of SQLite connections to one database file, so request threads
// read concurrently (WAL) while writers take turns on SQLite's write lock.
//
// Thread safety: Acquire/release from any thread; a lease is used by one
// thread at a time.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite.h"

namespace charchive {

class ConnectionPool {
 public:
  ConnectionPool(std::string path, size_t max_connections) : path_(std::move(path)), max_(max_connections) {}

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Database> db) : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (db_) pool_->Release(std::move(db_));
    }
    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Database> db_;
  };

  // Waits for a free connection, opening a new one while under the maximum.
  Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<Database> db);

  std::string path_;
  size_t max_;
  size_t open_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Database>> idle_;
};

}  // namespace charchive
