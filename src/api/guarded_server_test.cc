#include "api/guarded_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

namespace charchive::api {
namespace {

using Clock = std::chrono::steady_clock;

class GuardedServerTest : public ::testing::Test {
 protected:
  void Start(ConnectionLimits limits = {}) {
    server_ = std::make_unique<GuardedServer>(limits, httplib::Headers{{"X-Frame-Options", "DENY"}});
    server_->Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("got " + std::to_string(req.body.size()), "text/plain");
    });
    server_->Get("/page", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(20000, 'p'), "text/html");
    });
    auto port = server_->Bind("127.0.0.1", 0);
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
    thread_ = std::thread([this] { server_->Serve(); });
  }
  void TearDown() override {
    if (!server_) return;
    server_->Stop();
    thread_.join();
  }

  int Connect() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
  }
  static void Send(int fd, const std::string& bytes) {
    ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }
  // One whole response (its head and Content-Length bytes); "" when the
  // connection closed first. Bytes past it (the next pipelined response)
  // stay in `in` for the next call.
  static std::string ReadResponse(int fd, std::string& in) {
    char buf[4096];
    for (;;) {
      size_t end = in.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t cl = in.find("Content-Length: ");
        size_t length = cl == std::string::npos || cl > end ? 0 : std::stoul(in.substr(cl + 16));
        if (in.size() >= end + 4 + length) {
          std::string response = in.substr(0, end + 4 + length);
          in.erase(0, end + 4 + length);
          return response;
        }
      }
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return "";
      in.append(buf, static_cast<size_t>(n));
    }
  }
  static std::string ReadResponse(int fd) {
    std::string in;
    return ReadResponse(fd, in);
  }

  std::unique_ptr<GuardedServer> server_;
  std::thread thread_;
  int port_ = 0;
};

// The server's end of our connection, found among this process's descriptors.
int AcceptedSocketOf(int client_fd, int server_port) {
  sockaddr_in mine{};
  socklen_t len = sizeof mine;
  ::getsockname(client_fd, reinterpret_cast<sockaddr*>(&mine), &len);
  DIR* dir = ::opendir("/proc/self/fd");
  int found = -1;
  while (dirent* entry = ::readdir(dir)) {
    int fd = std::atoi(entry->d_name);
    sockaddr_in local{}, peer{};
    socklen_t l1 = sizeof local, l2 = sizeof peer;
    if (fd <= 2 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &l1) != 0 ||
        ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &l2) != 0) {
      continue;
    }
    if (local.sin_family == AF_INET && ntohs(local.sin_port) == server_port && peer.sin_port == mine.sin_port)
      found = fd;
  }
  ::closedir(dir);
  return found;
}

TEST_F(GuardedServerTest, AcceptedSocketsSendWithoutNagleDelay) {
  Start();
  int fd = Connect();
  Send(fd, "GET /page HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_NE(ReadResponse(fd), "");
  int accepted = AcceptedSocketOf(fd, port_);
  ASSERT_GE(accepted, 0);
  int nodelay = 0;
  socklen_t len = sizeof nodelay;
  ASSERT_EQ(::getsockopt(accepted, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len), 0);
  EXPECT_EQ(nodelay, 1);
  ::close(fd);
}

TEST_F(GuardedServerTest, OneConnectionCarriesAHundredRequestsThenCloses) {
  Start();
  int fd = Connect();
  for (int i = 1; i <= 100; ++i) {
    Send(fd, "GET /page HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string response = ReadResponse(fd);
    ASSERT_NE(response, "") << "request " << i;
    if (i == 1) {
      EXPECT_NE(response.find("Keep-Alive: timeout=60, max=100"), std::string::npos) << response;
    }
    EXPECT_EQ(response.find("Connection: close") != std::string::npos, i == 100) << "request " << i;
    EXPECT_NE(response.find("X-Frame-Options: DENY"), std::string::npos);
  }
  char byte;
  EXPECT_EQ(::recv(fd, &byte, 1, 0), 0);  // closed after the 100th
  ::close(fd);
}

TEST_F(GuardedServerTest, APostWithoutContentLengthHasAnEmptyBodyAndKeepsTheConnection) {
  Start();
  int fd = Connect();
  auto started = Clock::now();
  Send(fd, "POST /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string response = ReadResponse(fd);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(2));
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 200") << response;
  EXPECT_NE(response.find("got 0"), std::string::npos) << response;
  // Pipelined: a body is exactly its Content-Length, the next request follows.
  Send(fd,
       "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcPOST /echo HTTP/1.1\r\nHost: x\r\n"
       "Content-Length: 1\r\n\r\nz");
  std::string pending;
  EXPECT_NE(ReadResponse(fd, pending).find("got 3"), std::string::npos);
  EXPECT_NE(ReadResponse(fd, pending).find("got 1"), std::string::npos);
  ::close(fd);
}

TEST_F(GuardedServerTest, AHeadOfEndlessHeaderLinesIsRefusedWith431) {
  Start();
  int fd = Connect();
  std::string head = "GET /page HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 150; ++i) head += "X-Filler-" + std::to_string(i) + ": y\r\n";
  Send(fd, head);  // and never an end of head
  std::string response = ReadResponse(fd);
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 431") << response;
  EXPECT_NE(response.find("\"kind\":\"headers_too_large\""), std::string::npos) << response;
  EXPECT_NE(response.find("X-Frame-Options: DENY"), std::string::npos);
  ::close(fd);

  fd = Connect();
  std::string long_line = "GET /page HTTP/1.1\r\nX-Big: " + std::string(70u << 10, 'a');
  ::send(fd, long_line.data(), long_line.size(), MSG_NOSIGNAL);
  EXPECT_EQ(ReadResponse(fd).substr(0, 12), "HTTP/1.1 431");
  ::close(fd);
}

TEST_F(GuardedServerTest, ABodyTrickledPastTheDeadlineIsCutOff) {
  ConnectionLimits limits;
  limits.request_deadline = std::chrono::milliseconds(500);
  Start(limits);
  int fd = Connect();
  auto started = Clock::now();
  Send(fd, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n");
  bool cut = false;
  for (int i = 0; i < 100 && !cut; ++i) {  // one byte every 50 ms: 5 s if never cut
    cut = ::send(fd, "a", 1, MSG_NOSIGNAL) != 1;
    char buf[4096];
    if (::recv(fd, buf, sizeof buf, MSG_DONTWAIT) >= 0) cut = true;  // an answer (400) or the end
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(cut);
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(2500));
  ::close(fd);
}

TEST_F(GuardedServerTest, BrotliIsNeverChosenGzipIs) {
  Start();
  int fd = Connect();
  Send(fd, "GET /page HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n");
  std::string response = ReadResponse(fd);
  EXPECT_NE(response.find("Content-Encoding: gzip"), std::string::npos) << response.substr(0, 300);
  Send(fd, "GET /page HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\n\r\n");
  response = ReadResponse(fd);
  EXPECT_EQ(response.find("Content-Encoding"), std::string::npos) << response.substr(0, 300);
  ::close(fd);
}

}  // namespace
}  // namespace charchive::api
