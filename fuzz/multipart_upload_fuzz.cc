// libFuzzer target: a POST /api/cards request as the server receives it. The
// input is the request's body under a fixed multipart/form-data head; httplib
// parses it (in memory, through its own request processing), then the upload
// route's code takes the `file` parts (api/upload_parts.h) and parses each as
// a card file.
#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "api/upload_parts.h"
#include "card/card_file.h"

namespace {

// httplib's request processing, on a buffer instead of a socket.
class InMemoryServer : public httplib::Server {
 public:
  InMemoryServer() {
    Post("/api/cards", [](const httplib::Request& req, httplib::Response& res) {
      auto files = charchive::api::CardUploadFiles(req);
      if (!files.ok()) {
        res.status = 400;
        return;
      }
      for (const auto& f : *files) (void)charchive::LoadCardBytes(f.content);
      res.status = 201;
    });
  }
  void Feed(const std::string& request) {
    httplib::detail::BufferStream stream;
    stream.write(request.data(), request.size());
    bool closed = false;
    process_request(stream, true, closed, nullptr);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static InMemoryServer* server = new InMemoryServer();
  std::string body(reinterpret_cast<const char*>(data), size);
  std::string request =
      "POST /api/cards HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: multipart/form-data; boundary=fuzzboundary\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  server->Feed(request);
  return 0;
}
