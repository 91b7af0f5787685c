// GuardedServer: httplib's request parsing, routing and responses behind a
// connection layer of our own, which holds every connection to the limits a
// server facing strangers needs:
// - a request (head and body) must arrive within `request_deadline`, plus the
//   time its bytes earn at `min_bytes_per_second`: a client that trickles its
//   head or its body (slow-loris) is answered 408 and cut off, an upload at a
//   sane rate is not;
// - the head may hold at most `max_head_bytes` and `max_header_lines` lines
//   (431 beyond), so a client streaming headers cannot grow our memory; the
//   answers this layer writes itself (408, 431) go to the request log
//   (api/request_log.h) like httplib's;
// - the body is framed here: Content-Length bytes, nothing for a request
//   without one (RFC 9112 §6.3: a POST with no length has an empty body), and
//   httplib never reads past it into the next request;
// - TCP_NODELAY on every accepted socket (httplib 0.11.4 writes a response's
//   head and body in two writes, which Nagle and a delayed ACK turn into a
//   40 ms stall on kept-alive connections); keep-alive for
//   `keep_alive_requests` requests and `keep_alive_idle` of idleness;
// - "br" is dropped from Accept-Encoding: httplib 0.11.4 brotli-compresses at
//   the highest quality on every response; gzip costs ~1/50 of that (the
//   web UI's files, compressed at build time, are sent as brotli all the same:
//   api/static_assets.h reads ClientAcceptEncoding());
// - a connection per thread, at most `max_connections` at once; when full, an
//   idle kept-alive connection is closed to make room;
// - connections close lingering, so a client still sending a refused body
//   gets the answer.
//
// Why not httplib's own loop: in 0.11.4 its timeouts apply to each read (one
// byte a second never trips them), no hook sees a connection before its head
// has been read, and none gets the socket, so none of the above can be done
// with set_pre_routing_handler and the timeouts (docs/security.md has the
// measurement). This class owns the listening socket and the connections and
// hands each request to httplib's protected `process_request`, the entry
// point httplib's own SSLServer serves connections through; it overrides
// nothing.
//
// Thread safety: register routes before Serve(); Serve() on one thread;
// Stop() from any thread (in-flight requests finish, idle connections close).
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

#include "util/result.h"

namespace charchive::api {

struct ConnectionLimits {
  std::chrono::milliseconds request_deadline{10000};
  size_t min_bytes_per_second = 16u << 10;
  size_t max_head_bytes = 64u << 10;
  size_t max_header_lines = 100;
  std::chrono::seconds keep_alive_idle{60};
  size_t keep_alive_requests = 100;
  size_t max_connections = 256;
  std::chrono::milliseconds write_timeout{30000};  // one write's wait for the client
};

class GuardedServer : public httplib::Server {
 public:
  // `headers` go on every response, the ones this layer writes itself too.
  GuardedServer(ConnectionLimits limits, httplib::Headers headers);
  ~GuardedServer() override;

  // Listens on host:port (0: any free port); returns the port. Fails with
  // "bind_failed".
  Result<int> Bind(const std::string& host, int port);
  // Accepts until Stop(); returns once every connection has ended. False if
  // accepting failed.
  bool Serve();
  void Stop();

  // False once Stop() was called: a streamed response that waits between
  // writes (the event stream) ends then. httplib's own is_running() stays
  // false here, since its accept loop never runs.
  bool serving() const { return !stopping_; }

  // Whether the request the calling thread serves missed its deadline (its
  // body stopped arriving): for the error handler, which answers it 408.
  static bool RequestTimedOut();
  // The Accept-Encoding the client sent with the request the calling thread
  // serves, "br" included (httplib sees it without); empty if none.
  static const std::string& ClientAcceptEncoding();

 private:
  void ServeConnection(socket_t sock);
  // Waits for the next request's first byte; while waiting the connection is
  // one Serve() may close to make room.
  template <typename Stream>
  bool WaitForRequest(Stream& strm);
  void CloseAnIdleConnection();

  ConnectionLimits limits_;
  std::string headers_text_;  // `headers` as "Name: value\r\n" lines
  socket_t listener_ = INVALID_SOCKET;
  int wake_fd_ = -1;  // an eventfd Stop() writes to
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable connections_cv_;
  size_t connections_ = 0;
  std::set<socket_t> idle_;  // connections waiting for their next request
};

}  // namespace charchive::api
