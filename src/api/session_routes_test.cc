#include "api/session_routes.h"

#include <gtest/gtest.h>

#include <thread>

#include "api/server.h"
#include "testing/api_test_server.h"
#include "testing/test_cards.h"
#include "util/file_io.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::TempDir;

class SessionRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ApiTestServer>("the-token");
    port_ = server_->port();
  }
  std::unique_ptr<ApiTestServer> server_;
  int port_ = 0;
};

TEST_F(SessionRoutesTest, LoginSetsAStrictHttpOnlyCookieAndStateChangesNeedTheCsrfToken) {
  httplib::Client c("127.0.0.1", port_);
  EXPECT_EQ(c.Post("/api/session", R"({"token": "wrong"})", "application/json")->status, 401);
  EXPECT_EQ(c.Post("/api/session", "[]", "application/json")->status, 400);
  auto login = c.Post("/api/session", R"({"token": "the-token"})", "application/json");
  ASSERT_EQ(login->status, 200);
  std::string set_cookie = login->get_header_value("Set-Cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  std::string csrf = Json::parse(login->body)["csrfToken"];
  ASSERT_EQ(csrf.size(), 64u);

  httplib::Headers with_cookie = {{"Cookie", cookie}};
  EXPECT_EQ(c.Get("/api/cards", with_cookie)->status, 200);
  EXPECT_EQ(c.Get("/api/session", with_cookie)->status, 200);
  EXPECT_EQ(Json::parse(c.Get("/api/session", with_cookie)->body)["csrfToken"], csrf);
  // A state change without the token (a cross-site form, say) is refused.
  EXPECT_EQ(c.Post("/api/federation/platforms/architect", with_cookie, "{}", "application/json")->status, 403);
  httplib::Headers with_csrf = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
  EXPECT_EQ(c.Post("/api/federation/platforms/architect", with_csrf, "{}", "application/json")->status, 200);
  httplib::Headers wrong_csrf = {{"Cookie", cookie}, {"X-CSRF-Token", std::string(64, 'a')}};
  EXPECT_EQ(c.Post("/api/federation/platforms/architect", wrong_csrf, "{}", "application/json")->status, 403);

  EXPECT_EQ(c.Delete("/api/session", with_csrf)->status, 200);
  EXPECT_EQ(c.Get("/api/cards", with_cookie)->status, 401);
  EXPECT_EQ(c.Get("/api/session")->status, 401);
  EXPECT_EQ(c.Get("/api/cards", {{"Cookie", std::string(kSessionCookie) + "=forged"}})->status, 401);
}

TEST_F(SessionRoutesTest, CrossSiteLoginStormsAreRefusedUncountedAndNeverLockTheOwnerOut) {
  httplib::Client c("127.0.0.1", port_);
  const std::string host = "127.0.0.1:" + std::to_string(port_);
  // What another site's page can send: a no-cors fetch (text/plain), a form,
  // or JSON that names its origin; each many times the limiter's five.
  for (int i = 0; i < 12; ++i) {
    auto no_cors = c.Post("/api/session", {{"Origin", "https://evil.example"}, {"Sec-Fetch-Site", "cross-site"}},
                          R"({"token": "guess"})", "text/plain");
    ASSERT_TRUE(no_cors);
    EXPECT_EQ(no_cors->status, 403);
    EXPECT_EQ(c.Post("/api/session", {{"Origin", "https://evil.example"}}, R"({"token": "guess"})", "application/json")
                  ->status,
              403);
    EXPECT_EQ(
        c.Post("/api/session", {{"Sec-Fetch-Site", "same-site"}}, R"({"token": "guess"})", "application/json")->status,
        403);
    EXPECT_EQ(c.Post("/api/session", R"({"token": "guess"})", "application/x-www-form-urlencoded")->status, 403);
  }
  EXPECT_EQ(c.Get("/api/cards", {{"Authorization", "Bearer the-token"}})->status, 200);
  EXPECT_EQ(c.Post("/api/session", {{"Origin", "http://" + host}, {"Sec-Fetch-Site", "same-origin"}},
                   R"({"token": "the-token"})", "application/json; charset=utf-8")
                ->status,
            200);

  // Our own page's wrong guesses (same origin, JSON) and a script's still count.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        c.Post("/api/session", {{"Origin", "http://" + host}}, R"({"token": "wrong"})", "application/json")->status,
        401);
  }
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(c.Post("/api/session", R"({"token": "wrong"})", "application/json")->status, 401);
  EXPECT_EQ(c.Post("/api/session", R"({"token": "the-token"})", "application/json")->status, 429);
}

TEST(SessionStore, SessionsSurviveARestartThroughTheirFileWhichHoldsNoCookie) {
  TempDir dir;
  std::string file = dir.File("sessions");
  SessionStore::Session s;
  {
    SessionStore store(file);
    s = store.Create();
    store.Create();
  }
  SessionStore again(file);
  EXPECT_EQ(again.CsrfFor(s.id), s.csrf);
  auto text = ReadFile(file, 1 << 20);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->find(s.id), std::string::npos);
  again.Remove(s.id);
  EXPECT_FALSE(SessionStore(file).CsrfFor(s.id));
}

// The server forgets a session a week after its last use, or thirty days after
// the login however often it is used, and an old session file's lines are
// read (their clock starts at the load).
TEST(SessionStore, SessionsExpireWhenIdleAndAfterTheirLifetime) {
  TempDir dir;
  std::string file = dir.File("sessions");
  auto now = std::chrono::system_clock::time_point(std::chrono::hours(24 * 20000));
  SessionStore::Clock clock = [&] { return now; };
  SessionStore store(file, clock);
  SessionStore::Session idle = store.Create();
  SessionStore::Session busy = store.Create();
  for (int day = 1; day <= 29; ++day) {
    now += std::chrono::hours(24);
    EXPECT_TRUE(store.CsrfFor(busy.id)) << "day " << day;
    if (day == 6) {
      EXPECT_TRUE(store.CsrfFor(idle.id));
    }
  }
  EXPECT_FALSE(store.CsrfFor(idle.id)) << "idle since day 6";
  EXPECT_TRUE(SessionStore(file, clock).CsrfFor(busy.id)) << "a restart keeps it";
  now += std::chrono::hours(24);
  EXPECT_FALSE(store.CsrfFor(busy.id)) << "30 days after the login";
  EXPECT_FALSE(SessionStore(file, clock).CsrfFor(busy.id));

  ASSERT_TRUE(WriteFileAtomic(file, std::string(64, 'a') + " " + std::string(64, 'b') + "\n").ok());
  SessionStore legacy(file, clock);
  SessionStore::Session fresh = legacy.Create();
  auto text = ReadFile(file, 1 << 20);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find(std::string(64, 'a')), std::string::npos) << "an old line is kept, with times";
  EXPECT_TRUE(legacy.CsrfFor(fresh.id));
}

TEST(CookieValue, FindsOneCookieAmongMany) {
  EXPECT_EQ(CookieValue("a=1; charchive_session=xyz; b=2", "charchive_session"), "xyz");
  EXPECT_EQ(CookieValue("charchive_session=", "charchive_session"), "");
  EXPECT_EQ(CookieValue("xcharchive_session=1", "charchive_session"), "");
  EXPECT_EQ(CookieValue("", "charchive_session"), "");
}

}  // namespace
}  // namespace charchive::api
