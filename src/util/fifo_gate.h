// A gate that lets at most `slots` holders through at once and the waiting
// ones in the order they came: a ticket each, served in turn (a counting
// semaphore lets a newcomer overtake threads that have waited longer, which
// starved some of them for over a hundred milliseconds under load).
//
// Thread safety: Enter from any thread; a Pass is released by its destructor,
// on any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

namespace charchive {

class FifoGate {
 public:
  explicit FifoGate(int64_t slots) : slots_(slots > 0 ? slots : 1) {}
  FifoGate(const FifoGate&) = delete;
  FifoGate& operator=(const FifoGate&) = delete;

  // A holder's place through the gate, released when it goes.
  class Pass {
   public:
    explicit Pass(FifoGate* gate) : gate_(gate) {}
    Pass(Pass&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Pass& operator=(Pass&& other) noexcept {
      std::swap(gate_, other.gate_);  // `other` releases what this held
      return *this;
    }
    ~Pass() {
      if (gate_) gate_->Leave();
    }

   private:
    FifoGate* gate_;
  };

  // Waits for this caller's turn; nullopt when it has not come in `timeout`
  // (the caller's ticket is then given up, and those behind it move on).
  std::optional<Pass> Enter(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    const uint64_t ticket = next_ticket_++;
    ++waiting_;
    if (!turn_.wait_for(lock, timeout, [&] { return Admits(ticket); })) {
      --waiting_;
      abandoned_.insert(ticket);
      SkipAbandoned();
      turn_.notify_all();
      return std::nullopt;
    }
    --waiting_;
    ++inside_;
    ++admitted_;
    SkipAbandoned();
    turn_.notify_all();  // the next in line may have a free slot
    return Pass(this);
  }

  // Callers waiting for their turn.
  int64_t Waiting() {
    std::lock_guard lock(mu_);
    return waiting_;
  }

 private:
  // Tickets are admitted in order: `admitted_` is the next one due.
  bool Admits(uint64_t ticket) const { return ticket == admitted_ && inside_ < slots_; }

  void SkipAbandoned() {
    while (abandoned_.erase(admitted_) > 0) ++admitted_;
  }

  void Leave() {
    std::lock_guard lock(mu_);
    --inside_;
    turn_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable turn_;
  const int64_t slots_;
  int64_t inside_ = 0;
  int64_t waiting_ = 0;
  uint64_t next_ticket_ = 0;
  uint64_t admitted_ = 0;
  std::set<uint64_t> abandoned_;  // tickets that timed out before their turn
};

}  // namespace charchive
