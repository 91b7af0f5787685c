#include "federation/peer_http.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fstream>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

namespace charchive::federation {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using namespace std::chrono_literals;

const auto kNow = std::chrono::system_clock::from_time_t(1767225600);  // 2026-01-01T00:00:00Z

PeerResponse Answer(int status, std::multimap<std::string, std::string> headers = {}) {
  PeerResponse res;
  res.status = status;
  res.body = "{\"error\":\"busy\"}";
  res.headers = std::move(headers);
  return res;
}

TEST(PeerHttpTest, RetryAfterIsSecondsOrAnHttpDate) {
  EXPECT_EQ(ParseRetryAfter("3", kNow), milliseconds(3000));
  EXPECT_EQ(ParseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", kNow), milliseconds(10000));
  EXPECT_EQ(ParseRetryAfter("Wed, 31 Dec 2025 00:00:10 GMT", kNow), milliseconds(0));
  EXPECT_FALSE(ParseRetryAfter("soon", kNow).has_value());
  EXPECT_FALSE(ParseRetryAfter("", kNow).has_value());
  EXPECT_FALSE(ParseRetryAfter("-5", kNow).has_value());
}

TEST(PeerHttpTest, ARefusalsWaitComesFromRetryAfterElseFromASpentRateLimitWindow) {
  EXPECT_EQ(RetryAfter(Answer(429, {{"retry-after", "7"}}), kNow), milliseconds(7000));
  EXPECT_EQ(RetryAfter(Answer(503, {{"retry-after", "Thu, 01 Jan 2026 00:01:00 GMT"}}), kNow), 60s);
  // X-RateLimit-Reset as seconds left, or as the Unix time the window ends.
  EXPECT_EQ(RetryAfter(Answer(429, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "12"}}), kNow), 12s);
  EXPECT_EQ(RetryAfter(Answer(429, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1767225630"}}), kNow), 30s);
  EXPECT_FALSE(RetryAfter(Answer(429, {{"x-ratelimit-remaining", "3"}, {"x-ratelimit-reset", "12"}}), kNow));
  EXPECT_FALSE(RetryAfter(Answer(429), kNow));
  EXPECT_FALSE(RetryAfter(Answer(500, {{"retry-after", "7"}}), kNow));  // only refusals ask for a wait
}

TEST(PeerHttpTest, HttpErrorsAreTypedByWhyTheyMayPass) {
  EXPECT_EQ(TransientOf(429), Transient::kRateLimited);
  EXPECT_EQ(TransientOf(408), Transient::kTimeout);
  EXPECT_EQ(TransientOf(425), Transient::kServerError);
  EXPECT_EQ(TransientOf(502), Transient::kServerError);
  EXPECT_EQ(TransientOf(501), Transient::kNone);
  EXPECT_EQ(TransientOf(403), Transient::kNone);
  EXPECT_EQ(TransientOf(404), Transient::kNone);

  Status limited = HttpError(Answer(429, {{"retry-after", "2"}}), "peer_refused", "Character Architect's import");
  EXPECT_EQ(limited.code(), StatusCode::kRemoteError);
  EXPECT_EQ(limited.kind(), "peer_refused");
  EXPECT_EQ(limited.transient(), Transient::kRateLimited);
  EXPECT_EQ(limited.retry_after(), milliseconds(2000));
  EXPECT_EQ(limited.message(),
            "HTTP 429 from Character Architect's import (rate limited) (retry after 2 s): {\"error\":\"busy\"}");
  Status forbidden = HttpError(Answer(403), "peer_refused", "x", "Forbidden");
  EXPECT_EQ(forbidden.transient(), Transient::kNone);
  EXPECT_FALSE(forbidden.retry_after());
  EXPECT_NE(forbidden.message().find(": Forbidden"), std::string::npos);
}

TEST(PeerHttpTest, ARefusedConnectionIsUnreachable) {
  auto http = PeerHttp::ForBaseUrl("http://127.0.0.1:1");
  ASSERT_TRUE(http.ok());
  auto res = http->Send(PeerRequest{.path = "/health"});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().kind(), "peer_unreachable");
  EXPECT_EQ(res.status().transient(), Transient::kUnreachable);
}

// A loopback peer that reads each request's first bytes and then runs
// `answer` on the connection (until it returns or the client goes away).
class SocketPeer {
 public:
  // answer(fd, quit): writes the answer; returns when done or quit is set.
  using Answer = std::function<void(int fd, const std::atomic<bool>& quit)>;

  explicit SocketPeer(Answer answer) : answer_(std::move(answer)) {
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
        connections_.emplace_back([this, fd] {
          char buf[4096];
          ::recv(fd, buf, sizeof buf, 0);
          answer_(fd, quit_);
          ::close(fd);
        });
      }
    });
  }
  ~SocketPeer() {
    quit_ = true;
    acceptor_.join();
    for (auto& t : connections_) t.join();
    ::close(listener_);
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  Answer answer_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> quit_{false};
  std::thread acceptor_;
  std::vector<std::thread> connections_;
};

