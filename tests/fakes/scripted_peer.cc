#include "tests/fakes/scripted_peer.h"

namespace charchive::testing {

ScriptedPeer::ScriptedPeer() {
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    paths_.push_back(req.path);
    auto it = replies_.find(req.path);
    if (it == replies_.end()) {
      res.status = 404;
      res.set_content("{\"error\":\"not scripted\"}", "application/json");
      return;
    }
    res.status = it->second.status;
    res.set_content(it->second.body, it->second.content_type.c_str());
    auto header = headers_.find(req.path);
    if (header != headers_.end()) res.set_header(header->second.name, header->second.value);
  };
  server_.Get(".*", handler);
  server_.Post(".*", handler);
  server_.Patch(".*", handler);
  server_.Put(".*", handler);
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
}

ScriptedPeer::~ScriptedPeer() {
  server_.stop();
  thread_.join();
}

void ScriptedPeer::Answer(const std::string& path, int status, std::string body, std::string content_type) {
  std::lock_guard lock(mu_);
  replies_[path] = Reply{status, std::move(body), std::move(content_type)};
}

void ScriptedPeer::AnswerHeader(const std::string& path, std::string name, std::string value) {
  std::lock_guard lock(mu_);
  headers_[path] = Header{std::move(name), std::move(value)};
}

std::vector<std::string> ScriptedPeer::Paths() {
  std::lock_guard lock(mu_);
  return paths_;
}

}  // namespace charchive::testing
