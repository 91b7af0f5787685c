// ScriptedPeer: a loopback HTTP server that answers each path with the
// status and body a test set for it (404 for others), for hostile-peer tests:
// deep JSON, wrong types in the fields adapters read. The query string is
// ignored when matching; every method is answered alike.
//
// Thread safety: Answer and Paths may be called while the server runs.
#pragma once

#include <httplib.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace charchive::testing {

class ScriptedPeer {
 public:
  ScriptedPeer();
  ~ScriptedPeer();

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  void Answer(const std::string& path, int status, std::string body, std::string content_type = "application/json");
  // Also sends the header NAME: VALUE with the answer to PATH (e.g. a session's Set-Cookie).
  void AnswerHeader(const std::string& path, std::string name, std::string value);
  // The paths requested so far, in order.
  std::vector<std::string> Paths();

 private:
  struct Reply {
    int status;
    std::string body;
    std::string content_type;
  };
  struct Header {
    std::string name;
    std::string value;
  };
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::map<std::string, Reply> replies_;
  std::map<std::string, Header> headers_;
  std::vector<std::string> paths_;
};

}  // namespace charchive::testing
