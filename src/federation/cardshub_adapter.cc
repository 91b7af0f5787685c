#include "federation/cardshub_adapter.h"

#include <cctype>
#include <limits>
#include <set>

#include "card/card_file.h"
#include "card/json_fields.h"
#include "card/json_parse.h"
#include "federation/errors.h"
#include "util/sha256.h"

namespace charchive::federation {
namespace {

constexpr size_t kRememberedOriginals = 16;
constexpr int kPageSize = 100;
constexpr int kMaxPages = 1000;

Status RefusedBy(const PeerResponse& res, const std::string& what) {
  return HttpError(res, federation_error::kPeerRefused, what, CardsHubErrorText(res));
}

}  // namespace

CardsHubAdapter::CardsHubAdapter(PeerHttp http, const PlatformConfig& config)
    : session_(std::move(http), config), options_(config.cardshub) {}

void CardsHubAdapter::Remember(const std::string& content_hash, Original original) {
  std::lock_guard lock(mu_);
  if (originals_.emplace(content_hash, std::move(original)).second) remembered_.push_back(content_hash);
  while (remembered_.size() > kRememberedOriginals) {
    originals_.erase(remembered_.front());
    remembered_.pop_front();
  }
}

Status CardsHubAdapter::ExpectSuccess(const PeerResponse& res, const std::string& what) {
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, what));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(body, JsonOrigin::Peer(what)));
  CHARCHIVE_ASSIGN_OR_RETURN(bool success, fields.BoolOr("success", false));
  if (!success) return Status::Remote(federation_error::kPeerBadResponse, what + " answered 200 without success: true");
  return Status::Ok();
}

Result<PeerResponse> CardsHubAdapter::SendForCard(const PeerRequest& request, const std::string& what) {
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, session_.Send(request, what));
  if (res.status != 404) return res;
  CHARCHIVE_ASSIGN_OR_RETURN(bool renewed, session_.RenewIfExpired());
  if (!renewed) return res;
  return session_.Send(request, what);
}

Result<Json> CardsHubAdapter::TestConnection() {
  CHARCHIVE_RETURN_IF_ERROR(session_.Login().status());
  const std::string what = "CardsHub GET /api/auth/session";
  PeerRequest get;
  get.path = "/api/auth/session";
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, session_.Send(get, what));
  if (res.status != 200) return RefusedBy(res, what);
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, what));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(body, JsonOrigin::Peer(what)));
  CHARCHIVE_ASSIGN_OR_RETURN(auto session_user, fields.OptionalObject("user"));
  if (!session_user) {
    return Status::Remote(federation_error::kPeerBadResponse, what + " answered no user right after a login");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(std::string username, session_user->String("username"));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string display_name, session_user->StringOr("displayName", username));
  Json id = session_user->Raw("id");
  return Json{{"software", "CardsHub"},
              {"user", {{"id", id}, {"username", username}, {"displayName", display_name}}},
              {"message", "logged in to CardsHub as " + username}};
}

Result<std::string> CardsHubAdapter::Push(const OutgoingCard& card) {
  // The service refuses these first, with the user's choices (UpdatesInPlace).
  if (card.platform_id) {
    return Status::Conflict(
        federation_error::kPeerCannotUpdate,
        "CardsHub has no update route (PUT and PATCH are 405): " + *card.platform_id + " cannot be replaced");
  }
  const std::string what = "CardsHub POST /api/cards";
  Json tags = Json::array();
  for (const std::string& tag : card.card.tags()) tags.push_back(tag);
  const std::string tags_text = tags.dump();
  PeerRequest post;
  post.method = "POST";
  post.path = "/api/cards";
  post.parts.push_back({"file", card.png, std::to_string(card.card_id) + ".png", "image/png"});
  post.parts.push_back({"visibility", options_.visibility, "", ""});
  post.parts.push_back({"tags", tags_text, "", ""});
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, session_.Send(post, what));
  if (res.status != 200 && res.status != 201) return RefusedBy(res, what);
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, what));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(body, JsonOrigin::Peer(what)));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields data, fields.Object("data"));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string slug, data.String("slug"));
  if (slug.empty()) return Status::Remote(federation_error::kPeerBadResponse, what + " answered an empty slug");
  RememberSent(Sha256Hex(card.png), card.png);
  return slug;
}

