#include "federation/sillytavern_adapter.h"

#include <set>
#include <string_view>

#include "card/card_convert.h"
#include "card/json_fields.h"
#include "federation/errors.h"
#include "util/base64.h"

namespace charchive::federation {
namespace {

constexpr char kPluginBase[] = "/api/plugins/cforge";

std::string StripPng(std::string name) {
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".png") == 0) name.resize(name.size() - 4);
  return name;
}

PeerRequest JsonPost(std::string path, const Json& body) {
  PeerRequest req;
  req.method = "POST";
  req.path = std::move(path);
  req.body = body.dump();
  req.content_type = "application/json";
  return req;
}

// A file name SillyTavern keeps as it is (docs/peers.md "SillyTavern's file
// names": sanitize-filename; `preserved_name` is used as given but for its folder).
std::string SafeFileBase(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || std::string_view("/\\?<>:*|\"").find(static_cast<char>(c)) != std::string_view::npos) {
      continue;
    }
    out.push_back(static_cast<char>(c));
  }
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
  if (out.size() > 200) {
    out.resize(200);
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  }
  std::string upper;
  for (char c : out.substr(0, out.find('.')))
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  static const std::set<std::string> kDevices = {"CON",  "PRN",  "AUX",  "NUL",  "COM1", "COM2", "COM3", "COM4",
                                                 "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3",
                                                 "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"};
  if (out.empty() || kDevices.count(upper)) out = "card" + (out.empty() ? std::string() : "_" + out);
  return out;
}

}  // namespace

SillyTavernAdapter::SillyTavernAdapter(PeerHttp http, const PlatformConfig& config)
    : session_(std::move(http), config), config_(config) {}

PeerRequest SillyTavernAdapter::PluginRequest(std::string method, std::string path) const {
  PeerRequest req;
  req.method = std::move(method);
  req.path = kPluginBase + path;
  // The plugin's own token; not in Authorization, which Basic auth may need.
  if (config_.auth_kind == AuthKind::kBearer && !config_.api_key.empty()) {
    req.headers.emplace_back("X-CForge-Token", config_.api_key);
  }
  return req;
}

Result<Json> SillyTavernAdapter::ProbePlugin() {
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, session_.Send(PluginRequest("GET", "/probe")));
  if (res.status != 200) return HttpError(res, federation_error::kPluginUnavailable, "the CForge plugin's probe");
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, "the CForge plugin's probe"));
  auto fields = JsonFields::Of(body, JsonOrigin::Peer("the CForge plugin's probe"));
  auto ok = fields.ok() ? fields->BoolOr("ok", false) : Result<bool>(fields.status());
  if (!ok.ok() || !*ok) {
    return Status::Remote(federation_error::kPluginUnavailable, "the CForge plugin's probe did not answer {ok: true}");
  }
  return body;
}

Result<bool> SillyTavernAdapter::UsePlugin() {
  if (!config_.use_cforge) return false;
  std::lock_guard lock(mu_);
  if (use_plugin_) return *use_plugin_;
  auto probe = ProbePlugin();
  if (!probe.ok() && probe.status().kind() != federation_error::kPluginUnavailable) return probe.status();
  use_plugin_ = probe.ok();
  return *use_plugin_;
}

Result<Json> SillyTavernAdapter::TestConnection() {
  PeerRequest get;
  get.path = "/version";
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, session_.Send(get));
  if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, "SillyTavern /version");
  CHARCHIVE_ASSIGN_OR_RETURN(Json version, JsonBody(res, "SillyTavern /version"));
  if (!version.is_object() || !version.contains("pkgVersion")) {
    return Status::Remote(federation_error::kPeerBadResponse,
                          session_.http().base_url() + "/version does not look like SillyTavern's");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(version, JsonOrigin::Peer("SillyTavern /version")));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string pkg_version, fields.String("pkgVersion"));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string agent, fields.StringOr("agent", ""));
  CHARCHIVE_ASSIGN_OR_RETURN(bool csrf, session_.Refresh());
  Json data = {{"software", "SillyTavern"}, {"version", pkg_version}, {"agent", agent}, {"csrf", csrf},
               {"path", "native"},          {"plugin", nullptr}};
  if (config_.use_cforge) {
    auto probe = ProbePlugin();
    if (probe.ok()) {
      data["plugin"] = *probe;
      data["path"] = "cforge";
    } else {
      data["plugin_error"] = probe.status().message();
    }
  }
  return data;
}

