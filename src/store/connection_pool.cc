#include "store/connection_pool.h"

namespace charchive {

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
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