Result<CardsHubAdapter::Detail> CardsHubAdapter::ReadDetail(const std::string& slug) {
  const std::string what = "CardsHub GET /api/cards/:slug";
  PeerRequest get;
  get.path = "/api/cards/" + PercentEncode(slug);
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, SendForCard(get, what));
  if (res.status == 404) return Status::NotFound(federation_error::kRemoteMissing, "CardsHub has no card " + slug);
  if (res.status != 200) return RefusedBy(res, what);
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, what));
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(body, JsonOrigin::Peer(what)));
  Detail detail;
  CHARCHIVE_ASSIGN_OR_RETURN(detail.slug, fields.String("slug"));
  if (detail.slug != slug) {
    return Status::Remote(federation_error::kPeerBadResponse,
                          what + " answered card " + detail.slug + " when asked for " + slug);
  }
  CHARCHIVE_ASSIGN_OR_RETURN(std::string version_id, fields.String("versionId"));
  CHARCHIVE_ASSIGN_OR_RETURN(detail.content_hash, fields.String("contentHash"));
  // Hex, compared with Sha256Hex's lower case.
  for (char& c : detail.content_hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  detail.clock = version_id + ":" + detail.content_hash;
  CHARCHIVE_ASSIGN_OR_RETURN(detail.visibility, fields.StringOr("visibility", ""));
  CHARCHIVE_ASSIGN_OR_RETURN(detail.downloads, fields.IntOr("downloadsCount", 0));
  CHARCHIVE_ASSIGN_OR_RETURN(detail.favorites, fields.IntOr("favoritesCount", 0));
  return detail;
}

Result<CardsHubAdapter::Original> CardsHubAdapter::OriginalOf(const Detail& detail) {
  {
    std::lock_guard lock(mu_);
    auto known = originals_.find(detail.content_hash);
    if (known != originals_.end()) return known->second;
  }
  const std::string what = "CardsHub GET /api/cards/:slug/download?format=original";
  PeerRequest get;
  get.path = "/api/cards/" + PercentEncode(detail.slug) + "/download?format=original";
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, SendForCard(get, what));
  if (res.status == 404)
    return Status::NotFound(federation_error::kRemoteMissing, "CardsHub has no card " + detail.slug);
  if (res.status != 200) return RefusedBy(res, what);
  if (Sha256Hex(res.body) != detail.content_hash) {
    return Status::Remote(federation_error::kPeerBadResponse,
                          what + " answered bytes whose SHA-256 is not the card's contentHash " + detail.content_hash);
  }
  auto card = ParseCardBytes(res.body);
  if (!card.ok()) {
    return Status::Remote(
        federation_error::kPeerBadCard,
        "CardsHub stores card " + detail.slug + " in a file the archive cannot read (" + card.status().message() + ")");
  }
  Original original{std::move(res.body), card->original_json()};
  Remember(detail.content_hash, original);
  return original;
}

void CardsHubAdapter::RememberSent(const std::string& content_hash, const std::string& png) {
  // What the hub will read from these bytes is what the archive reads from them.
  auto card = ParseCardBytes(png);
  if (card.ok()) Remember(content_hash, Original{png, card->original_json()});
}

Result<RemoteCard> CardsHubAdapter::Fetch(const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Detail detail, ReadDetail(platform_id));
  CHARCHIVE_ASSIGN_OR_RETURN(Original original, OriginalOf(detail));
  return RemoteCard{platform_id, std::move(original.card_json), detail.clock};
}

Result<std::optional<RemoteCard>> CardsHubAdapter::FetchIfChanged(const std::string& platform_id,
                                                                  const std::optional<std::string>& known_clock) {
  CHARCHIVE_ASSIGN_OR_RETURN(Detail detail, ReadDetail(platform_id));
  if (known_clock && *known_clock == detail.clock) return std::optional<RemoteCard>();
  CHARCHIVE_ASSIGN_OR_RETURN(Original original, OriginalOf(detail));
  return std::optional<RemoteCard>(RemoteCard{platform_id, std::move(original.card_json), detail.clock});
}

Result<std::string> CardsHubAdapter::FetchImage(const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Detail detail, ReadDetail(platform_id));
  CHARCHIVE_ASSIGN_OR_RETURN(Original original, OriginalOf(detail));
  return std::move(original.bytes);
}

Result<RemoteCardStats> CardsHubAdapter::Stats(const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Detail detail, ReadDetail(platform_id));
  return RemoteCardStats{.platform_id = std::move(detail.slug),
                         .visibility = std::move(detail.visibility),
                         .downloads = detail.downloads,
                         .favorites = detail.favorites};
}