Result<std::optional<std::string>> SillyTavernAdapter::FreeIdFor(const Card& card,
                                                                 const std::function<bool(const std::string&)>& taken) {
  std::string base = SafeFileBase(card.name());
  for (int n = 1; n <= 1000; ++n) {
    std::string candidate = n == 1 ? base : base + "_" + std::to_string(n);
    if (taken(candidate)) continue;
    auto existing = Fetch(candidate);
    if (!existing.ok() && existing.status().kind() == federation_error::kRemoteMissing)
      return std::optional<std::string>(candidate);
    if (!existing.ok()) return existing.status();
  }
  return Status::Conflict(federation_error::kNoFreeName, "SillyTavern has 1000 characters named like '" + base + "'");
}

Result<std::string> SillyTavernAdapter::Push(const OutgoingCard& card) {
  CHARCHIVE_ASSIGN_OR_RETURN(bool plugin, UsePlugin());
  return plugin ? PushPlugin(card) : PushNative(card);
}

Result<RemoteCard> SillyTavernAdapter::Fetch(const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(bool plugin, UsePlugin());
  return plugin ? FetchPlugin(platform_id) : FetchNative(platform_id);
}

Result<std::string> SillyTavernAdapter::PushNative(const OutgoingCard& card) {
  std::string preserved_name = card.platform_id ? *card.platform_id + ".png" : "";
  PeerRequest req;
  req.method = "POST";
  req.path = "/api/characters/import";
  req.parts.push_back({"avatar", card.png, "card.png", "image/png"});
  req.parts.push_back({"file_type", "png", "", ""});
  if (card.platform_id) req.parts.push_back({"preserved_name", preserved_name, "", ""});
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, session_.Send(std::move(req)));
  if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, "SillyTavern's import");
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, "SillyTavern's import"));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(body, JsonOrigin::Peer("SillyTavern's import")));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string file_name, fields.StringOr("file_name", ""));
  if (!file_name.empty()) return file_name;
  CHARCHIVE_ASSIGN_OR_RETURN(bool refused, fields.BoolOr("error", false));
  if (refused) {
    return Status::Remote(federation_error::kPeerRejected,
                          "SillyTavern refused the card (its import answered {\"error\": true}; "
                          "see the SillyTavern server log)");
  }
  return Status::Remote(federation_error::kPeerBadResponse, "SillyTavern's import answered without a file_name");
}

Result<RemoteCard> SillyTavernAdapter::FetchNative(const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res,
                             session_.Send(JsonPost("/api/characters/get", {{"avatar_url", platform_id + ".png"}})));
  if (res.status == 404) {
    return Status::NotFound(federation_error::kRemoteMissing, "SillyTavern has no character " + platform_id + ".png");
  }
  if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, "SillyTavern's /api/characters/get");
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, "SillyTavern's /api/characters/get"));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields,
                             JsonFields::Of(body, JsonOrigin::Peer("SillyTavern's /api/characters/get")));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string json_data, fields.String("json_data"));
  return RemoteCard{platform_id, std::move(json_data), std::nullopt};
}

Result<std::string> SillyTavernAdapter::PushPlugin(const OutgoingCard& card) {
  PeerRequest req = PluginRequest("POST", "/sync/import");
  Json body = {{"cardData", ToV3Document(card.card)},
               {"filename", card.platform_id ? *card.platform_id : card.card.name()},
               {"image", Base64Encode(card.png)},
               {"overwrite", card.platform_id.has_value()},
               {"user", "default"}};
  req.body = body.dump();
  req.content_type = "application/json";
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, session_.Send(std::move(req)));
  if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, "the CForge plugin's import");
  CHARCHIVE_ASSIGN_OR_RETURN(Json answer, JsonBody(res, "the CForge plugin's import"));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(answer, JsonOrigin::Peer("the CForge plugin's import")));
  CHARCHIVE_ASSIGN_OR_RETURN(bool success, fields.BoolOr("success", false));
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<std::string> filename, fields.OptionalString("filename"));
  if (!success || !filename) {
    const std::string* error = FindString(answer, "error");
    return Status::Remote(federation_error::kPeerRejected,
                          "the CForge plugin did not import the card" + (error ? ": " + *error : ""));
  }
  return StripPng(*filename);
}

