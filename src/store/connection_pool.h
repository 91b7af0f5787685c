// A small pool of SQLite connections to one database file, so request threads
// read concurrently (WAL) while writers take turns on SQLite's write lock.
//
// Thread safety: Acquire/release from any thread; a lease is used by one
// thread at a time. A lease must not be held across network I/O, and a
// thread holding one must not wait for a second (the pool is small): Acquire
// gives up after a timeout with kind "db_pool_exhausted" instead of waiting
// forever.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite.h"

namespace charchive {

class ConnectionPool {
 public:
  static constexpr std::chrono::seconds kDefaultAcquireTimeout{30};

  ConnectionPool(std::string path, size_t max_connections,
                 std::chrono::milliseconds acquire_timeout = kDefaultAcquireTimeout)
      : path_(std::move(path)), max_(max_connections), acquire_timeout_(acquire_timeout) {}

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

  // Waits for a free connection, opening a new one while under the maximum;
  // fails with kind "db_pool_exhausted" when none is free within the timeout.
  Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<Database> db);

  std::string path_;
  size_t max_;
  std::chrono::milliseconds acquire_timeout_;
  size_t open_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Database>> idle_;
};

}  // namespace charchive
