#include "federation/sillytavern_session.h"

#include "card/json_fields.h"
#include "federation/errors.h"
#include "util/base64.h"

namespace charchive::federation {
namespace {

bool IsCsrfRejection(const PeerResponse& response) {
  return response.status == 403 && response.body.find("CSRF") != std::string::npos;
}

}  // namespace

SillyTavernSession::SillyTavernSession(PeerHttp http, const PlatformConfig& config) : http_(std::move(http)) {
  if (config.auth_kind == AuthKind::kBasic)
    basic_auth_ = "Basic " + Base64Encode(config.username + ":" + config.api_key);
}

void SillyTavernSession::AddBasicAuth(PeerRequest& request) const {
  if (!basic_auth_.empty()) request.headers.emplace_back("Authorization", basic_auth_);
}

Result<SillyTavernSession::Credentials> SillyTavernSession::Current(bool refresh) {
  std::lock_guard lock(mu_);
  if (have_credentials_ && !refresh) return credentials_;
  PeerRequest get;
  get.path = "/csrf-token";
  AddBasicAuth(get);
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, http_.Send(get));
  if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, "SillyTavern /csrf-token");
  auto body = JsonBody(res, "SillyTavern /csrf-token");
  auto fields = body.ok() ? JsonFields::Of(*body, JsonOrigin::Peer("SillyTavern /csrf-token")) : body.status();
  auto read = fields.ok() ? fields->String("token") : fields.status();
  if (!read.ok()) {
    return Status::Remote(federation_error::kPeerBadResponse, "SillyTavern /csrf-token did not answer {token} (" +
                                                                  read.status().message() + "); is " +
                                                                  http_.base_url() + " a SillyTavern server?");
  }
  Credentials c;
  if (*read != "disabled") c.csrf_token = *read;
  for (const std::string& cookie : res.HeaderValues("set-cookie")) {
    std::string pair = cookie.substr(0, cookie.find(';'));
    if (pair.empty()) continue;
    if (!c.cookies.empty()) c.cookies += "; ";
    c.cookies += pair;
  }
  credentials_ = c;
  have_credentials_ = true;
  return c;
}

Result<bool> SillyTavernSession::Refresh() {
  CHARCHIVE_ASSIGN_OR_RETURN(Credentials c, Current(true));
  return !c.csrf_token.empty();
}

Result<PeerResponse> SillyTavernSession::Send(PeerRequest request) {
  AddBasicAuth(request);
  bool changes_state = request.method != "GET" && request.method != "HEAD";
  if (!changes_state) return http_.Send(request);
  size_t own_headers = request.headers.size();
  for (int attempt = 0;; ++attempt) {
    CHARCHIVE_ASSIGN_OR_RETURN(Credentials c, Current(attempt > 0));
    request.headers.resize(own_headers);
    if (!c.cookies.empty()) request.headers.emplace_back("Cookie", c.cookies);
    if (!c.csrf_token.empty()) request.headers.emplace_back("X-CSRF-Token", c.csrf_token);
    CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, http_.Send(request));
    if (attempt == 0 && IsCsrfRejection(res)) continue;
    return res;
  }
}

}  // namespace charchive::federation
