// FakeArchitect: a stand-in for Character Architect's REST API on loopback,
// built from docs/peers.md "Character Architect" (we cannot
// run Architect in tests): /health, multipart /api/import (the file's
// mimetype decides; PNG text chunks ccv3 then chara, raw or base64 JSON),
// /api/cards (list as an array like card_doctor or {items, total} like
// character-architect, with its `query` over meta's name and tags, `limit`
// and `page`), /api/cards/:id GET/PATCH/DELETE with spec validation,
// versions, export and the original image. Every stored card is rewritten as
// the real Architect does (lorebook entries, dates, group_only_greetings;
// meta.name from a top-level name). Ids are UUID v4, times ISO-8601 with milliseconds.
// Faults can be switched on to test how the archive copes: errors, a hang, garbage,
// a dropped connection, a body dripped a byte at a time, 2 GB, 429 with
// Retry-After, another card than the one asked for, reads failing for a while
// after an import. Like the real one it
// limits each client's requests (fixed_window_rate_limit.h; 1,000 a minute
// unless SetRateLimit says otherwise; /health exempt).
//
// Thread safety: all methods may be called while the server runs.
#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/fakes/fixed_window_rate_limit.h"
#include "util/clock.h"

namespace charchive::testing {

class FakeArchitect {
 public:
  enum class ListShape { kArray, kItems };
  enum class Fault {
    kNone,
    kServerError,  // 500
    kHang,         // answers nothing for 20 s (or until the fault is cleared)
    kGarbage,      // 200 with a body that is not JSON
    kForbidden,    // 403
    kDropped,      // promises a body, then closes the connection
    kDrip,         // 200, then one byte every 300 ms, for ever
    kHuge,         // 200 with a 2 GB body
    kRateLimited,  // 429 with Retry-After: 1
    kWrongCard,    // GET /api/cards/:id answers another card
  };

  explicit FakeArchitect(ListShape shape = ListShape::kItems);
  ~FakeArchitect();

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // The fault for the next `times` requests (-1: until changed).
  void SetFault(Fault fault, int times = -1);
  // At most `limit` requests per client in each `window`.
  void SetRateLimit(int limit, std::chrono::milliseconds window,
                    FixedWindowRateLimit::Start start = FixedWindowRateLimit::Start::kAtFirstRequest) {
    rate_limit_.Configure(limit, window, start);
  }
  // Requests answered 429 by the rate limit.
  size_t RateLimited() { return rate_limit_.refused(); }
  // After the next import lands, GET /api/cards/:id answers 503 until
  // `window` has passed on `clock` (which the test moves): a read-back that
  // fails right after a push reached the peer.
  void FailReadsAfterNextImport(std::chrono::milliseconds window, const Clock& clock);
  // The next import lands (the card is stored), and then its answer never
  // comes (until the fake stops, at most 20 s): a first push that timed out
  // after landing.
  void HangAfterNextImport();

  // "METHOD /path" of every request, in order (paths without the query).
  std::vector<std::string> Requests();
  size_t CardCount();
  // The stored card ({meta, data}); null when absent.
  nlohmann::json Card(const std::string& id);
  // Changes a card's data as a user of Architect would.
  void EditCard(const std::string& id, const std::string& field, const std::string& value);
  // Creates a card as a user of Architect would (POST /api/cards); returns its id.
  std::string CreateCard(const nlohmann::json& wrapped_card);

 private:
  void Routes();
  bool Faulted(const httplib::Request& req, httplib::Response& res);
  nlohmann::json NewCard(nlohmann::json data);

  ListShape shape_;
  FixedWindowRateLimit rate_limit_{1000, std::chrono::minutes(1)};
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable released_;
  bool stopping_ = false;
  Fault fault_ = Fault::kNone;
  int fault_times_ = -1;
  std::vector<std::string> requests_;
  const Clock* read_fault_clock_ = nullptr;  // armed: the next import starts the window
  std::chrono::milliseconds read_fault_window_{0};
  std::optional<Clock::TimePoint> reads_fail_until_;
  bool hang_after_import_ = false;
  std::map<std::string, nlohmann::json> cards_;  // id -> {meta, data}
  std::map<std::string, std::vector<nlohmann::json>> versions_;
  std::map<std::string, std::string> images_;  // id -> the imported PNG (cards.original_image)
};

}  // namespace charchive::testing
