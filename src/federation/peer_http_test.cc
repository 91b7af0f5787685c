#include "federation/peer_http.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "federation/request_watchdog.h"

namespace charchive::federation {
namespace {

using Clock = std::chrono::steady_clock;

// A loopback peer that answers every request with a head promising 1000
// bytes, then drips one byte every 20 ms until the client goes away.
class DrippingPeer {
 public:
  DrippingPeer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 64);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] {
      for (;;) {
        pollfd pfd{listener_, POLLIN, 0};
        if (::poll(&pfd, 1, 50) == 0) {
          if (quit_) return;
          continue;
        }
        int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) return;
        connections_.emplace_back([this, fd] { Drip(fd); });
      }
    });
  }
  ~DrippingPeer() {
    quit_ = true;
    acceptor_.join();
    for (auto& t : connections_) t.join();
    ::close(listener_);
  }
  int port() const { return port_; }

 private:
  void Drip(int fd) {
    char buf[4096];
    ::recv(fd, buf, sizeof buf, 0);
    std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n";
    ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    for (int i = 0; i < 1000 && !quit_; ++i) {
      if (::send(fd, "x", 1, MSG_NOSIGNAL) != 1) break;
      pollfd pfd{fd, POLLIN, 0};
      if (::poll(&pfd, 1, 20) > 0 && ::recv(fd, buf, sizeof buf, MSG_DONTWAIT) <= 0) break;  // the client left
    }
    ::close(fd);
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> quit_{false};
  std::thread acceptor_;
  std::vector<std::thread> connections_;
};

size_t ThreadsInProcess() {
  size_t n = 0;
  DIR* dir = ::opendir("/proc/self/task");
  while (dirent* e = ::readdir(dir)) n += e->d_name[0] != '.';
  ::closedir(dir);
  return n;
}

TEST(PeerHttp, ADrippingPeerIsCutOffAtTheTotalDeadlineByTheOneWatchdog) {
  DrippingPeer peer;
  PeerHttpLimits limits;
  limits.connect_timeout = std::chrono::milliseconds(1000);
  limits.request_timeout = std::chrono::milliseconds(200);  // each byte comes well within it
  auto http = PeerHttp::ForBaseUrl("http://127.0.0.1:" + std::to_string(peer.port()), limits);
  ASSERT_TRUE(http.ok());

  // Warm the watchdog's thread up, so the count below sees only requests.
  { RequestWatchdog::Watch warm(RequestWatchdog::Shared(), RequestWatchdog::Clock::now(), [] {}); }
  size_t threads_before = ThreadsInProcess();
  constexpr int kRequests = 12;
  std::vector<std::thread> callers;
  std::vector<Status> outcomes(kRequests);
  std::vector<Clock::duration> took(kRequests);
  std::atomic<size_t> most_threads{0};
  for (int i = 0; i < kRequests; ++i) {
    callers.emplace_back([&, i] {
      auto started = Clock::now();
      auto res = http->Send(PeerRequest{.path = "/"});
      took[i] = Clock::now() - started;
      outcomes[i] = res.ok() ? Status::Ok() : res.status();
    });
  }
  for (int i = 0; i < 20; ++i) {
    size_t now = ThreadsInProcess();
    size_t seen = most_threads.load();
    while (now > seen && !most_threads.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // sampling, not waiting for anyone
  }
  for (auto& t : callers) t.join();
  for (int i = 0; i < kRequests; ++i) {
    EXPECT_EQ(outcomes[i].kind(), "peer_timeout") << outcomes[i].ToString();
    EXPECT_NE(outcomes[i].message().find("within 1.4 s"), std::string::npos) << outcomes[i].message();
    EXPECT_LT(took[i], std::chrono::seconds(3));
  }
  // The callers and the peer's threads, but no thread per request.
  EXPECT_LE(most_threads.load(), threads_before + 2 * kRequests + 1);
  EXPECT_EQ(RequestWatchdog::Shared().watched(), 0u);
}

}  // namespace
}  // namespace charchive::federation
