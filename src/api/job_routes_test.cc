#include "api/job_routes.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "testing/api_test_server.h"

namespace charchive::api {
namespace {

constexpr char kToken[] = "job-routes-token";

// The event stream stays open and carries what is published while it is open
// (GuardedServer serves it, so httplib's is_running() cannot be its test).
TEST(EventStreamTest, StaysOpenAndCarriesPublishedEvents) {
  charchive::testing::ApiTestServer server(kToken);
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(std::chrono::seconds(10));
  std::string received;
  std::mutex mu;
  std::condition_variable cv;
  bool subscribed = false;
  std::thread reader([&] {
    client.Get("/api/federation/events/stream", {{"Authorization", std::string("Bearer ") + kToken}},
               [&](const char* data, size_t length) {
                 received.append(data, length);
                 {
                   std::lock_guard<std::mutex> lock(mu);
                   subscribed = true;
                 }
                 cv.notify_all();
                 return received.find("\"probe\"") == std::string::npos;  // stop once the event came
               });
  });
  // The stream's first bytes ("retry:") come after it subscribed: a publish
  // before that would reach nobody.
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return subscribed; }));
  }
  server.events().Publish(Json{{"type", "probe"}});
  reader.join();
  EXPECT_NE(received.find("retry: 3000"), std::string::npos) << received;
  EXPECT_NE(received.find("data: {\"type\":\"probe\"}"), std::string::npos) << received;
}

}  // namespace
}  // namespace charchive::api
