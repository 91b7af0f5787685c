#include "federation/hub_adapter.h"

#include <algorithm>
#include <chrono>

#include "card/content_hash.h"
#include "card/json_fields.h"
#include "federation/errors.h"
#include "util/time_format.h"
#include "util/url.h"

namespace charchive::federation {
namespace {

constexpr int kMaxOutboxPages = 10000;

}  // namespace

HubAdapter::HubAdapter(PeerHttp http, const PlatformConfig& config) : http_(std::move(http)), config_(config) {
  auto url = ParseUrl(config.base_url);
  origin_ = url.ok() ? url->Origin() : config.base_url;
  authority_ = url.ok() ? url->Authority() : "";
}

Result<std::string> HubAdapter::PathOnHub(const std::string& url) const {
  auto parsed = ParseUrl(url);
  if (!parsed.ok() || parsed->Origin() != origin_) {
    return Status::Remote(federation_error::kPeerBadResponse,
                          "the hub pointed to " + url + ", which is not on " + origin_);
  }
  return parsed->Target();
}

Result<PeerResponse> HubAdapter::Get(const std::string& url, const std::string& accept) {
  CHARCHIVE_ASSIGN_OR_RETURN(std::string path, PathOnHub(url));
  auto origin_http = PeerHttp::ForBaseUrl(origin_, PeerHttpLimits{.request_timeout = config_.request_timeout});
  if (!origin_http.ok()) return origin_http.status();
  PeerRequest request;
  request.path = path;
  request.headers.emplace_back("Accept", accept);
  return origin_http->Send(request);
}

Result<Json> HubAdapter::GetJson(const std::string& url, const std::string& what) {
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, Get(url, kActivityJson));
  if (res.status == 404 || res.status == 410) {
    return Status::NotFound(federation_error::kRemoteMissing,
                            what + " is gone from the hub (HTTP " + std::to_string(res.status) + ")");
  }
  if (res.status != 200) return HttpError(res, federation_error::kPeerRefused, "the hub's " + what);
  return JsonBody(res, "the hub's " + what);
}

Result<Json> HubAdapter::Actor() {
  {
    std::lock_guard lock(mu_);
    if (actor_) return *actor_;
  }
  std::string host = authority_;
  std::string user = config_.username.empty() ? "archive" : config_.username;
  CHARCHIVE_ASSIGN_OR_RETURN(
      Json finger, GetJson(origin_ + "/.well-known/webfinger?resource=" + PercentEncode("acct:" + user + "@" + host),
                           "WebFinger for acct:" + user + "@" + host));
  std::string actor_url;
  if (finger.is_object() && finger.contains("links") && finger["links"].is_array()) {
    for (const Json& link : finger["links"]) {
      const std::string* rel = FindString(link, "rel");
      const std::string* href = FindString(link, "href");
      if (rel && *rel == "self" && href) actor_url = *href;
    }
  }
  if (actor_url.empty())
    return Status::Remote(federation_error::kPeerBadResponse, "the hub's WebFinger answer has no self link");
  CHARCHIVE_ASSIGN_OR_RETURN(Json actor, GetJson(actor_url, "actor"));
  if (!actor.is_object() || !actor.contains("inbox") || !actor["inbox"].is_string() || !actor.contains("publicKey")) {
    return Status::Remote(federation_error::kPeerBadResponse,
                          "the hub's actor " + actor_url + " has no inbox or public key");
  }
  // Every field the adapter reads later has its type checked here, once.
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields,
                             JsonFields::Of(actor, JsonOrigin::Peer("the hub's actor " + actor_url)));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string id, fields.String("id"));
  for (const char* key : {"name", "preferredUsername", "outbox"}) {
    CHARCHIVE_RETURN_IF_ERROR(fields.OptionalString(key).status());
  }
  if (id != actor_url) {
    return Status::Remote(federation_error::kPeerBadResponse, "the hub's actor document is not " + actor_url);
  }
  std::lock_guard lock(mu_);
  actor_ = actor;
  return actor;
}

Result<Json> HubAdapter::TestConnection() {
  CHARCHIVE_ASSIGN_OR_RETURN(Json actor, Actor());
  auto text = [&actor](const char* key) {
    const std::string* value = FindString(actor, key);  // types checked by Actor()
    return value ? *value : std::string();
  };
  std::string name = text("name").empty() ? text("preferredUsername") : text("name");
  return Json{{"software", "ActivityPub hub"},
              {"actor", text("id")},
              {"name", name},
              {"inbox", text("inbox")},
              {"outbox", text("outbox")}};
}

