#include "api/session_routes.h"

#include "api/errors.h"
#include "api/json_response.h"
#include "api/request_params.h"

namespace charchive::api {
namespace {

constexpr int kSessionSeconds = 30 * 24 * 3600;

std::string SessionCookie(const std::string& value, int max_age) {
  return std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age);
}

}  // namespace

void AddSessionRoutes(httplib::Server& server, const AuthFilter& auth, SessionStore& sessions) {
  server.Post("/api/session", [&auth, &sessions](const httplib::Request& req, httplib::Response& res) {
    auto body = ObjectBody(req);
    if (!body.ok()) return WriteError(res, body.status());
    if (!body->contains("token") || !(*body)["token"].is_string()) {
      return WriteError(res, Status::Invalid(api_error::kBadField, "body must be {\"token\": \"<the API token>\"}"));
    }
    if (!auth.Login(req.remote_addr, (*body)["token"].get<std::string>(), res)) return;
    SessionStore::Session session = sessions.Create();
    res.set_header("Set-Cookie", SessionCookie(session.id, kSessionSeconds));
    res.set_header("Cache-Control", "no-store");
    WriteJson(res, 200, Json{{"authenticated", true}, {"csrfToken", session.csrf}});
  });
  server.Get("/api/session", [&sessions](const httplib::Request& req, httplib::Response& res) {
    auto csrf = sessions.CsrfFor(CookieValue(req.get_header_value("Cookie"), kSessionCookie));
    res.set_header("Cache-Control", "no-store");
    Json out{{"authenticated", true}};
    if (csrf) out["csrfToken"] = *csrf;
    WriteJson(res, 200, out);
  });
  server.Delete("/api/session", [&sessions](const httplib::Request& req, httplib::Response& res) {
    sessions.Remove(CookieValue(req.get_header_value("Cookie"), kSessionCookie));
    res.set_header("Set-Cookie", SessionCookie("", 0));
    WriteJson(res, 200, Json{{"success", true}});
  });
}

}  // namespace charchive::api
