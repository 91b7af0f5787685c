// FakeHubServer: what the fakes of the public card hubs (FakeChub,
// FakeCharacterTavern) share: an httplib server on loopback, a log of every
// request with its arrival time (to check politeness), faults on demand (the
// next N requests answered with a status and a Retry-After), and control
// routes under /_control for the shell suites:
//   GET  /_control/log             [{t_ms, method, path, status}] (t_ms: epoch milliseconds)
//   POST /_control/log/clear
//   POST /_control/fail            {status, retry_after?, count?}
//   POST /_control/cards           a card to add or update (the subclass's shape)
// Control requests are not logged.
//
// Thread safety: all methods may be called while the server runs.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace charchive::testing {

struct HubRequest {
  double t_ms = 0;  // arrival, epoch milliseconds
  std::string method;
  std::string path;
  int status = 0;
};

class FakeHubServer {
 public:
  virtual ~FakeHubServer();

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  std::vector<HubRequest> Requests();
  void ClearRequests();
  // The next `count` requests are answered `status`, with Retry-After when
  // retry_after is not empty.
  void FailNext(int status, const std::string& retry_after, int count = 1);
  // A header of the last request ("" when absent).
  std::string LastHeader(const std::string& name);

 protected:
  // Binds (port 0: any free port) and serves on a thread; subclasses call it
  // at the end of their constructor, after their routes.
  void Serve(int port);
  void StopServing();
  // Adds or updates a card from a control request; returns it.
  virtual nlohmann::json PutCard(const nlohmann::json& card) = 0;
  // A query parameter as an int; `fallback` when absent or not a number.
  static int IntParam(const httplib::Request& req, const char* name, int fallback);

  httplib::Server server_;
  std::mutex mu_;  // guards the subclass's cards too

 private:
  std::thread thread_;
  int port_ = 0;
  std::vector<HubRequest> log_;
  std::vector<std::pair<int, std::string>> faults_;
  httplib::Headers last_headers_;
};

// "2026-11-29T04:01:50.123Z" for now, or for epoch milliseconds.
std::string FakeIsoNow();
std::string FakeIso(int64_t ms);
double FakeNowMs();
// The fakes' change clock, in epoch milliseconds: now, but strictly later than
// every value it gave before, so two changes to a card never share a time.
int64_t FakeChangeMs();
// A small PNG; with `card_json`, it carries it as a base64 `chara` tEXt chunk.
std::string FakeCardPng(const std::string& card_json);

}  // namespace charchive::testing
