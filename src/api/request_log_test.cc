#include "api/request_log.h"

#include <gtest/gtest.h>

#include <thread>

#include "api/json_response.h"
#include "testing/api_test_server.h"
#include "testing/log_capture.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::LogCapture;

constexpr char kSecret[] = "s3cret-value-that-must-not-be-logged";

// A bare httplib server with the request log installed, as ApiServer does it.
class LoggedServer {
 public:
  LoggedServer() {
    InstallRequestLog(server_);
    server_.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
      MarkRequestStart();
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server_.Get("/ok", [](const httplib::Request&, httplib::Response& res) { res.set_content("hello", "text/plain"); });
    server_.Get("/refused",
                [](const httplib::Request&, httplib::Response& res) { WriteError(res, 403, "not_yours", "no"); });
    server_.Get("/throws",
                [](const httplib::Request&, httplib::Response&) -> void { throw std::runtime_error("handler broke"); });
    server_.Post("/parses", [](const httplib::Request& req, httplib::Response&) {
      [[maybe_unused]] Json parsed = Json::parse(req.body);  // throws on bad JSON: the 500 under test
    });
    server_.Get("/stream", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [](size_t, httplib::DataSink& sink) {
        sink.write("abc", 3);
        sink.done();
        return true;
      });
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~LoggedServer() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

TEST(RequestLog, OneLinePerRequestWithoutTheQueryString) {
  LogCapture capture(log::Level::kInfo);
  LoggedServer server;
  httplib::Client client("127.0.0.1", server.port());
  client.set_default_headers({{"Accept-Encoding", "identity"}});  // bytes sent = the body's 5
  auto r = client.Get(std::string("/ok?token=") + kSecret + "&x=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto line = capture.WaitForLine({"http_request", "path=/ok "});
  ASSERT_TRUE(line) << capture.Text();
  EXPECT_NE(line->find("info http_request method=GET path=/ok status=200 ms="), std::string::npos) << *line;
  EXPECT_NE(line->find(" client=127.0.0.1 bytes=5"), std::string::npos) << *line;
  EXPECT_EQ(line->find("reason="), std::string::npos) << *line;
  EXPECT_EQ(capture.Text().find(kSecret), std::string::npos) << capture.Text();
}

TEST(RequestLog, AnErrorNamesItsKindAsTheReason) {
  LogCapture capture(log::Level::kInfo);
  LoggedServer server;
  httplib::Client client("127.0.0.1", server.port());
  EXPECT_EQ(client.Get("/refused")->status, 403);
  auto line = capture.WaitForLine({"http_request", "path=/refused"});
  ASSERT_TRUE(line) << capture.Text();
  EXPECT_NE(line->find("warn http_request method=GET path=/refused status=403"), std::string::npos) << *line;
  EXPECT_NE(line->find("reason=not_yours"), std::string::npos) << *line;
}

TEST(RequestLog, AHandlersExceptionIsALogged500) {
  LogCapture capture(log::Level::kInfo);
  LoggedServer server;
  httplib::Client client("127.0.0.1", server.port());
  auto r = client.Get("/throws");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  Json body = Json::parse(r->body, nullptr, false);
  EXPECT_EQ(body, (Json{{"error", "internal error"}, {"kind", "internal"}})) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
  ASSERT_TRUE(capture.WaitForLine({"error http_request method=GET path=/throws status=500", "reason=internal"}))
      << capture.Text();
  auto exception = capture.WaitForLine({"request_exception"});
  ASSERT_TRUE(exception);
  EXPECT_NE(exception->find("method=GET path=/throws exception=\"handler broke\""), std::string::npos) << *exception;
}

TEST(RequestLog, AnExceptionsLineDoesNotQuoteTheInput) {
  LogCapture capture(log::Level::kInfo);
  LoggedServer server;
  httplib::Client client("127.0.0.1", server.port());
  auto r = client.Post("/parses", std::string("{\"token\": \"") + kSecret + "\" oops", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  auto line = capture.WaitForLine({"request_exception", "path=/parses"});
  ASSERT_TRUE(line) << capture.Text();
  EXPECT_NE(line->find("exception=json.exception.parse_error.101"), std::string::npos) << *line;
  ASSERT_TRUE(capture.WaitForLine({"http_request", "path=/parses", "status=500"}));
  EXPECT_EQ(capture.Text().find(kSecret), std::string::npos) << capture.Text();
}

TEST(RequestLog, AChunkedAnswerHasNoByteCount) {
  LogCapture capture(log::Level::kInfo, log::Format::kJson);
  LoggedServer server;
  httplib::Client client("127.0.0.1", server.port());
  EXPECT_EQ(client.Get("/stream")->body, "abc");
  auto line = capture.WaitForLine({"\"path\":\"/stream\""});
  ASSERT_TRUE(line) << capture.Text();
  Json j = Json::parse(*line);
  EXPECT_EQ(j["event"], "http_request");
  EXPECT_EQ(j["status"], 200);
  EXPECT_TRUE(j["ms"].is_number());
  EXPECT_FALSE(j.contains("bytes"));
}

// The whole server: refusals before routing carry their reason.
TEST(RequestLog, TheServerLogsRefusalsWithTheirReason) {
  LogCapture capture(log::Level::kInfo, log::Format::kJson);
  ApiTestServer server("the-right-token");
  httplib::Client client("127.0.0.1", server.port());
  EXPECT_EQ(client.Get("/api/cards")->status, 401);
  client.set_default_headers({{"Authorization", std::string("Bearer ") + kSecret}});
  EXPECT_EQ(client.Get("/api/cards?limit=1")->status, 401);
  EXPECT_EQ(client.Post("/api/cards", std::string(1000, 'x'), "text/plain")->status, 401);
  client.set_default_headers({{"Authorization", "Bearer the-right-token"}});
  EXPECT_EQ(client.Get("/api/nothing-here")->status, 404);
  EXPECT_EQ(client.Get("/api/health")->status, 200);

  auto logged = [&](const std::string& method, const std::string& path, int status, const std::string& reason) {
    std::vector<std::string> parts{"\"method\":\"" + method + "\"", "\"path\":\"" + path + "\"",
                                   "\"status\":" + std::to_string(status)};
    if (!reason.empty()) parts.push_back("\"reason\":\"" + reason + "\"");
    return capture.WaitForLine(parts).has_value();
  };
  EXPECT_TRUE(logged("GET", "/api/cards", 401, "no_credentials")) << capture.Text();
  EXPECT_TRUE(logged("GET", "/api/cards", 401, "wrong_token")) << capture.Text();
  EXPECT_TRUE(logged("POST", "/api/cards", 401, "wrong_token")) << capture.Text();
  EXPECT_TRUE(logged("GET", "/api/nothing-here", 404, "no_route")) << capture.Text();
  EXPECT_TRUE(logged("GET", "/api/health", 200, "")) << capture.Text();
  for (const auto& l : capture.Lines()) EXPECT_TRUE(Json::parse(l, nullptr, false).is_object()) << l;
  EXPECT_EQ(capture.Text().find(kSecret), std::string::npos);
}

}  // namespace
}  // namespace charchive::api
