#include "federation/cardshub_session.h"

#include "card/json_fields.h"
#include "card/json_parse.h"
#include "federation/errors.h"

namespace charchive::federation {
namespace {

constexpr char kCookieName[] = "cardshub_session";

// "cardshub_session=<value>" from the login's Set-Cookie headers; empty when absent.
std::string SessionCookie(const PeerResponse& res) {
  for (const std::string& header : res.HeaderValues("set-cookie")) {
    size_t end = header.find(';');
    std::string pair = header.substr(0, end);
    size_t eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == kCookieName && eq + 1 < pair.size()) return pair;
  }
  return "";
}

}  // namespace

std::string CardsHubErrorText(const PeerResponse& res) {
  auto parsed = ParseJsonText(res.body);
  if (!parsed.ok()) return "";
  const std::string* error = FindString(*parsed, "error");
  return error ? *error : "";
}

CardsHubSession::CardsHubSession(PeerHttp http, const PlatformConfig& config)
    : http_(std::move(http)),
      username_(config.username),
      password_(config.api_key),
      kept_(config.session_cookies),
      kept_key_(SessionCookies::KeyFor(config.base_url, config.username, config.api_key)) {
  if (kept_) cookie_ = kept_->Get(kept_key_);
}

Result<Json> CardsHubSession::Login() {
  if (username_.empty() || password_.empty()) {
    return Status::Conflict(federation_error::kPlatformUnconfigured,
                            "set CardsHub's user name and password in the Federation settings first");
  }
  const std::string what = "CardsHub POST /api/auth/login";
  PeerRequest login;
  login.method = "POST";
  login.path = "/api/auth/login";
  login.content_type = "application/json";
  login.body = Json{{"username", username_}, {"password", password_}}.dump();
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, http_.Send(login));
  if (res.status == 401) {
    return Status::Remote(federation_error::kPeerRejected,
                          "CardsHub refused the login of " + username_ + ": check the user name and password (" +
                              (CardsHubErrorText(res).empty() ? "HTTP 401" : CardsHubErrorText(res)) + ")");
  }
  if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, what, CardsHubErrorText(res));
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, what));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(body, JsonOrigin::Peer(what)));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields user, fields.Object("user"));
  CHARCHIVE_RETURN_IF_ERROR(user.String("username").status());
  std::string cookie = SessionCookie(res);
  if (cookie.empty()) {
    return Status::Remote(federation_error::kPeerBadResponse, what + " answered 200 without a cardshub_session cookie");
  }
  if (kept_) kept_->Put(kept_key_, cookie);
  {
    std::lock_guard lock(mu_);
    cookie_ = std::move(cookie);
  }
  return user.json();
}

Result<std::string> CardsHubSession::Cookie(const std::string& stale) {
  // One login at a time (the hub allows 10 a minute): workers that found no
  // cookie wait for the first one's login and take its cookie.
  std::lock_guard login(login_mu_);
  {
    std::lock_guard lock(mu_);
    if (!cookie_.empty() && cookie_ != stale) return cookie_;
  }
  CHARCHIVE_RETURN_IF_ERROR(Login().status());
  std::lock_guard lock(mu_);
  return cookie_;
}

Result<bool> CardsHubSession::RenewIfExpired() {
  std::string used;
  {
    std::lock_guard lock(mu_);
    used = cookie_;
  }
  if (!used.empty()) {
    const std::string what = "CardsHub GET /api/auth/session";
    PeerRequest get;
    get.path = "/api/auth/session";
    get.headers.emplace_back("Cookie", used);
    CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, http_.Send(get));
    if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, what, CardsHubErrorText(res));
    CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, what));
    CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(body, JsonOrigin::Peer(what)));
    CHARCHIVE_ASSIGN_OR_RETURN(auto user, fields.OptionalObject("user"));
    if (user) return false;
  }
  CHARCHIVE_RETURN_IF_ERROR(Cookie(used).status());
  return true;
}

Result<PeerResponse> CardsHubSession::Send(PeerRequest request, const std::string& what) {
  std::string used;
  for (int login = 0; login < 2; ++login) {
    CHARCHIVE_ASSIGN_OR_RETURN(used, Cookie(used));
    PeerRequest attempt = request;
    attempt.headers.emplace_back("Cookie", used);
    CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, http_.Send(attempt));
    if (res.status != 401) return res;
  }
  return Status::Remote(federation_error::kPeerRejected,
                        what + " refused " + username_ + "'s session twice, once right after a new login");
}

}  // namespace charchive::federation
