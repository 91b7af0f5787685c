#include "api/job_routes.h"

#include <gtest/gtest.h>

#include "testing/api_test_server.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;

constexpr char kToken[] = "jobs-token";

// The event stream stays open and carries what is published after the client
// subscribed (it once ended after its first line under GuardedServer).
TEST(JobRoutesTest, TheEventStreamCarriesPublishedEvents) {
  ApiTestServer server(kToken);
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(std::chrono::seconds(20));
  std::string received;
  bool published = false;
  auto result = client.Get("/api/federation/events/stream", {{"Authorization", std::string("Bearer ") + kToken}},
                           [&](const char* data, size_t size) {
                             received.append(data, size);
                             // The first line (retry:) comes once the stream has subscribed.
                             if (!published && received.find("retry:") != std::string::npos) {
                               server.events().Publish(Json{{"type", "watch"}, {"action", "imported"}});
                               published = true;
                             }
                             return received.find("data: ") == std::string::npos;
                           });
  ASSERT_TRUE(published);
  EXPECT_NE(received.find(R"(data: {"type":"watch","action":"imported"})"), std::string::npos) << received;
}

}  // namespace
}  // namespace charchive::api
