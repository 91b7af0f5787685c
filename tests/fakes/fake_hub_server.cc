#include "tests/fakes/fake_hub_server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "card/placeholder_png.h"
#include "card/png_card.h"

namespace charchive::testing {

double FakeNowMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

int64_t FakeChangeMs() {
  static std::atomic<int64_t> last{0};
  int64_t now = static_cast<int64_t>(FakeNowMs());
  int64_t previous = last.load();
  int64_t next = 0;
  do {
    next = std::max(now, previous + 1);
  } while (!last.compare_exchange_weak(previous, next));
  return next;
}

std::string FakeIsoNow() { return FakeIso(static_cast<int64_t>(FakeNowMs())); }

std::string FakeIso(int64_t ms) {
  std::time_t s = ms / 1000;
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

std::string FakeCardPng(const std::string& card_json) {
  if (card_json.empty()) return PlaceholderPng();
  auto png = WritePngCardText(PlaceholderPng(), card_json, card_json);
  return png.ok() ? *png : PlaceholderPng();
}

FakeHubServer::~FakeHubServer() { StopServing(); }

void FakeHubServer::StopServing() {
  if (!thread_.joinable()) return;
  server_.stop();
  thread_.join();
}

void FakeHubServer::Serve(int port) {
  using httplib::Request;
  using httplib::Response;
  server_.set_pre_routing_handler([this](const Request& req, Response& res) {
    if (req.path.rfind("/_control", 0) == 0) return httplib::Server::HandlerResponse::Unhandled;
    std::lock_guard lock(mu_);
    log_.push_back(HubRequest{FakeNowMs(), req.method, req.path, 0});
    last_headers_ = req.headers;
    if (!faults_.empty()) {
      auto [status, retry_after] = faults_.front();
      faults_.erase(faults_.begin());
      res.status = status;
      if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
      res.set_content("{\"error\":\"fault injected\"}", "application/json");
      log_.back().status = status;
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_.set_post_routing_handler([this](const Request& req, Response& res) {
    if (req.path.rfind("/_control", 0) == 0) return;
    std::lock_guard lock(mu_);
    for (auto it = log_.rbegin(); it != log_.rend(); ++it) {
      if (it->status == 0 && it->path == req.path) {
        it->status = res.status;
        break;
      }
    }
  });
  server_.Get("/_control/log", [this](const Request&, Response& res) {
    nlohmann::json out = nlohmann::json::array();
    for (const HubRequest& r : Requests()) {
      out.push_back({{"t_ms", r.t_ms}, {"method", r.method}, {"path", r.path}, {"status", r.status}});
    }
    res.set_content(out.dump(), "application/json");
  });
  server_.Post("/_control/log/clear", [this](const Request&, Response& res) {
    ClearRequests();
    res.set_content("{}", "application/json");
  });
  server_.Post("/_control/fail", [this](const Request& req, Response& res) {
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("status") || !body["status"].is_number_integer()) {
      res.status = 400;
      res.set_content(R"({"error":"status (an integer) is required"})", "application/json");
      return;
    }
    std::string retry_after;
    if (body.contains("retry_after")) {
      retry_after = body["retry_after"].is_string() ? body["retry_after"].get<std::string>()
                                                    : std::to_string(body["retry_after"].get<int64_t>());
    }
    FailNext(body["status"].get<int>(), retry_after, body.value("count", 1));
    res.set_content("{}", "application/json");
  });
  server_.Post("/_control/cards", [this](const Request& req, Response& res) {
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (!body.is_object()) {
      res.status = 400;
      res.set_content(R"({"error":"a JSON object is required"})", "application/json");
      return;
    }
    nlohmann::json card = PutCard(body);
    if (card.is_null()) {
      res.status = 400;
      res.set_content(R"({"error":"the card lacks its identifying field"})", "application/json");
      return;
    }
    res.set_content(card.dump(), "application/json");
  });
  port_ = port == 0 ? server_.bind_to_any_port("127.0.0.1") : (server_.bind_to_port("127.0.0.1", port) ? port : -1);
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // A stop() before the accept loop runs would be lost: its first answer (to
  // a control request, which is not logged) says that it runs.
  if (port_ > 0) {
    httplib::Client probe("127.0.0.1", port_);
    probe.set_read_timeout(30, 0);
    (void)probe.Get("/_control/log");
  }
}

std::vector<HubRequest> FakeHubServer::Requests() {
  std::lock_guard lock(mu_);
  return log_;
}

void FakeHubServer::ClearRequests() {
  std::lock_guard lock(mu_);
  log_.clear();
}

void FakeHubServer::FailNext(int status, const std::string& retry_after, int count) {
  std::lock_guard lock(mu_);
  for (int i = 0; i < count; ++i) faults_.emplace_back(status, retry_after);
}

std::string FakeHubServer::LastHeader(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = last_headers_.find(name);
  return it == last_headers_.end() ? "" : it->second;
}

int FakeHubServer::IntParam(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  try {
    return std::stoi(req.get_param_value(name));
  } catch (...) {
    return fallback;
  }
}

}  // namespace charchive::testing
