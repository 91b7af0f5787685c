// GuardedServer: an httplib::Server whose connections get a deadline for each
// request's head (request line and headers), so a client that trickles bytes
// (slow-loris) is cut off instead of holding one of the pool's threads; an
// idle keep-alive connection is closed as in httplib, and the body is read with
// the usual per-read timeout. Its pool has more threads than httplib's
// default of 8, so a handful of slow clients cannot starve everyone else.
// Connections close lingering: bytes still arriving (the body of a refused
// upload) are read and dropped for up to 5 s, so the client gets the answer.
//
// httplib 0.11.4 has no such deadline: its read timeout applies to each read,
// and a client sending one byte per second never trips it. This class replaces
// only the per-connection loop (process_and_close_socket); request parsing,
// routing and responses stay httplib's.
//
// Thread safety: as httplib::Server; each connection's stream is used by the
// one pool thread that serves it.
#pragma once

#include <httplib.h>

#include <chrono>

namespace charchive::api {

class GuardedServer : public httplib::Server {
 public:
  GuardedServer(std::chrono::milliseconds head_deadline, size_t threads);

 private:
  bool process_and_close_socket(socket_t sock) override;

  std::chrono::milliseconds head_deadline_;
};

}  // namespace charchive::api
