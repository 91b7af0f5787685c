#include "api/guarded_server.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "util/log.h"

namespace charchive::api {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Waits until `sock` is readable (POLLIN) or writable; false on timeout or error.
bool WaitFor(socket_t sock, short events, milliseconds timeout) {
  if (timeout.count() <= 0) return false;
  pollfd pfd{sock, events, 0};
  int rc;
  do {
    rc = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  return rc > 0 && (pfd.revents & (events | POLLHUP | POLLERR));
}

void AddressOf(const sockaddr_storage& addr, std::string& ip, int& port) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (addr.ss_family == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &a->sin_addr, buf, sizeof buf);
    port = ntohs(a->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf);
    port = ntohs(a->sin6_port);
  }
  ip = buf;
}

// A socket stream whose reads of a request's head share one deadline.
class DeadlineStream : public httplib::Stream {
 public:
  DeadlineStream(socket_t sock, milliseconds read_timeout, milliseconds write_timeout)
      : sock_(sock), read_timeout_(read_timeout), write_timeout_(write_timeout) {}

  // Waits up to `idle` for the next request's first byte; false when the
  // connection is idle, closed, or `stop` says the server is stopping.
  template <typename StopFn>
  bool WaitForRequest(milliseconds idle, StopFn stop) {
    if (pos_ < len_) return true;
    auto until = Clock::now() + idle;
    while (!stop()) {
      auto left = std::chrono::duration_cast<milliseconds>(until - Clock::now());
      if (left.count() <= 0) return false;
      if (WaitFor(sock_, POLLIN, std::min(left, milliseconds(100)))) return true;
    }
    return false;
  }

  void StartRequest(milliseconds head_deadline) {
    in_head_ = true;
    head_tail_ = 0;
    head_until_ = Clock::now() + head_deadline;
  }
  bool head_timed_out() const { return head_timed_out_; }

  bool is_readable() const override { return pos_ < len_ || WaitFor(sock_, POLLIN, ReadBudget()); }
  bool is_writable() const override { return WaitFor(sock_, POLLOUT, write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (pos_ == len_) {
      if (!Fill()) return -1;
      if (len_ == 0) return 0;  // the peer closed
    }
    size_t n = std::min(size, len_ - pos_);
    std::memcpy(ptr, buf_ + pos_, n);
    if (in_head_) TrackHead(buf_ + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) AddressOf(addr, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) AddressOf(addr, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  milliseconds ReadBudget() const {
    if (!in_head_) return read_timeout_;
    auto left = std::chrono::duration_cast<milliseconds>(head_until_ - Clock::now());
    return std::min(read_timeout_, left);
  }

  bool Fill() {
    if (!WaitFor(sock_, POLLIN, ReadBudget())) {
      if (in_head_ && Clock::now() >= head_until_) head_timed_out_ = true;
      return false;
    }
    ssize_t n;
    do {
      n = ::recv(sock_, buf_, sizeof buf_, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return false;
    pos_ = 0;
    len_ = static_cast<size_t>(n);
    return true;
  }

  // The head ends at the first CRLF CRLF (or LF LF, which httplib accepts too).
  void TrackHead(const char* p, size_t n) {
    for (size_t i = 0; i < n && in_head_; ++i) {
      head_tail_ = (head_tail_ << 8) | static_cast<unsigned char>(p[i]);
      if ((head_tail_ & 0xFFFFFFFFu) == 0x0D0A0D0Au || (head_tail_ & 0xFFFFu) == 0x0A0Au) in_head_ = false;
    }
  }

  socket_t sock_;
  milliseconds read_timeout_, write_timeout_;
  char buf_[4096];
  size_t pos_ = 0, len_ = 0;
  bool in_head_ = false;
  bool head_timed_out_ = false;
  uint32_t head_tail_ = 0;
  Clock::time_point head_until_;
};

// Closing a socket with unread bytes makes the kernel send a reset, and a
// client still sending (a refused upload) may lose the answer it was sent. So
// the write side is closed first and what keeps arriving is read and dropped
// for a while: until the client closes its side, pauses for 1 s (a loaded
// machine can stall a sender that long, even before its first byte after the
// answer), or 5 s have passed.
void LingeringClose(socket_t sock) {
  ::shutdown(sock, SHUT_WR);
  auto until = Clock::now() + milliseconds(5000);
  char sink[64 * 1024];
  milliseconds wait(1000);
  while (Clock::now() < until) {
    pollfd pfd{sock, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(wait.count())) <= 0) break;
    if (::recv(sock, sink, sizeof sink, 0) <= 0) break;
  }
  ::close(sock);
}

}  // namespace

GuardedServer::GuardedServer(milliseconds head_deadline, size_t threads) : head_deadline_(head_deadline) {
  new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  auto ms = [](time_t sec, time_t usec) { return milliseconds(sec * 1000 + usec / 1000); };
  DeadlineStream strm(sock, ms(read_timeout_sec_, read_timeout_usec_), ms(write_timeout_sec_, write_timeout_usec_));
  auto stopping = [this] { return svr_sock_ == INVALID_SOCKET; };
  bool ret = false;
  for (size_t left = keep_alive_max_count_; left > 0; --left) {
    if (!strm.WaitForRequest(milliseconds(keep_alive_timeout_sec_ * 1000), stopping)) break;
    strm.StartRequest(head_deadline_);
    bool connection_closed = false;
    ret = process_request(strm, left == 1, connection_closed, nullptr);
    // A head that missed its deadline ends the connection even when httplib
    // answered it (400), or a trickling client would just start over.
    if (strm.head_timed_out()) {
      std::string ip;
      int port = 0;
      strm.get_remote_ip_and_port(ip, port);
      log::Warn("request_refused", {{"reason", "head_timeout"}, {"client", ip}, {"deadline_ms", head_deadline_.count()}});
      break;
    }
    if (!ret || connection_closed) break;
  }
  LingeringClose(sock);
  return ret;
}

}  // namespace charchive::api
