#include "api/session_routes.h"

#include <cctype>

#include "api/errors.h"
#include "api/json_response.h"
#include "api/request_params.h"
#include "util/url.h"

namespace charchive::api {
namespace {

constexpr int kSessionSeconds = 30 * 24 * 3600;

std::string SessionCookie(const std::string& value, int max_age) {
  return std::string(kSessionCookie) + "=" + value +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
}

// Why a login attempt is not one the owner's own page or a script made, or
// "" when it is: a browser says where a request comes from (Sec-Fetch-Site,
// else Origin), a non-browser client says nothing; and the credentials must
// come as JSON, which another site's page cannot send without a CORS
// preflight that this server never answers. Such attempts are refused before
// the failed-login limiter sees them, so no web page can lock the owner out.
std::string ForeignLoginReason(const httplib::Request& req) {
  std::string fetch_site = req.get_header_value("Sec-Fetch-Site");
  if (!fetch_site.empty() && fetch_site != "same-origin")
    return "the login comes from another site (" + fetch_site + ")";
  if (fetch_site.empty() && req.has_header("Origin")) {
    auto origin = ParseUrl(req.get_header_value("Origin"));
    if (!origin.ok() || origin->Authority() != req.get_header_value("Host")) {
      return "the login comes from another origin";
    }
  }
  std::string type = req.get_header_value("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type != "application/json") return "send the token as Content-Type: application/json";
  return "";
}

}  // namespace

void AddSessionRoutes(httplib::Server& server, const AuthFilter& auth, SessionStore& sessions) {
  server.Post("/api/session", [&auth, &sessions](const httplib::Request& req, httplib::Response& res) {
    if (std::string reason = ForeignLoginReason(req); !reason.empty()) {
      return WriteError(res, Status::Forbidden(api_error::kForeignLogin, reason));
    }
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
