#include "api/guarded_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <thread>

#include "api/errors.h"
#include "api/json_response.h"
#include "api/request_log.h"

namespace charchive::api {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Whether the request this thread serves ran out of time (its head or body
// did not arrive by the deadline); read by GuardedServer::RequestTimedOut.
thread_local bool t_request_timed_out = false;
// The Accept-Encoding the client sent with the request this thread serves,
// before "br" was dropped from it; read by GuardedServer::ClientAcceptEncoding.
thread_local std::string t_client_accept_encoding;

// Waits until `sock` is readable (POLLIN) or writable; false on timeout or error.
bool WaitFor(socket_t sock, short events, milliseconds timeout) {
  if (timeout.count() <= 0) return false;
  pollfd pfd{sock, events, 0};
  int rc;
  do {
    rc = ::poll(&pfd, 1, static_cast<int>(std::min<int64_t>(timeout.count(), 1 << 30)));
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

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? "" : std::string(s.substr(b, e - b + 1));
}

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// An Accept-Encoding value without its "br" entries.
std::string WithoutBrotli(std::string_view value) {
  std::string out;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    std::string entry =
        Trim(value.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!entry.empty() && !SameName(Trim(std::string_view(entry).substr(0, entry.find(';'))), "br")) {
      out += (out.empty() ? "" : ", ") + entry;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

enum class Head { kRequest, kClosed, kTimedOut, kTooLarge };

// One connection's bytes as httplib reads them: a request's head (read whole
// here first, within the limits), then exactly its body's bytes, then end of
// stream until the next request starts. Reads share the request's deadline.
class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(socket_t sock, const ConnectionLimits& limits) : sock_(sock), limits_(limits) {}

  bool HasBufferedBytes() const { return in_pos_ < in_.size(); }
  bool timed_out() const { return timed_out_; }
  // Whether httplib left some of the declared body unread (a refused request):
  // the connection cannot carry another request.
  bool body_unread() const { return body_left_ > 0; }

  // Reads the next request's head. The deadline starts now (the first byte
  // is there or on its way).
  Head ReadHead() {
    started_ = Clock::now();
    received_ = 0;
    timed_out_ = false;
    t_request_timed_out = false;
    t_client_accept_encoding.clear();
    head_.clear();
    head_pos_ = 0;
    body_left_ = 0;
    size_t scanned = 0;  // bytes after in_pos_ known to hold no end of head (Fill keeps them there)
    for (;;) {
      std::string_view pending = std::string_view(in_).substr(in_pos_);
      size_t end = pending.find("\r\n\r\n", scanned);
      size_t terminator = 4;
      size_t lf = pending.find("\n\n", scanned);
      if (lf != std::string_view::npos && (end == std::string_view::npos || lf < end)) {
        end = lf;
        terminator = 2;
      }
      if (end != std::string_view::npos) {
        if (end + terminator > limits_.max_head_bytes) return Head::kTooLarge;
        Frame(pending.substr(0, end + terminator));
        in_pos_ += end + terminator;
        if (std::count(head_.begin(), head_.end(), '\n') > static_cast<ptrdiff_t>(limits_.max_header_lines + 2)) {
          return Head::kTooLarge;
        }
        return Head::kRequest;
      }
      if (pending.size() > limits_.max_head_bytes ||
          static_cast<size_t>(std::count(pending.begin(), pending.end(), '\n')) > limits_.max_header_lines + 2) {
        return Head::kTooLarge;
      }
      scanned = pending.size() >= 3 ? pending.size() - 3 : 0;
      ssize_t n = Fill();
      if (n == 0) return Head::kClosed;
      if (n < 0) return timed_out_ ? Head::kTimedOut : Head::kClosed;
    }
  }

  bool is_readable() const override {
    if (head_pos_ < head_.size()) return true;
    if (body_left_ == 0 || HasBufferedBytes()) return true;  // a read returns at once
    return WaitFor(sock_, POLLIN, Budget());
  }
  bool is_writable() const override { return WaitFor(sock_, POLLOUT, limits_.write_timeout); }

  ssize_t read(char* ptr, size_t size) override {
    if (head_pos_ < head_.size()) {
      size_t n = std::min(size, head_.size() - head_pos_);
      std::memcpy(ptr, head_.data() + head_pos_, n);
      head_pos_ += n;
      return static_cast<ssize_t>(n);
    }
    if (body_left_ == 0) return 0;
    if (!HasBufferedBytes()) {
      ssize_t got = Fill();
      if (got <= 0) return got;
    }
    size_t n = std::min({size, in_.size() - in_pos_, static_cast<size_t>(body_left_)});
    std::memcpy(ptr, in_.data() + in_pos_, n);
    in_pos_ += n;
    body_left_ -= n;
    return static_cast<ssize_t>(n);
  }

  // Whether the answer was 400 or 414: the request was malformed, and what
  // follows it on the connection cannot be trusted to be a request.
  bool answered_malformed() const { return answered_malformed_; }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    std::string_view start(ptr, std::min<size_t>(size, 12));
    if (start == "HTTP/1.1 400" || start == "HTTP/1.1 414") answered_malformed_ = true;
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
  // The request's time so far: the deadline, plus what its bytes earned.
  milliseconds Budget() const {
    auto earned = milliseconds(received_ * 1000 / std::max<size_t>(limits_.min_bytes_per_second, 1));
    auto left = std::chrono::duration_cast<milliseconds>(started_ + limits_.request_deadline + earned - Clock::now());
    return left;
  }

  // Appends what the socket has to the buffer: >0 bytes, 0 at the end of the
  // stream, -1 on error or when the request's time is up.
  ssize_t Fill() {
    if (in_pos_ == in_.size()) {
      in_.clear();
      in_pos_ = 0;
    } else if (in_pos_ > (64u << 10)) {
      in_.erase(0, in_pos_);
      in_pos_ = 0;
    }
    if (!WaitFor(sock_, POLLIN, Budget())) {
      timed_out_ = Budget().count() <= 0;
      t_request_timed_out = timed_out_;
      return -1;
    }
    char buf[16 * 1024];
    ssize_t n;
    do {
      n = ::recv(sock_, buf, sizeof buf, 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
      in_.append(buf, static_cast<size_t>(n));
      received_ += static_cast<size_t>(n);
    }
    return n;
  }

  // Takes the head as httplib will read it and the body's length from it.
  void Frame(std::string_view head) {
    bool chunked = false;
    std::optional<uint64_t> length;
    size_t line_start = 0;
    bool first = true;
    while (line_start < head.size()) {
      size_t nl = head.find('\n', line_start);
      std::string_view line =
          head.substr(line_start, nl == std::string_view::npos ? std::string_view::npos : nl + 1 - line_start);
      line_start = nl == std::string_view::npos ? head.size() : nl + 1;
      size_t colon = line.find(':');
      if (first || colon == std::string_view::npos) {
        head_ += line;
        first = false;
        continue;
      }
      std::string_view name = line.substr(0, colon);
      std::string value = Trim(line.substr(colon + 1));
      if (SameName(name, "Accept-Encoding")) {
        t_client_accept_encoding = value;
        head_ += std::string(name) + ": " + WithoutBrotli(value) + "\r\n";
        continue;
      }
      if (SameName(name, "Transfer-Encoding")) chunked = true;
      if (SameName(name, "Content-Length") && !length) {
        bool digits =
            !value.empty() && value.size() <= 19 && value.find_first_not_of("0123456789") == std::string::npos;
        length = digits ? std::stoull(value) : 0;
      }
      head_ += line;
    }
    // A chunked body is refused before it is read (api/server.cc), and one
    // without a length is empty: neither gives httplib bytes to read.
    body_left_ = chunked || !length ? 0 : *length;
  }

  socket_t sock_;
  const ConnectionLimits& limits_;
  std::string in_;  // bytes from the socket not yet given to httplib
  size_t in_pos_ = 0;
  std::string head_;  // the current request's head, as httplib reads it
  size_t head_pos_ = 0;
  uint64_t body_left_ = 0;
  Clock::time_point started_;
  size_t received_ = 0;
  bool timed_out_ = false;
  bool answered_malformed_ = false;
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

// Answers a request this layer refuses before httplib reads it, then closes
// the connection; the answer is logged as httplib's are (api/request_log.h).
void Refuse(ConnectionStream& strm, const std::string& headers_text, int status, const char* status_text,
            std::string_view kind, const std::string& message) {
  httplib::Request req;
  strm.get_remote_ip_and_port(req.remote_addr, req.remote_port);
  httplib::Response res;
  res.status = status;
  WriteError(res, status, kind, message);
  res.set_header("Content-Length", std::to_string(res.body.size()));
  std::string response =
      "HTTP/1.1 " + std::to_string(status) + " " + status_text + "\r\n" + headers_text +
      "Content-Type: application/json; charset=utf-8\r\nContent-Length: " + std::to_string(res.body.size()) +
      "\r\nConnection: close\r\n\r\n" + res.body;
  for (size_t sent = 0; sent < response.size();) {
    ssize_t n = strm.write(response.data() + sent, response.size() - sent);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  LogRequest(req, res);
}

}  // namespace

bool GuardedServer::RequestTimedOut() { return t_request_timed_out; }

const std::string& GuardedServer::ClientAcceptEncoding() { return t_client_accept_encoding; }

GuardedServer::GuardedServer(ConnectionLimits limits, httplib::Headers headers) : limits_(limits) {
  for (const auto& [name, value] : headers) headers_text_ += name + ": " + value + "\r\n";
  set_default_headers(std::move(headers));
  // What httplib writes in each response's Keep-Alive header.
  set_keep_alive_max_count(limits_.keep_alive_requests);
  set_keep_alive_timeout(limits_.keep_alive_idle.count());
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

GuardedServer::~GuardedServer() {
  if (listener_ != INVALID_SOCKET) ::close(listener_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

Result<int> GuardedServer::Bind(const std::string& host, int port) {
  auto failed = [&](const std::string& why) {
    return Status::IoError(api_error::kBindFailed,
                           "cannot listen on " + host + ":" + std::to_string(port) + " (" + why + ")");
  };
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found) {
    return failed("unknown address");
  }
  std::string error = "no address";
  for (addrinfo* a = found; a && listener_ == INVALID_SOCKET; a = a->ai_next) {
    socket_t sock = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (sock < 0) continue;
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(sock, a->ai_addr, a->ai_addrlen) == 0 && ::listen(sock, SOMAXCONN) == 0) {
      listener_ = sock;
    } else {
      error = std::strerror(errno);
      if (errno == EADDRINUSE) error += "; is another server running there?";
      ::close(sock);
    }
  }
  ::freeaddrinfo(found);
  if (listener_ == INVALID_SOCKET) return failed(error);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &len);
  std::string ip;
  int bound_port = 0;
  AddressOf(bound, ip, bound_port);
  // httplib's streamed responses (content providers) stop once this is
  // invalid: Stop() sets it so.
  svr_sock_ = listener_;
  return bound_port;
}

bool GuardedServer::Serve() {
  bool ok = true;
  while (!stopping_) {
    {
      std::unique_lock lock(mu_);
      if (connections_ >= limits_.max_connections) {
        lock.unlock();
        CloseAnIdleConnection();
        lock.lock();
        connections_cv_.wait_for(lock, milliseconds(100),
                                 [&] { return stopping_ || connections_ < limits_.max_connections; });
        continue;
      }
    }
    pollfd pfds[2] = {{listener_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (::poll(pfds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      ok = false;
      break;
    }
    if (pfds[1].revents) break;
    socket_t sock = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (sock < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        std::this_thread::sleep_for(milliseconds(10));  // out of descriptors: let connections end
        continue;
      }
      if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED || errno == EPROTO) continue;
      ok = false;
      break;
    }
    int yes = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    {
      std::lock_guard lock(mu_);
      ++connections_;
    }
    std::thread([this, sock] {
      ServeConnection(sock);
      std::lock_guard lock(mu_);
      --connections_;
      connections_cv_.notify_all();  // under the lock: Serve() may return, and `this` go, right after
    }).detach();
  }
  stopping_ = true;
  svr_sock_ = INVALID_SOCKET;
  ::close(listener_);
  listener_ = INVALID_SOCKET;
  std::unique_lock lock(mu_);
  connections_cv_.wait(lock, [&] { return connections_ == 0; });
  return ok;
}

void GuardedServer::Stop() {
  stopping_ = true;
  svr_sock_ = INVALID_SOCKET;
  uint64_t one = 1;
  if (::write(wake_fd_, &one, sizeof one) < 0) {
    // The counter is already set: Serve() wakes either way.
  }
  std::lock_guard lock(mu_);
  connections_cv_.notify_all();
}

void GuardedServer::CloseAnIdleConnection() {
  std::lock_guard lock(mu_);
  // Its thread wakes with end-of-stream and closes it; the descriptor stays
  // valid until then, since the thread leaves idle_ under this lock first.
  if (!idle_.empty()) ::shutdown(*idle_.begin(), SHUT_RDWR);
}

template <typename Stream>
bool GuardedServer::WaitForRequest(Stream& strm) {
  if (strm.HasBufferedBytes()) return true;
  socket_t sock = strm.socket();
  {
    std::lock_guard lock(mu_);
    idle_.insert(sock);
  }
  auto until = Clock::now() + limits_.keep_alive_idle;
  bool ready = false;
  while (!stopping_) {
    auto left = std::chrono::duration_cast<milliseconds>(until - Clock::now());
    if (left.count() <= 0) break;
    if (WaitFor(sock, POLLIN, std::min(left, milliseconds(100)))) {
      ready = true;
      break;
    }
  }
  std::lock_guard lock(mu_);
  idle_.erase(sock);
  return ready;
}

void GuardedServer::ServeConnection(socket_t sock) {
  ConnectionStream strm(sock, limits_);
  for (size_t served = 0; served < limits_.keep_alive_requests && !stopping_; ++served) {
    if (!WaitForRequest(strm)) break;
    MarkRequestStart();  // a refusal's line counts from here; routing marks again
    Head head = strm.ReadHead();
    if (head == Head::kTooLarge) {
      Refuse(strm, headers_text_, 431, "Request Header Fields Too Large", api_error::kHeadersTooLarge,
             "the request head is larger than " + std::to_string(limits_.max_head_bytes >> 10) +
                 " KiB or has more than " + std::to_string(limits_.max_header_lines) + " header lines");
      break;
    }
    if (head == Head::kTimedOut) {
      Refuse(strm, headers_text_, 408, "Request Timeout", api_error::kRequestTimeout,
             "the request head did not arrive within " + std::to_string(limits_.request_deadline.count()) + " ms");
      break;
    }
    if (head != Head::kRequest) break;  // closed before a whole head arrived: no one to answer
    bool connection_closed = false;
    bool last = served + 1 == limits_.keep_alive_requests || stopping_;
    bool ok = process_request(strm, last, connection_closed, nullptr);
    if (!ok || connection_closed || strm.timed_out() || strm.body_unread() || strm.answered_malformed()) break;
  }
  LingeringClose(sock);
}

}  // namespace charchive::api