// Sends `chunk` until the client stops reading or closes; counts what went.
void SendForever(int fd, const std::string& chunk, const std::atomic<bool>& quit, std::atomic<uint64_t>& sent) {
  while (!quit) {
    pollfd pfd{fd, POLLOUT, 0};
    if (::poll(&pfd, 1, 50) <= 0) continue;  // the client's buffers are full: it stopped reading
    ssize_t n = ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN) return;
    if (n > 0) sent += static_cast<uint64_t>(n);
  }
}

// A head promising 1000 bytes, then one byte every 20 ms.
void Drip(int fd, const std::atomic<bool>& quit) {
  char buf[4096];
  std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n";
  ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  for (int i = 0; i < 1000 && !quit; ++i) {
    if (::send(fd, "x", 1, MSG_NOSIGNAL) != 1) break;
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 20) > 0 && ::recv(fd, buf, sizeof buf, MSG_DONTWAIT) <= 0) break;  // the client left
  }
}

// kB from /proc/self/status ("VmRSS", "VmHWM").
long StatusKb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

size_t ThreadsInProcess() {
  size_t n = 0;
  DIR* dir = ::opendir("/proc/self/task");
  while (dirent* e = ::readdir(dir)) n += e->d_name[0] != '.';
  ::closedir(dir);
  return n;
}

TEST(PeerHttpTest, ADrippingPeerIsCutOffAtTheTotalDeadlineOnTheCallersThread) {
  SocketPeer peer(Drip);
  PeerHttpLimits limits;
  limits.connect_timeout = std::chrono::milliseconds(1000);
  limits.request_timeout = std::chrono::milliseconds(200);  // each byte comes well within it
  auto http = PeerHttp::ForBaseUrl(peer.base_url(), limits);
  ASSERT_TRUE(http.ok());

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
}

// A peer that takes a large request and then says nothing is cut off at the
// read timeout, not at the total deadline: the bytes of our own upload do not
// count as the peer's answer.
TEST(PeerHttpTest, ASilentPeerIsCutOffAtTheReadTimeout) {
  SocketPeer peer([](int, const std::atomic<bool>& quit) {
    while (!quit) ::poll(nullptr, 0, 20);  // holds the connection open, answering nothing
  });
  PeerHttpLimits limits;
  limits.connect_timeout = 1000ms;
  limits.request_timeout = 500ms;  // the deadline is 2 s
  auto http = PeerHttp::ForBaseUrl(peer.base_url(), limits);
  ASSERT_TRUE(http.ok());
  auto started = Clock::now();
  auto res = http->Send(PeerRequest{.method = "POST", .path = "/import", .body = std::string(1 << 20, 'c')});
  auto took = Clock::now() - started;
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().kind(), "peer_timeout");
  EXPECT_EQ(res.status().transient(), Transient::kTimeout);
  EXPECT_NE(res.status().message().find("within 0.5 s"), std::string::npos) << res.status().message();
  EXPECT_LT(took, 1900ms);
}

