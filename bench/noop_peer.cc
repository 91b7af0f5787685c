// noop_peer: a peer that does nothing, as fast as it can, for measuring the
// archive's own cost of a bulk push (make bench). It answers SillyTavern's
// push path with SillyTavern's shapes (docs/peers.md "SillyTavern's native API"):
// GET /csrf-token -> {"token": "disabled"}, multipart POST
// /api/characters/import -> {"file_name": ...} (the preserved name, else a new
// one), POST /api/characters/get -> the JSON last imported under that name.
// It keeps only the names it was sent and reads nothing: /get answers 404 for
// an unknown name and the same one-line card for a known one (so the archive
// records a remote hash that differs from its own).
//
// It speaks just enough HTTP/1.1 on plain sockets (a thread per connection,
// Content-Length bodies, keep-alive) and finds the one multipart field it
// needs by searching the body: a general server's multipart parser cost more
// than the archive's whole push, and this measures the archive.
//
// usage: noop_peer PORT_FILE   (writes the bound port there, serves until killed)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include "util/file_io.h"

namespace {

std::atomic<int> next_name{0};
std::mutex names_mu;
std::set<std::string, std::less<>> names;

// The text between the first `open` and the next `close`, or "".
std::string_view Between(std::string_view text, std::string_view open, std::string_view close) {
  size_t at = text.find(open);
  if (at == std::string_view::npos) return {};
  at += open.size();
  size_t end = text.find(close, at);
  return end == std::string_view::npos ? std::string_view() : text.substr(at, end - at);
}

// Returns the status and body answering one request.
std::pair<int, std::string> Answer(std::string_view head, std::string_view body) {
  if (head.starts_with("GET /csrf-token ")) return {200, R"({"token":"disabled"})"};
  if (head.starts_with("POST /api/characters/import ")) {
    if (body.find("name=\"avatar\"") == std::string_view::npos) return {400, "{}"};
    std::string name(Between(body, "name=\"preserved_name\"\r\n\r\n", "\r\n"));
    if (name.size() > 4) name.resize(name.size() - 4);
    if (name.empty()) name = "card" + std::to_string(next_name++);
    {
      std::lock_guard lock(names_mu);
      names.insert(name);
    }
    return {200, "{\"file_name\":\"" + name + "\"}"};
  }
  if (head.starts_with("POST /api/characters/get ")) {
    // {"avatar_url": "<name>.png"}: names are plain here, no JSON escapes to undo.
    std::string_view name = Between(body, "\"avatar_url\":\"", ".png\"");
    std::lock_guard lock(names_mu);
    if (!names.count(name)) return {404, "{}"};
    return {200, R"({"json_data":"{\"spec\":\"chara_card_v2\",\"data\":{\"name\":\"noop\"}}"})"};
  }
  return {404, "{}"};
}

// Serves requests on one connection until the client closes it.
void Serve(int fd) {
  std::string buffer;
  char chunk[1 << 16];
  size_t scanned = 0;
  while (true) {
    size_t head_end = buffer.find("\r\n\r\n", scanned);
    if (head_end == std::string::npos) {
      scanned = buffer.size() > 3 ? buffer.size() - 3 : 0;
      ssize_t n = recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      buffer.append(chunk, static_cast<size_t>(n));
      continue;
    }
    // The header lines, each ending in CRLF (libcurl's spelling of the name).
    std::string_view length = Between(std::string_view(buffer.data(), head_end + 2), "Content-Length: ", "\r\n");
    size_t body_size = length.empty() ? 0 : std::strtoul(std::string(length).c_str(), nullptr, 10);
    size_t total = head_end + 4 + body_size;
    // The body is received in place, not through the chunk.
    size_t have = buffer.size();
    if (have < total) buffer.resize(total);
    while (have < total) {
      ssize_t n = recv(fd, buffer.data() + have, total - have, 0);
      if (n <= 0) {
        close(fd);
        return;
      }
      have += static_cast<size_t>(n);
    }
    auto [status, body] =
        Answer(std::string_view(buffer.data(), head_end), std::string_view(buffer.data() + head_end + 4, body_size));
    std::string response = "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Not Found") +
                           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                           "\r\n\r\n" + body;
    if (send(fd, response.data(), response.size(), MSG_NOSIGNAL) < 0) break;
    buffer.erase(0, total);
    scanned = 0;
  }
  close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: noop_peer PORT_FILE\n");
    return 2;
  }
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof addr;
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener, 128) != 0 || getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
    std::perror("noop_peer: cannot listen on 127.0.0.1");
    return 1;
  }
  // Atomically (a reader never sees half of it), once bound.
  if (!charchive::WriteFileAtomic(argv[1], std::to_string(ntohs(addr.sin_port)) + "\n").ok()) return 1;
  while (true) {
    int fd = accept(listener, nullptr, nullptr);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::thread(Serve, fd).detach();
  }
}
