#include "store/connection_pool.h"

#include <string>

namespace charchive {

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, acquire_timeout_, [&] { return !idle_.empty() || open_ < max_; })) {
    return Status::Internal("db_pool_exhausted", "no database connection came free in " +
                                                     std::to_string(acquire_timeout_.count()) + " ms (all " +
                                                     std::to_string(max_) + " in use)");
  }
  if (!idle_.empty()) {
    auto db = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(db));
  }
  ++open_;
  lock.unlock();
  auto db = Database::Open(path_);
  if (!db.ok()) {
    std::lock_guard relock(mu_);
    --open_;
    cv_.notify_one();
    return db.status();
  }
  return Lease(this, std::move(db).value());
}

void ConnectionPool::Release(std::unique_ptr<Database> db) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(db));
  cv_.notify_one();
}

}  // namespace charchive