// A peer whose head never ends (endless fields, one endless line, or long
// lines) is cut off at the head caps: a clear peer_bad_response at once, the
// peer could send little, and memory stays where it was.
TEST(PeerHttpTest, AnEndlessHeadIsCutOffAtItsCaps) {
  struct Case {
    std::string name;
    std::string status_line;
    std::string repeated;  // sent until the client stops reading
    std::string message;
  };
  const Case cases[] = {
      {"fields", "HTTP/1.1 200 OK\r\n", "X-Flood: 1234567890\r\n", "more than 100 header fields"},
      {"one line", "HTTP/1.1 200 OK\r\nX-Endless: ", std::string(4096, 'a'), "a header line longer than 8 KiB"},
      {"long lines", "HTTP/1.1 200 OK\r\n", "X-Long: " + std::string(7000, 'b') + "\r\n",
       "headers larger than 64 KiB in all"},
      {"after 100 Continue", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", "X-Flood: 1\r\n",
       "more than 100 header fields"},
  };
  long rss_before = StatusKb("VmRSS");
  for (const Case& c : cases) {
    std::atomic<uint64_t> sent{0};
    SocketPeer peer([&](int fd, const std::atomic<bool>& quit) {
      ::send(fd, c.status_line.data(), c.status_line.size(), MSG_NOSIGNAL);
      SendForever(fd, c.repeated, quit, sent);
    });
    auto http = PeerHttp::ForBaseUrl(peer.base_url());
    ASSERT_TRUE(http.ok());
    auto started = Clock::now();
    auto res = http->Send(PeerRequest{.path = "/"});
    auto took = Clock::now() - started;
    ASSERT_FALSE(res.ok()) << c.name;
    EXPECT_EQ(res.status().kind(), "peer_bad_response") << c.name << ": " << res.status().ToString();
    EXPECT_NE(res.status().message().find(c.message), std::string::npos) << res.status().message();
    EXPECT_LT(took, 5s) << c.name;
    // What the peer could push: the caps plus socket buffers, not an endless head.
    EXPECT_LT(sent.load(), 16u << 20) << c.name;
  }
  long hwm = StatusKb("VmHWM");
  long rss_after = StatusKb("VmRSS");
  ASSERT_GT(rss_before, 0);
  EXPECT_LT(rss_after - rss_before, 32 * 1024) << "RSS grew from " << rss_before << " kB to " << rss_after << " kB";
  EXPECT_LT(hwm, rss_before + 64 * 1024) << "peak " << hwm << " kB, before " << rss_before << " kB";
}

// An answer past the size cap, with no length announced (chunked), is cut
// off at the cap: it costs about the cap in memory, once.
TEST(PeerHttpTest, AHugeChunkedAnswerIsCutOffAtTheCapInBoundedMemory) {
  std::atomic<uint64_t> sent{0};
  SocketPeer peer([&](int fd, const std::atomic<bool>& quit) {
    std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    std::string piece(65536, '0');
    SendForever(fd, "10000\r\n" + piece + "\r\n", quit, sent);
  });
  PeerHttpLimits limits;
  limits.max_response_bytes = 16 << 20;
  auto http = PeerHttp::ForBaseUrl(peer.base_url(), limits);
  ASSERT_TRUE(http.ok());
  long rss_before = StatusKb("VmRSS");
  auto res = http->Send(PeerRequest{.path = "/"});
  long hwm = StatusKb("VmHWM");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().kind(), "peer_response_too_large");
  EXPECT_LT(hwm - rss_before, 28 * 1024) << "peak " << hwm << " kB, before " << rss_before << " kB";
}

