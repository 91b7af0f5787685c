#include "util/periodic_worker.h"

#include <exception>

#include "util/log.h"

namespace charchive {

PeriodicWorker::PeriodicWorker(std::string name, Clock& clock, Clock::Duration period, Tick tick)
    : name_(std::move(name)), clock_(clock), period_(period), tick_(std::move(tick)) {}

PeriodicWorker::~PeriodicWorker() { Stop(); }

void PeriodicWorker::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  woken_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicWorker::Stop() {
  std::thread finished;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    finished = std::move(thread_);
  }
  cv_.notify_all();
  if (finished.joinable()) finished.join();
}

void PeriodicWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

bool PeriodicWorker::WaitUnlessStopped(Clock::Duration duration, const std::function<bool()>& ended) {
  std::unique_lock lock(mu_);
  return !clock_.WaitFor(lock, cv_, duration, [this, &ended] { return stopping_.load() || (ended && ended()); });
}

void PeriodicWorker::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    woken_ = false;
    // The period counts from the tick's start: time that passes while a
    // tick runs is not waited for again.
    const Clock::TimePoint next = clock_.Now() + period_;
    lock.unlock();
    RunTick();
    lock.lock();
    clock_.WaitUntil(lock, cv_, next, [this] { return stopping_ || woken_; });
  }
}

void PeriodicWorker::RunTick() {
  try {
    Status status = tick_();
    if (!status.ok()) log::Error("worker_tick_failed", {{"worker", name_}, {"error", status.ToString()}});
  } catch (const std::exception& e) {
    log::Error("worker_tick_failed", {{"worker", name_}, {"exception", e.what()}});
  } catch (...) {
    log::Error("worker_tick_failed", {{"worker", name_}, {"exception", "not a std::exception"}});
  }
}

}  // namespace charchive