Result<RemoteCard> SillyTavernAdapter::FetchPlugin(const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res,
                             session_.Send(PluginRequest("GET", "/cards/" + PercentEncode(platform_id + ".png"))));
  if (res.status == 404) {
    return Status::NotFound(federation_error::kRemoteMissing, "SillyTavern has no character " + platform_id + ".png");
  }
  if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, "the CForge plugin's card read");
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, "the CForge plugin's card read"));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields,
                             JsonFields::Of(body, JsonOrigin::Peer("the CForge plugin's card read")));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string json, fields.String("json"));
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<int64_t> mtime, fields.OptionalInt("mtime"));
  RemoteCard remote{platform_id, std::move(json), std::nullopt};
  if (mtime) remote.updated_at = std::to_string(*mtime);
  return remote;
}

Result<std::vector<RemoteCard>> SillyTavernAdapter::List() {
  CHARCHIVE_ASSIGN_OR_RETURN(bool plugin, UsePlugin());
  return plugin ? ListPlugin() : ListNative();
}

Result<std::vector<RemoteCard>> SillyTavernAdapter::ListNative() {
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, session_.Send(JsonPost("/api/characters/all", Json::object())));
  if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, "SillyTavern's /api/characters/all");
  CHARCHIVE_ASSIGN_OR_RETURN(Json all, JsonBody(res, "SillyTavern's /api/characters/all"));
  if (!all.is_array())
    return Status::Remote(federation_error::kPeerBadResponse, "SillyTavern's /api/characters/all is not a list");
  std::vector<RemoteCard> cards;
  for (const Json& c : all) {
    if (!c.is_object() || !c.contains("avatar") || !c["avatar"].is_string()) continue;
    std::string id = StripPng(c["avatar"].get<std::string>());
    if (c.contains("json_data") && c["json_data"].is_string()) {
      cards.push_back(RemoteCard{id, c["json_data"].get<std::string>(), std::nullopt});
      continue;
    }
    // Shallow listing (performance.lazyLoadCharacters): one /get per card.
    CHARCHIVE_ASSIGN_OR_RETURN(RemoteCard full, FetchNative(id));
    cards.push_back(std::move(full));
  }
  return cards;
}

Result<std::vector<RemoteCard>> SillyTavernAdapter::ListPlugin() {
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, session_.Send(PluginRequest("GET", "/cards")));
  if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, "the CForge plugin's card list");
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, "the CForge plugin's card list"));
  if (!body.is_object() || !body.contains("cards") || !body["cards"].is_array()) {
    return Status::Remote(federation_error::kPeerBadResponse, "the CForge plugin's card list has no cards array");
  }
  std::vector<RemoteCard> cards;
  for (const Json& c : body["cards"]) {
    // Entries that are not cards (another plugin version's extras) are skipped; a card's fields must have their types.
    if (!c.is_object() || !c.contains("file") || !c.contains("json")) continue;
    CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(c, JsonOrigin::Peer("the CForge plugin's card list")));
    CHARCHIVE_ASSIGN_OR_RETURN(std::string file, fields.String("file"));
    CHARCHIVE_ASSIGN_OR_RETURN(std::string json, fields.String("json"));
    CHARCHIVE_ASSIGN_OR_RETURN(std::optional<int64_t> mtime, fields.OptionalInt("mtime"));
    RemoteCard card{StripPng(file), std::move(json), std::nullopt};
    if (mtime) card.updated_at = std::to_string(*mtime);
    cards.push_back(std::move(card));
  }
  return cards;
}

Result<std::string> SillyTavernAdapter::FetchImage(const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(bool plugin, UsePlugin());
  if (plugin) {
    CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res,
                               session_.Send(PluginRequest("GET", "/cards/" + PercentEncode(platform_id + ".png"))));
    if (res.status == 404)
      return Status::NotFound(federation_error::kRemoteMissing, "SillyTavern has no character " + platform_id + ".png");
    if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, "the CForge plugin's card read");
    CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, "the CForge plugin's card read"));
    CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields,
                               JsonFields::Of(body, JsonOrigin::Peer("the CForge plugin's card read")));
    CHARCHIVE_ASSIGN_OR_RETURN(std::string image, fields.String("image"));
    auto png = Base64Decode(image);
    if (!png.ok()) return Status::Remote(federation_error::kPeerBadResponse, "the CForge plugin's image is not base64");
    return std::move(png).value();
  }
  PeerRequest get;
  get.path = "/characters/" + PercentEncode(platform_id + ".png");
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, session_.Send(get));
  if (res.status == 404)
    return Status::NotFound(federation_error::kRemoteMissing, "SillyTavern has no character " + platform_id + ".png");
  if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, "SillyTavern's character file");
  return std::move(res.body);
}

}  // namespace charchive::federation
