#include "federation/hub_node.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <thread>

#include "federation/http_signature.h"
#include "store/hub_repository.h"
#include "testing/manual_clock.h"
#include "testing/test_cards.h"

namespace charchive::federation {
namespace {

using std::chrono::seconds;
using testing::ManualClock;
using testing::TempDir;

// A follower's inbox on loopback that refuses its first POST (503) and accepts the rest.
class FlakyInbox {
 public:
  FlakyInbox() {
    server_.Post("/inbox", [this](const httplib::Request&, httplib::Response& res) {
      res.status = posts_++ == 0 ? 503 : 202;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // A stop() before the accept loop runs would be lost: its first answer says that it runs.
    httplib::Client probe("127.0.0.1", port_);
    probe.set_read_timeout(30, 0);
    (void)probe.Get("/");
  }
  ~FlakyInbox() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/inbox"; }
  int posts() const { return posts_; }

 private:
  httplib::Server server_;
  std::atomic<int> posts_{0};
  std::thread thread_;
  int port_ = 0;
};

// The node's time is a ManualClock: back-offs and the Date window move only with it.
class HubNodeClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = std::move(Archive::Open(dir_.path().string())).value();
    service_ = std::move(FederationService::Open(*archive_)).value();
    hub_ = std::make_unique<HubNode>(*archive_, *service_,
                                     HubNodeOptions{.first_retry = seconds(2), .allow_private_peers = true}, clock_);
    ASSERT_TRUE(hub_->UpdateSettings({.enabled = true, .public_url = "http://127.0.0.1:9"}).ok());
  }

  int64_t Deliveries(const std::string& state) {
    auto overview = hub_->Overview();
    EXPECT_TRUE(overview.ok());
    return overview.ok() ? (*overview)["deliveries"].value(state, int64_t{0}) : -1;
  }

  TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<Archive> archive_;
  std::unique_ptr<FederationService> service_;
  std::unique_ptr<HubNode> hub_;
};

TEST_F(HubNodeClockTest, ARefusedDeliveryIsRetriedOnceItsBackOffHasPassedOnTheClock) {
  FlakyInbox inbox;
  {
    auto db = archive_->pool().Acquire();
    ASSERT_TRUE(hub_repository::EnqueueDelivery(**db, inbox.url(), R"({"type": "Update"})").ok());
  }
  ASSERT_TRUE(hub_->RunOnce().ok());
  EXPECT_EQ(inbox.posts(), 1);  // 503: due again in 2 s (and up to 1 s of jitter)
  EXPECT_EQ(Deliveries("queued"), 1);
  ASSERT_TRUE(hub_->RunOnce().ok());
  clock_.Advance(seconds(1));
  ASSERT_TRUE(hub_->RunOnce().ok());
  EXPECT_EQ(inbox.posts(), 1);  // not yet due
  clock_.Advance(seconds(2));
  ASSERT_TRUE(hub_->RunOnce().ok());
  EXPECT_EQ(inbox.posts(), 2);
  EXPECT_EQ(Deliveries("delivered"), 1);
  EXPECT_EQ(Deliveries("queued"), 0);
}

TEST_F(HubNodeClockTest, TheInboxDateWindowIsReadOnTheNodesClock) {
  auto me = hub_->Identity();
  ASSERT_TRUE(me.ok()) << me.status().ToString();
  const std::string actor = "http://127.0.0.1:9/ap/actor";
  const std::string body = R"({"type": "Follow", "actor": ")" + actor + R"(", "object": ")" + actor + R"("})";
  // Signed now (real time); the signer's key would be fetched from port 9, where nothing listens.
  auto headers = SignRequest((*me)->key, actor + "#main-key", "POST", "127.0.0.1:9", "/ap/inbox", body);
  ASSERT_TRUE(headers.ok()) << headers.status().ToString();
  InboxRequest request;
  request.target = "/ap/inbox";
  request.body = body;
  request.header = [&](const std::string& name) -> std::optional<std::string> {
    for (const auto& [key, value] : *headers) {
      std::string lower = key;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower == name) return value;
    }
    return std::nullopt;
  };
  auto fresh = hub_->Receive(request);
  ASSERT_FALSE(fresh.ok());  // no key to verify with, but the Date passed
  EXPECT_NE(fresh.status().kind(), "stale_date") << fresh.status().ToString();
  clock_.Advance(seconds(400));  // past the 300 s window, whatever real time the test took
  auto stale = hub_->Receive(request);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().kind(), "stale_date") << stale.status().ToString();
}

}  // namespace
}  // namespace charchive::federation