Result<std::vector<std::string>> CardsHubAdapter::ListSlugs(const std::string& path, size_t max) {
  const std::string what = "CardsHub GET " + path.substr(0, path.find('?'));
  std::vector<std::string> slugs;
  std::set<std::string> seen;
  const char* joiner = path.find('?') == std::string::npos ? "?" : "&";
  for (int page = 1; page <= kMaxPages && slugs.size() < max; ++page) {
    PeerRequest get;
    get.path = path + joiner + "page=" + std::to_string(page) + "&limit=" + std::to_string(kPageSize);
    CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, session_.Send(get, what));
    if (res.status != 200) return RefusedBy(res, what);
    CHARCHIVE_ASSIGN_OR_RETURN(Json body, JsonBody(res, what));
    CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(body, JsonOrigin::Peer(what)));
    CHARCHIVE_ASSIGN_OR_RETURN(auto items, fields.Array("items"));
    CHARCHIVE_ASSIGN_OR_RETURN(bool has_more, fields.BoolOr("hasMore", false));
    size_t added = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      CHARCHIVE_ASSIGN_OR_RETURN(JsonFields item,
                                 JsonFields::Of(*items[i], JsonOrigin::Peer(what), "items[" + std::to_string(i) + "]"));
      CHARCHIVE_ASSIGN_OR_RETURN(std::string slug, item.String("slug"));
      if (slug.empty())
        return Status::Remote(federation_error::kPeerBadResponse,
                              what + ": items[" + std::to_string(i) + "] has an empty slug");
      if (!seen.insert(slug).second) continue;
      ++added;
      if (slugs.size() < max) slugs.push_back(std::move(slug));
    }
    // A page with no card not seen before ends the listing: a peer that
    // answers the same page forever (hasMore and all) gets no more requests.
    if (!has_more || added == 0) break;
  }
  return slugs;
}

Result<std::vector<std::string>> CardsHubAdapter::OwnSlugs() {
  if (session_.username().empty()) {
    return Status::Conflict(federation_error::kPlatformUnconfigured,
                            "set CardsHub's user name and password in the Federation settings first");
  }
  return ListSlugs("/api/users/" + PercentEncode(session_.username()) + "/cards?sort=newest",
                   std::numeric_limits<size_t>::max());
}

std::optional<Result<std::vector<std::string>>> CardsHubAdapter::ListIds() {
  auto own = OwnSlugs();
  if (!own.ok() || !options_.pull_public) return own;
  std::string query = "/api/cards?sort=newest";
  if (!options_.pull_search.empty()) query += "&search=" + PercentEncode(options_.pull_search);
  if (!options_.pull_tags.empty()) query += "&tags=" + PercentEncode(options_.pull_tags);
  auto others = ListSlugs(query, static_cast<size_t>(options_.pull_max_cards));
  if (!others.ok()) return Result<std::vector<std::string>>(others.status());
  std::set<std::string> listed(own->begin(), own->end());
  for (std::string& slug : *others) {
    if (listed.insert(slug).second) own->push_back(std::move(slug));
  }
  return own;
}

Result<std::vector<RemoteCard>> CardsHubAdapter::List() {
  CHARCHIVE_ASSIGN_OR_RETURN(std::vector<std::string> slugs, *ListIds());
  std::vector<RemoteCard> cards;
  for (const std::string& slug : slugs) {
    CHARCHIVE_ASSIGN_OR_RETURN(RemoteCard card, Fetch(slug));
    cards.push_back(std::move(card));
  }
  return cards;
}

std::optional<Result<std::vector<std::string>>> CardsHubAdapter::CopiesOf(const OutgoingCard& card) {
  const std::string sent = Sha256Hex(card.png);
  auto own = OwnSlugs();
  if (!own.ok()) return own;
  std::vector<std::string> copies;
  for (const std::string& slug : *own) {
    auto detail = ReadDetail(slug);
    if (!detail.ok()) {
      // Deleted between the listing and the detail: not a copy.
      if (detail.status().kind() == federation_error::kRemoteMissing) continue;
      return Result<std::vector<std::string>>(detail.status());
    }
    if (detail->content_hash == sent) copies.push_back(slug);
  }
  if (!copies.empty()) RememberSent(sent, card.png);
  return Result<std::vector<std::string>>(std::move(copies));
}

Status CardsHubAdapter::SetVisibility(const std::string& platform_id, const std::string& visibility) {
  const std::string what = "CardsHub PUT /api/cards/:slug/visibility";
  PeerRequest put;
  put.method = "PUT";
  put.path = "/api/cards/" + PercentEncode(platform_id) + "/visibility";
  put.content_type = "application/json";
  put.body = Json{{"visibility", visibility}}.dump();
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, SendForCard(put, what));
  if (res.status == 404)
    return Status::NotFound(federation_error::kRemoteMissing, "CardsHub has no card " + platform_id);
  if (res.status != 200) return RefusedBy(res, what);
  return ExpectSuccess(res, what);
}

Status CardsHubAdapter::Remove(const std::string& platform_id) {
  const std::string what = "CardsHub DELETE /api/cards/:slug";
  PeerRequest del;
  del.method = "DELETE";
  del.path = "/api/cards/" + PercentEncode(platform_id);
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, SendForCard(del, what));
  if (res.status == 404)
    return Status::NotFound(federation_error::kRemoteMissing, "CardsHub has no card " + platform_id);
  if (res.status != 200) return RefusedBy(res, what);
  return ExpectSuccess(res, what);
}

}  // namespace charchive::federation