// A head inside the caps is read whole, names lower-cased, values trimmed.
TEST(PeerHttpTest, AHeadInsideTheCapsIsRead) {
  SocketPeer peer([](int fd, const std::atomic<bool>&) {
    std::string answer = "HTTP/1.1 201 Created\r\nX-One:  first \r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n";
    for (int i = 0; i < 90; ++i) answer += "X-Pad-" + std::to_string(i) + ": " + std::string(500, 'p') + "\r\n";
    answer += "Content-Length: 2\r\n\r\nok";
    ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
  });
  auto http = PeerHttp::ForBaseUrl(peer.base_url());
  ASSERT_TRUE(http.ok());
  auto res = http->Send(PeerRequest{.method = "POST", .path = "/x", .body = "{}", .content_type = "application/json"});
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, "ok");
  EXPECT_EQ(res->headers.find("x-one")->second, "first");
  EXPECT_EQ(res->HeaderValues("set-cookie"), (std::vector<std::string>{"a=1", "b=2"}));
}

// A kept-alive connection to a peer whose rate limiter looks at the head
// only (as cpp-httplib's pre-routing does): 200 "ok" to a GET, 429 to a POST
// or PATCH without reading its body. What it left unread is then taken as the
// start of the next request, which gets 400 once it arrives.
void KeepAliveRateLimiter(int fd, const std::atomic<bool>& quit, std::atomic<int>& connections) {
  ++connections;
  const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  const std::string refused = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 2\r\n\r\n{}";
  const std::string bad = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}";
  ::send(fd, ok.data(), ok.size(), MSG_NOSIGNAL);  // the connection's first request is a GET here
  bool refused_one = false;
  std::string unread;  // after a refusal: the refused body's rest, then what follows it
  char buf[4096];
  while (!quit) {
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 50) <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    std::string_view request(buf, static_cast<size_t>(n));
    if (refused_one) {
      unread += request;
      if (unread.find("GET /") == std::string::npos) continue;
      ::send(fd, bad.data(), bad.size(), MSG_NOSIGNAL);
      return;
    }
    refused_one = !request.starts_with("GET ");
    const std::string& answer = refused_one ? refused : ok;
    ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
  }
}

// Requests share a kept-alive connection; an upload answered with an error
// closes it, so the body the peer may have left unread is never taken for the
// next request.
TEST(PeerHttpTest, RequestsReuseTheConnectionButNotOneAfterARefusedUpload) {
  std::atomic<int> connections{0};
  SocketPeer peer([&](int fd, const std::atomic<bool>& quit) { KeepAliveRateLimiter(fd, quit, connections); });
  auto http = PeerHttp::ForBaseUrl(peer.base_url(), PeerHttpLimits{.request_timeout = 5s});
  ASSERT_TRUE(http.ok());
  for (const char* path : {"/a", "/b"}) {
    auto res = http->Send(PeerRequest{.path = path});
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    EXPECT_EQ(res->body, "ok");
  }
  EXPECT_EQ(connections, 1);

  // Bodies sent whole into the socket's buffers with the head, then left unread.
  const std::string image(20000, 'i');
  PeerRequest json{.method = "PATCH", .path = "/card", .body = "{\"pad\":\"" + image + "\"}"};
  PeerRequest multipart{.method = "POST", .path = "/upload"};
  multipart.parts.push_back({"avatar", image, "card.png", "image/png"});
  int expected_connections = 1;
  for (const PeerRequest* upload : {&json, &multipart}) {
    auto refused = http->Send(*upload);
    ASSERT_TRUE(refused.ok()) << refused.status().ToString();
    EXPECT_EQ(refused->status, 429);
    auto after = http->Send(PeerRequest{.path = "/c"});
    ASSERT_TRUE(after.ok()) << after.status().ToString();
    EXPECT_EQ(after->status, 200) << upload->path;
    EXPECT_EQ(after->body, "ok");
    EXPECT_EQ(connections, ++expected_connections);
  }
}

}  // namespace
}  // namespace charchive::federation