Result<std::string> HubAdapter::Push(const OutgoingCard& card) {
  if (!config_.hub_identity) {
    return Status::Conflict(federation_error::kNoPublicUrl,
                            "this archive's public URL is not set, so the hub cannot verify its pushes: start it "
                            "with `charchive serve --public-url URL`");
  }
  const HubIdentity& me = *config_.hub_identity;
  CHARCHIVE_ASSIGN_OR_RETURN(Json actor, Actor());
  std::string inbox = actor["inbox"].get<std::string>();
  CHARCHIVE_ASSIGN_OR_RETURN(std::string inbox_path, PathOnHub(inbox));
  std::string now = IsoUtcNow();
  CardObjectMeta meta{.id = card.platform_id ? *card.platform_id : me.urls.Card(card.card_id),
                      .attributed_to = me.urls.Actor(),
                      .published = now,
                      .updated = now,
                      .image_url = me.urls.CardImage(card.card_id),
                      .content_hash = ContentHash(card.card)};
  std::string type = card.platform_id ? "Update" : "Create";
  std::string activity_id = me.urls.base + "/ap/activities/push-" + std::to_string(card.card_id) + "-" +
                            std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
  std::string body = ActivityDocument(type, activity_id, me.urls.Actor(), CardObject(card.card, meta), now).dump();
  CHARCHIVE_ASSIGN_OR_RETURN(auto headers, SignRequest(me.key, me.urls.KeyId(), "POST", authority_, inbox_path, body));
  auto origin_http = PeerHttp::ForBaseUrl(origin_, PeerHttpLimits{.request_timeout = config_.request_timeout});
  if (!origin_http.ok()) return origin_http.status();
  PeerRequest request{.method = "POST",
                      .path = inbox_path,
                      .headers = std::move(headers),
                      .body = std::move(body),
                      .content_type = kActivityJson};
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, origin_http->Send(request));
  if (res.status < 200 || res.status >= 300) {
    return HttpError(res, federation_error::kPeerRefused, "the hub's inbox");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(Json answer, JsonBody(res, "the hub's inbox"));
  if (answer.is_object() && answer.contains("status") && answer["status"] == "suggested") {
    // The card is the hub's own: its owner sees our edit, the card is unchanged.
    return Status::Remote(
        federation_error::kPeerKeptSuggestion,
        "the hub owns this card: it keeps the edit as a suggestion for its owner and changed nothing");
  }
  if (!answer.is_object() || !answer.contains("id") || !answer["id"].is_string()) {
    return Status::Remote(federation_error::kPeerBadResponse,
                          "the hub's inbox accepted the card but did not say its id");
  }
  std::string id = answer["id"].get<std::string>();
  CHARCHIVE_RETURN_IF_ERROR(PathOnHub(id).status());
  return id;
}

Result<RemoteCard> HubAdapter::Fetch(const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Json object, GetJson(platform_id, "card " + platform_id));
  auto parsed = ParseCardObject(object);
  if (!parsed.ok()) return Status::Remote(federation_error::kPeerBadResponse, parsed.status().message());
  if (parsed->id != platform_id) {
    return Status::Remote(federation_error::kPeerBadResponse, "the hub answered " + parsed->id + " for " + platform_id);
  }
  return RemoteCard{platform_id, parsed->content, parsed->updated};
}

Result<std::vector<RemoteCard>> HubAdapter::ReadOutbox(const std::string& collection_url, bool with_deletes) {
  CHARCHIVE_ASSIGN_OR_RETURN(Json collection, GetJson(collection_url, "outbox"));
  std::vector<RemoteCard> cards;
  std::optional<std::string> next;
  if (collection.contains("first") && collection["first"].is_string()) next = collection["first"].get<std::string>();
  for (int pages = 0; next && pages < kMaxOutboxPages; ++pages) {
    CHARCHIVE_ASSIGN_OR_RETURN(Json page, GetJson(*next, "outbox page"));
    next.reset();
    if (page.contains("next") && page["next"].is_string()) next = page["next"].get<std::string>();
    if (!page.contains("orderedItems") || !page["orderedItems"].is_array()) break;
    for (const Json& item : page["orderedItems"]) {
      if (!item.is_object() || !item.contains("object")) continue;
      const std::string* type_field = FindString(item, "type");
      std::string type = type_field ? *type_field : "";
      if (type == "Delete" && with_deletes) {
        auto id = ObjectId(item["object"]);
        if (!id || !PathOnHub(*id).ok()) continue;
        std::optional<std::string> when;
        if (item.contains("published") && item["published"].is_string()) when = item["published"].get<std::string>();
        cards.push_back(RemoteCard{*id, "", when, true});
        continue;
      }
      if (type != "Create" && type != "Update") continue;
      auto parsed = ParseCardObject(item["object"]);
      if (!parsed.ok() || !PathOnHub(parsed->id).ok()) continue;
      cards.push_back(RemoteCard{parsed->id, parsed->content, parsed->updated});
    }
  }
  return cards;
}

Result<std::vector<RemoteCard>> HubAdapter::List() {
  CHARCHIVE_ASSIGN_OR_RETURN(Json actor, Actor());
  const std::string* outbox = FindString(actor, "outbox");  // type checked by Actor()
  return ReadOutbox(outbox ? *outbox : "", false);
}

std::optional<Result<std::vector<RemoteCard>>> HubAdapter::ChangesSince(const std::optional<std::string>& since) {
  auto actor = Actor();
  if (!actor.ok()) return Result<std::vector<RemoteCard>>(actor.status());
  const std::string* outbox_field = FindString(*actor, "outbox");  // type checked by Actor()
  std::string outbox = outbox_field ? *outbox_field : "";
  if (since) outbox += (outbox.find('?') == std::string::npos ? "?since=" : "&since=") + PercentEncode(*since);
  auto changes = ReadOutbox(outbox, true);
  if (changes.ok()) std::reverse(changes->begin(), changes->end());  // the outbox is newest first
  return changes;
}

Result<std::string> HubAdapter::FetchImage(const std::string& platform_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Json object, GetJson(platform_id, "card " + platform_id));
  CHARCHIVE_ASSIGN_OR_RETURN(ParsedCardObject parsed, ParseCardObject(object));
  if (!parsed.image_url) return Status::NotFound(federation_error::kRemoteMissing, "the hub's card has no image");
  CHARCHIVE_ASSIGN_OR_RETURN(PeerResponse res, Get(*parsed.image_url, "image/png"));
  if (res.status != 200)
    return Status::NotFound(federation_error::kRemoteMissing, DescribeHttpError(res, "the hub's card image"));
  return res.body;
}

}  // namespace charchive::federation
