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
// usage: noop_peer PORT_FILE   (writes the bound port there, serves until killed)
#include <httplib.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>

#include "util/file_io.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: noop_peer PORT_FILE\n");
    return 2;
  }
  httplib::Server server;
  std::atomic<int> next{0};
  std::mutex mu;
  std::set<std::string> names;
  server.Get("/csrf-token", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"token":"disabled"})", "application/json");
  });
  server.Post("/api/characters/import", [&](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_file("avatar")) {
      res.status = 400;
      return;
    }
    std::string name = req.has_file("preserved_name") ? req.get_file_value("preserved_name").content : "";
    if (name.size() > 4) name.resize(name.size() - 4);
    if (name.empty()) name = "card" + std::to_string(next++);
    {
      std::lock_guard lock(mu);
      names.insert(name);
    }
    res.set_content("{\"file_name\":\"" + name + "\"}", "application/json");
  });
  server.Post("/api/characters/get", [&](const httplib::Request& req, httplib::Response& res) {
    // {"avatar_url": "<name>.png"}: names are plain here, no JSON escapes to undo.
    const std::string key = "\"avatar_url\":\"";
    size_t at = req.body.find(key);
    size_t end = at == std::string::npos ? at : req.body.find(".png\"", at + key.size());
    std::string name = end == std::string::npos ? "" : req.body.substr(at + key.size(), end - at - key.size());
    {
      std::lock_guard lock(mu);
      if (!names.count(name)) {
        res.status = 404;
        return;
      }
    }
    res.set_content(R"({"json_data":"{\"spec\":\"chara_card_v2\",\"data\":{\"name\":\"noop\"}}"})", "application/json");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  // Atomically (a reader never sees half of it), once bound.
  if (!charchive::WriteFileAtomic(argv[1], std::to_string(port) + "\n").ok()) return 1;
  server.listen_after_bind();
  return 0;
}
