#include "federation/hub_node.h"

#include <algorithm>
#include <cctype>
#include <random>

#include "card/content_hash.h"
#include "card/json_fields.h"
#include "federation/errors.h"
#include "federation/hub_adapter.h"
#include "federation/hub_trust.h"
#include "federation/peer_http.h"
#include "util/log.h"
#include "util/parallel_for.h"
#include "util/sha256.h"
#include "util/time_format.h"
#include "util/url.h"

namespace charchive::federation {
namespace {

namespace repo = hub_repository;

constexpr const char* kArchivePlatform = PlatformName(PlatformKind::kArchive);
constexpr uint64_t kMaxActorBytes = 1 << 20;

std::string UniqueSuffix() {
  static std::atomic<uint64_t> counter{0};
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
  return std::to_string(ms) + "-" + std::to_string(counter++);
}

bool Truthy(const std::optional<std::string>& value, bool fallback) { return value ? *value == "1" : fallback; }

std::string Origin(const std::string& url) {
  auto parsed = ParseUrl(url);
  return parsed.ok() ? parsed->Origin() : "";
}

// host[:port] of an http(s) URL, or the URL when it is none.
std::string HostOf(const std::string& url) {
  std::string origin = Origin(url);
  if (origin.empty()) return url;
  return origin.substr(origin.find("://") + 3);
}

// Peer text in our messages: control characters replaced, cut at 200 bytes.
std::string ForLog(std::string text) {
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  for (char& c : text) c = (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return text;
}

// The string field `key` of a peer's activity, "" when absent or of another
// type (never throws: the activity is outside JSON).
std::string ActivityText(const Json& activity, std::string_view key) {
  const std::string* text = FindString(activity, key);
  return text ? *text : "";
}

// A refused inbox request, in the operator log.
void LogRefusal(const Json& activity, const Status& why) {
  std::string actor = ActivityText(activity, "actor");
  std::string type = ActivityText(activity, "type");
  log::Warn("inbox_refused", {{"activity", ForLog(type.empty() ? "-" : type)},
                              {"actor", ForLog(actor.empty() ? "-" : actor)},
                              {"reason", why.kind()},
                              {"message", ForLog(why.message())}});
}

// What a remote sender is told of a refusal. Its own mistakes (a bad
// activity, a card it may not write) are named; a failure on this archive's
// side (a fetch, the disk) is not: its text holds hosts, addresses and errno.
Status ForSender(const Status& status) {
  constexpr char kGeneric[] = "the activity could not be processed";
  switch (status.code()) {
    case StatusCode::kIoError:
      return Status::IoError(status.kind(), kGeneric);
    case StatusCode::kRemoteError:
      return Status::Remote(status.kind(), kGeneric);
    case StatusCode::kInternal:
      return Status::Internal(status.kind(), kGeneric);
    default:
      return status;
  }
}

std::string WithoutFragment(const std::string& url) { return url.substr(0, url.find('#')); }

Json RelationJson(const repo::Relation& r) {
  return Json{{"actor", r.actor_id}, {"inbox", r.inbox}, {"state", r.state}, {"since", r.created_at}};
}

}  // namespace

HubNode::HubNode(Archive& archive, FederationService& federation, HubNodeOptions options, Clock& clock)
    : archive_(archive),
      federation_(federation),
      options_(options),
      clock_(clock),
      worker_("hub_node", clock, options.tick, [this] { return RunOnce(); }) {}

HubNode::~HubNode() { Stop(); }

int64_t HubNode::UnixNow() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.SystemNow().time_since_epoch()).count();
}

std::string HubNode::IsoNow() const { return FormatUtc(clock_.SystemNow(), "%Y-%m-%dT%H:%M:%SZ"); }

Result<HubSettings> HubNode::Settings() {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  HubSettings s;
  CHARCHIVE_ASSIGN_OR_RETURN(auto enabled, repo::GetSetting(*db, "enabled"));
  CHARCHIVE_ASSIGN_OR_RETURN(auto url, repo::GetSetting(*db, "public_url"));
  CHARCHIVE_ASSIGN_OR_RETURN(auto all, repo::GetSetting(*db, "publish_all"));
  CHARCHIVE_ASSIGN_OR_RETURN(auto accept, repo::GetSetting(*db, "auto_accept"));
  s.enabled = Truthy(enabled, false);
  s.public_url = url.value_or("");
  s.publish_all = Truthy(all, false);
  s.auto_accept = Truthy(accept, false);
  return s;
}

Result<HubSettings> HubNode::UpdateSettings(const HubSettingsUpdate& update) {
  CHARCHIVE_ASSIGN_OR_RETURN(HubSettings next, Settings());
  if (update.public_url) {
    if (update.public_url->empty()) {
      next.public_url.clear();
    } else {
      CHARCHIVE_ASSIGN_OR_RETURN(next.public_url, NormalizePublicUrl(*update.public_url));
    }
  }
  if (update.enabled) next.enabled = *update.enabled;
  if (update.publish_all) next.publish_all = *update.publish_all;
  if (update.auto_accept) next.auto_accept = *update.auto_accept;
  if (next.enabled && next.public_url.empty()) {
    return Status::Invalid(federation_error::kBadField, "public_url must be set before the node is enabled");
  }
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*db));
    CHARCHIVE_RETURN_IF_ERROR(repo::SetSetting(*db, "enabled", next.enabled ? "1" : "0"));
    CHARCHIVE_RETURN_IF_ERROR(repo::SetSetting(*db, "public_url", next.public_url));
    CHARCHIVE_RETURN_IF_ERROR(repo::SetSetting(*db, "publish_all", next.publish_all ? "1" : "0"));
    CHARCHIVE_RETURN_IF_ERROR(repo::SetSetting(*db, "auto_accept", next.auto_accept ? "1" : "0"));
    CHARCHIVE_RETURN_IF_ERROR(tx->Commit());
  }
  worker_.Wake();  // publish and deliver now, not a tick later
  return next;
}

Result<std::shared_ptr<const HubIdentity>> HubNode::Identity() {
  CHARCHIVE_ASSIGN_OR_RETURN(HubSettings settings, Settings());
  if (!settings.enabled || settings.public_url.empty()) {
    return Status::NotFound(federation_error::kFederationDisabled, "hub federation is not enabled on this archive");
  }
  std::lock_guard lock(identity_mu_);
  if (!identity_ || identity_->urls.base != settings.public_url) {
    CHARCHIVE_ASSIGN_OR_RETURN(identity_, LoadHubIdentity(archive_));
  }
  return identity_;
}

Result<Json> HubNode::WebFinger(const std::string& resource) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto me, Identity());
  auto doc = WebFingerDocument(me->urls, resource);
  if (!doc) return Status::NotFound(federation_error::kUnknownResource, "no such resource here: " + resource);
  return *doc;
}

Result<Json> HubNode::NodeInfoLinks() {
  CHARCHIVE_ASSIGN_OR_RETURN(auto me, Identity());
  return federation::NodeInfoLinks(me->urls);
}

Result<Json> HubNode::NodeInfo() {
  CHARCHIVE_RETURN_IF_ERROR(Identity().status());
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(int64_t published, repo::CountPublications(*db, std::nullopt));
  return NodeInfoDocument(CHARCHIVE_VERSION, published);
}

Result<Json> HubNode::Actor() {
  CHARCHIVE_ASSIGN_OR_RETURN(auto me, Identity());
  return ActorDocument(me->urls, "Character Archive", me->key.public_pem());
}

Result<Json> HubNode::CardObjectFor(const HubIdentity& me, CardId card_id, const repo::Publication* publication) {
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord record, archive_.Get(card_id));
  CHARCHIVE_ASSIGN_OR_RETURN(Card card, Card::FromJson(record.raw_json));
  CardObjectMeta meta{.id = me.urls.Card(card_id),
                      .attributed_to = me.urls.Actor(),
                      .published = publication ? publication->first_published_at : record.created_at,
                      .updated = publication ? publication->updated_at : record.updated_at,
                      .image_url = me.urls.CardImage(card_id),
                      .content_hash = record.content_hash};
  return federation::CardObject(card, meta);
}

Result<Json> HubNode::OutboxItem(const HubIdentity& me, const repo::Publication& publication) {
  Json object;
  if (publication.activity == "Delete") {
    object = Json{{"id", me.urls.Card(publication.card_id)}, {"type", "Tombstone"}};
  } else {
    CHARCHIVE_ASSIGN_OR_RETURN(object, CardObjectFor(me, publication.card_id, &publication));
  }
  return ActivityDocument(publication.activity, me.urls.Activity(publication.card_id, publication.seq), me.urls.Actor(),
                          std::move(object), publication.updated_at);
}

Result<Json> HubNode::Outbox(std::optional<int64_t> page, const std::optional<std::string>& since) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto me, Identity());
  CHARCHIVE_RETURN_IF_ERROR(Publish(*me));  // what a reader sees is current
  std::string query = since ? "since=" + PercentEncode(*since) : "";
  std::string id = me->urls.Outbox() + (query.empty() ? "" : "?" + query);
  auto page_url = [&](int64_t n) {
    return me->urls.Outbox() + "?" + (query.empty() ? "" : query + "&") + "page=" + std::to_string(n);
  };
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  if (!page) {
    CHARCHIVE_ASSIGN_OR_RETURN(int64_t total, repo::CountPublications(*db, since));
    return OrderedCollection(id, total, page_url(1));
  }
  if (*page < 1) return Status::Invalid(federation_error::kBadField, "page must be 1 or more");
  int64_t size = static_cast<int64_t>(options_.outbox_page_size);
  CHARCHIVE_ASSIGN_OR_RETURN(auto rows, repo::ListPublications(*db, since, size, (*page - 1) * size));
  Json items = Json::array();
  for (const auto& publication : rows) {
    auto item = OutboxItem(*me, publication);
    if (item.ok()) items.push_back(std::move(*item));  // a card deleted meanwhile shows up as a Delete next time
  }
  std::optional<std::string> next;
  if (static_cast<int64_t>(rows.size()) == size) next = page_url(*page + 1);
  return OrderedCollectionPage(page_url(*page), id, std::move(items), next);
}

Result<Json> HubNode::Followers() {
  CHARCHIVE_ASSIGN_OR_RETURN(auto me, Identity());
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto followers, repo::Followers(*db));
  int64_t accepted = 0;
  for (const auto& f : followers) accepted += f.state == "accepted";
  return OrderedCollection(me->urls.Followers(), accepted, std::nullopt);
}

Result<Json> HubNode::Following() {
  CHARCHIVE_ASSIGN_OR_RETURN(auto me, Identity());
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto following, repo::Followings(*db));
  Json items = Json::array();
  for (const auto& f : following) {
    if (f.state == "accepted") items.push_back(f.actor_id);
  }
  Json collection = OrderedCollection(me->urls.Following(), static_cast<int64_t>(items.size()), std::nullopt);
  collection["orderedItems"] = std::move(items);
  return collection;
}

Result<Json> HubNode::CardObject(CardId card_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto me, Identity());
  CHARCHIVE_RETURN_IF_ERROR(Publish(*me));
  std::optional<repo::Publication> publication;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(publication, repo::GetPublication(*db, card_id));
  }
  bool live = publication && publication->activity != "Delete";
  bool linked = false;  // pushed to the hub: the hub reads it back from here
  if (auto syncs = federation_.CardSyncs(card_id); syncs.ok()) {
    for (const auto& s : *syncs) linked |= s.platform == kArchivePlatform && s.platform_id.has_value();
  }
  if (!live && !linked) {
    if (publication && publication->seq > 0) {
      return Status::Conflict(federation_error::kGone, "card " + std::to_string(card_id) + " is no longer shared");
    }
    return Status::NotFound(federation_error::kCardNotFound, "no shared card " + std::to_string(card_id));
  }
  return CardObjectFor(*me, card_id, live ? &*publication : nullptr);
}

Result<std::string> HubNode::CardImage(CardId card_id) {
  CHARCHIVE_RETURN_IF_ERROR(CardObject(card_id).status());
  CHARCHIVE_ASSIGN_OR_RETURN(CardSnapshot snapshot, archive_.Snapshot(card_id));
  return std::move(snapshot.png);
}

Result<repo::RemoteActor> HubNode::FetchActorKey(const std::string& key_id, bool refresh) {
  if (!refresh) {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(auto cached, repo::GetActorKey(*db, key_id));
    if (cached) return *cached;
  }
  std::string actor_url = WithoutFragment(key_id);
  auto actor_at = ParseUrl(actor_url);
  if (!actor_at.ok())
    return Status::Unauthenticated(federation_error::kBadSignature, "keyId " + key_id + " is not an http(s) URL");
  auto http = PeerHttp::ForBaseUrl(actor_at->Origin(), PeerHttpLimits{.connect_timeout = std::chrono::seconds(5),
                                                                      .request_timeout = std::chrono::seconds(10),
                                                                      .max_response_bytes = kMaxActorBytes,
                                                                      .addresses = PolicyFor(actor_url)});
  if (!http.ok()) return Status::Unauthenticated(federation_error::kBadSignature, "cannot reach the key " + key_id);
  PeerRequest request;
  request.path = actor_at->Target();
  request.headers.emplace_back("Accept", kActivityJson);
  auto res = http->Send(request);
  if (!res.ok() || res->status != 200) {
    return Status::Unauthenticated(federation_error::kUnknownKey,
                                   "cannot fetch the signer's actor " + actor_url + ": " +
                                       (res.ok() ? "HTTP " + std::to_string(res->status) : res.status().message()));
  }
  // A hostile actor document (300,000 nested arrays, wrong types) is a clear
  // refusal: the bounded reader rejects it before anything recurses over it.
  auto key = ReadActorKey(res->body, actor_url, key_id);
  if (!key.ok() && key.status().code() == StatusCode::kRemoteError) {
    // The sender is not verified: 401, with the reason the document was refused.
    return Status::Unauthenticated(key.status().kind(), key.status().message());
  }
  if (!key.ok()) return key.status();
  repo::RemoteActor remote{key_id, actor_url, std::move(key->inbox), std::move(key->public_key_pem)};
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_RETURN_IF_ERROR(repo::PutActorKey(*db, remote));
  return remote;
}

Result<repo::RemoteActor> HubNode::Verify(const HubIdentity& me, const InboxRequest& request, const Json& activity) {
  auto signature_header = request.header("signature");
  if (!signature_header)
    return Status::Unauthenticated(federation_error::kUnsigned, "the request has no Signature header");
  CHARCHIVE_ASSIGN_OR_RETURN(SignatureHeader signature, ParseSignatureHeader(*signature_header));
  for (const char* required : {"(request-target)", "host", "date", "digest"}) {
    if (std::find(signature.headers.begin(), signature.headers.end(), required) == signature.headers.end()) {
      return Status::Unauthenticated(
          federation_error::kBadSignature,
          std::string("the signature must cover (request-target) host date digest; ") + required + " is missing");
    }
  }
  auto digest = request.header("digest");
  std::string expected = BodyDigest(request.body);
  if (!digest || digest->size() != expected.size() ||
      !std::equal(expected.begin(), expected.begin() + 8, digest->begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); }) ||
      digest->substr(8) != expected.substr(8)) {
    return Status::Unauthenticated(federation_error::kDigestMismatch, "the Digest header does not match the body");
  }
  auto date_text = request.header("date");
  auto date = date_text ? ParseHttpDate(*date_text) : std::nullopt;
  if (!date)
    return Status::Unauthenticated(federation_error::kBadDate, "the Date header is missing or not an HTTP date");
  auto skew = clock_.SystemNow() - *date;
  if (skew > options_.max_clock_skew || skew < -options_.max_clock_skew) {
    return Status::Unauthenticated(federation_error::kStaleDate, "the Date header is more than " +
                                                                     std::to_string(options_.max_clock_skew.count()) +
                                                                     " seconds from this server's clock");
  }
  // The signature covers `host`: it must name this node, or a request signed
  // for another node's inbox could be replayed here.
  auto host = request.header("host");
  if (!host || !IsOurHost(*host, me.urls.base)) {
    return Status::Unauthenticated(
        federation_error::kWrongHost,
        "the request is signed for the host " + ForLog(host.value_or("")) + ", not for " + me.urls.Host());
  }
  std::string actor = ActivityText(activity, "actor");  // ParseActivity checked it is a string
  if (actor.empty() || WithoutFragment(signature.key_id) != actor) {
    return Status::Unauthenticated(federation_error::kBadSignature,
                                   "the signing key " + signature.key_id + " does not belong to the activity's actor");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(std::string signing,
                             SigningString(request.method, request.target, signature.headers, request.header));
  bool verified = false;
  repo::RemoteActor signer;
  for (bool refresh : {false, true}) {  // a cached key may have been rotated
    CHARCHIVE_ASSIGN_OR_RETURN(signer, FetchActorKey(signature.key_id, refresh));
    auto ok = VerifyRsaSha256(signer.public_key_pem, signing, signature.signature);
    if (!ok.ok()) return Status::Unauthenticated(federation_error::kUnknownKey, ok.status().message());
    if ((verified = *ok)) break;
  }
  if (!verified)
    return Status::Unauthenticated(federation_error::kBadSignature,
                                   "the signature does not verify with " + signature.key_id);
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(bool fresh, repo::RememberSignature(*db, Sha256Hex(signature.signature), UnixNow(),
                                                                 2 * options_.max_clock_skew.count() + 60));
  if (!fresh)
    return Status::Unauthenticated(federation_error::kReplayed, "this signed request was received before (a replay)");
  return signer;
}

Result<InboxOutcome> HubNode::Receive(const InboxRequest& request) {
  auto me = Identity();
  if (!me.ok()) {
    LogRefusal(Json::object(), me.status());
    return ForSender(me.status());
  }
  // Verified or not, a body that is no activity is refused before anything else.
  auto parsed = ParseActivity(request.body);
  if (!parsed.ok()) {
    LogRefusal(Json::object(), parsed.status());
    return parsed.status();
  }
  const Json& activity = *parsed;
  auto signer = Verify(**me, request, activity);
  if (!signer.ok()) {
    // The detail (a key host's address, a fetch error) is for the operator;
    // the sender learns only that its signature was not verified.
    LogRefusal(activity, signer.status());
    return Status::Unauthenticated(signer.status().kind(), "signature not verified");
  }
  auto outcome = Dispatch(**me, *signer, activity);
  if (!outcome.ok()) {
    LogRefusal(activity, outcome.status());
    return ForSender(outcome.status());
  }
  log::Info("inbox_accepted", {{"type", ForLog(ActivityText(activity, "type"))},
                               {"actor", signer->actor_id},
                               {"status", outcome->http_status}});
  return outcome;
}

Result<InboxOutcome> HubNode::Dispatch(const HubIdentity& me, const repo::RemoteActor& signer, const Json& activity) {
  const std::string& actor = signer.actor_id;
  const std::string type = activity["type"].get<std::string>();
  const Json& object = activity["object"];
  if (type == "Create" || type == "Update" || type == "Delete") {
    return ReceiveCardActivity(me, actor, ActivityText(activity, "id"), type, object);
  }
  CHARCHIVE_ASSIGN_OR_RETURN(HubSettings settings, Settings());
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  if (type == "Follow") {
    if (ObjectId(object) != me.urls.Actor())
      return Status::Invalid(federation_error::kBadActivity, "the Follow is not for this actor");
    repo::Relation follower{actor, signer.inbox, settings.auto_accept ? "accepted" : "pending",
                            ActivityText(activity, "id"), ""};
    CHARCHIVE_RETURN_IF_ERROR(repo::PutFollower(*db, follower));
    if (settings.auto_accept) {
      CHARCHIVE_RETURN_IF_ERROR(
          Enqueue(signer.inbox, ActivityDocument("Accept", me.urls.base + "/ap/accepts/" + UniqueSuffix(),
                                                 me.urls.Actor(), activity, IsoNow())));
    }
    return InboxOutcome{202, Json{{"status", follower.state}}};
  }
  if (type == "Undo") {
    const std::string* undone = FindString(object, "type");
    if (undone && *undone == "Follow") {
      CHARCHIVE_RETURN_IF_ERROR(repo::RemoveFollower(*db, actor).status());
      return InboxOutcome{202, Json{{"status", "unfollowed"}}};
    }
    return InboxOutcome{202, Json{{"status", "ignored"}}};
  }
  if (type == "Accept" || type == "Reject") {
    CHARCHIVE_ASSIGN_OR_RETURN(auto following, repo::Following(*db, actor));
    if (!following)
      return Status::Invalid(federation_error::kBadActivity, "this archive did not ask to follow " + actor);
    following->state = type == "Accept" ? "accepted" : "rejected";
    CHARCHIVE_RETURN_IF_ERROR(repo::PutFollowing(*db, *following));
    return InboxOutcome{202, Json{{"status", following->state}}};
  }
  if (type == "Fork" || type == "Install") {
    auto card_id = ObjectId(object) ? me.urls.CardIdOf(*ObjectId(object)) : std::nullopt;
    if (!card_id)
      return Status::Invalid(federation_error::kBadActivity, "the " + type + " is not about a card of this archive");
    CHARCHIVE_ASSIGN_OR_RETURN(bool counted, repo::CountNotification(*db, *card_id, type));
    if (!counted)
      return Status::NotFound(federation_error::kCardNotFound, "card " + std::to_string(*card_id) + " is not shared");
    return InboxOutcome{202, Json{{"status", "counted"}}};
  }
  if (type == "Like" || type == "Announce") return InboxOutcome{202, Json{{"status", "ignored"}}};
  return Status::Invalid(federation_error::kBadActivity, "unsupported activity type " + type);
}

Result<InboxOutcome> HubNode::ReceiveCardActivity(const HubIdentity& me, const std::string& actor,
                                                  const std::string& activity_id, const std::string& type,
                                                  const Json& object) {
  auto id = ObjectId(object);
  if (!id) return Status::Invalid(federation_error::kBadActivity, "the " + type + " names no object");
  CardActivityFacts facts{.type = type};
  std::optional<CardId> own = me.urls.CardIdOf(*id);
  facts.object_is_ours = own.has_value();
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(auto following, repo::Following(*db, actor));
    CHARCHIVE_ASSIGN_OR_RETURN(auto follower, repo::Follower(*db, actor));
    facts.we_follow_actor = following && following->state == "accepted";
    facts.actor_follows_us = follower && follower->state == "accepted";
  }
  std::optional<std::string> copy_of;  // one of our cards imported from the hub: whose it is
  if (own) {
    if (auto record = archive_.Get(*own); record.ok() && record->source == kArchivePlatform)
      copy_of = record->source_id;
  }
  facts.actor_owns_object = ActorOwnsObject(actor, *id, copy_of);
  switch (DecideCardActivity(facts)) {
    case CardVerdict::kStranger:
      return Status::Forbidden(federation_error::kNotAPeer,
                               actor + " neither follows this archive nor is followed by it");
    case CardVerdict::kNotFollowed:
      return Status::Forbidden(federation_error::kNotFollowed, "this archive takes cards only from actors it follows");
    case CardVerdict::kNotOwner:
      return Status::Forbidden(federation_error::kNotOwner, actor + " does not own " + *id);
    case CardVerdict::kSuggest:
      return KeepSuggestion(actor, activity_id, *own, object);
    case CardVerdict::kApply:
      break;
  }
  if (type == "Delete") {
    CHARCHIVE_ASSIGN_OR_RETURN(auto card_id, federation_.CardLinkedTo(kArchivePlatform, *id));
    if (!card_id) return InboxOutcome{202, Json{{"status", "unknown"}}};
    CHARCHIVE_RETURN_IF_ERROR(federation_.MarkRemoteDeleted(
        *card_id, kArchivePlatform, "deleted on the hub by " + actor + "; the archive keeps its card", "inbox"));
    return InboxOutcome{202, Json{{"status", "remote_deleted"}}};
  }
  return ReceiveCard(me, actor, type, object);
}

Result<InboxOutcome> HubNode::ReceiveCard(const HubIdentity& me, const std::string& actor, const std::string& type,
                                          const Json& object) {
  CHARCHIVE_ASSIGN_OR_RETURN(ParsedCardObject parsed, ParseCardObject(object));
  auto card = Card::FromJson(parsed.content);
  if (!card.ok()) {
    return Status::Invalid(federation_error::kBadActivity,
                           "the content of " + parsed.id + " is not a card: " + card.status().message());
  }
  if (auto own = me.urls.CardIdOf(parsed.id)) {
    // The peer's edit of its own card, which this archive holds and shares.
    CHARCHIVE_RETURN_IF_ERROR(CardObject(*own).status());
    CHARCHIVE_RETURN_IF_ERROR(
        federation_.ApplyRemoteEdit(*own, kArchivePlatform, *card, "changed on the hub by " + actor, "inbox").status());
    return InboxOutcome{200, Json{{"id", parsed.id}, {"status", "updated"}}};
  }
  CHARCHIVE_ASSIGN_OR_RETURN(
      SyncResult result,
      federation_.PullCard(kArchivePlatform, RemoteCard{parsed.id, parsed.content, parsed.updated}, "inbox"));
  if (!result.status.ok()) return result.status;
  return InboxOutcome{type == "Create" && result.action == SyncAction::kImported ? 201 : 200,
                      Json{{"id", me.urls.Card(result.card_id)}, {"status", SyncActionName(result.action)}}};
}

Result<InboxOutcome> HubNode::KeepSuggestion(const std::string& actor, const std::string& activity_id, CardId card_id,
                                             const Json& object) {
  CHARCHIVE_ASSIGN_OR_RETURN(ParsedCardObject parsed, ParseCardObject(object));
  if (auto card = Card::FromJson(parsed.content); !card.ok()) {
    return Status::Invalid(federation_error::kBadActivity,
                           "the content of " + parsed.id + " is not a card: " + card.status().message());
  }
  CHARCHIVE_RETURN_IF_ERROR(CardObject(card_id).status());  // only for a card this archive shares
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_RETURN_IF_ERROR(repo::PutSuggestion(*db, repo::Suggestion{.card_id = card_id,
                                                                      .actor_id = actor,
                                                                      .activity_id = activity_id,
                                                                      .content_json = parsed.content,
                                                                      .received_at = IsoUtcNow()}));
  log::Info("hub_suggestion", {{"card", static_cast<long long>(card_id)}, {"actor", ForLog(actor)}});
  return InboxOutcome{202, Json{{"status", "suggested"}}};
}

Result<Json> HubNode::Suggestions(std::optional<CardId> card_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto rows, repo::ListSuggestions(*db, card_id));
  Json items = Json::array();
  for (const auto& s : rows) {
    items.push_back(Json{{"id", s.id},
                         {"cardId", s.card_id},
                         {"actor", s.actor_id},
                         {"activity", s.activity_id},
                         {"receivedAt", s.received_at},
                         {"card", Json::parse(s.content_json, nullptr, false)}});
  }
  return Json{{"suggestions", std::move(items)}};
}

Status HubNode::DismissSuggestion(int64_t suggestion_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(bool removed, repo::RemoveSuggestion(*db, suggestion_id));
  if (!removed)
    return Status::NotFound(federation_error::kUnknownSuggestion, "no suggestion " + std::to_string(suggestion_id));
  return Status::Ok();
}

Status HubNode::SetPublished(CardId card_id, bool published) {
  CHARCHIVE_RETURN_IF_ERROR(archive_.Get(card_id).status());
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(repo::SetPublished(*db, card_id, published));
  }
  worker_.Wake();  // publish and deliver now, not a tick later
  return Status::Ok();
}

Result<Json> HubNode::Publication(CardId card_id) {
  CHARCHIVE_RETURN_IF_ERROR(archive_.Get(card_id).status());
  if (auto me = Identity(); me.ok()) CHARCHIVE_RETURN_IF_ERROR(Publish(**me));
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto publication, repo::GetPublication(*db, card_id));
  Json out{{"cardId", card_id},
           {"published", publication && publication->published},
           {"shared", publication && publication->activity != "Delete"},
           {"activity", publication ? Json(publication->activity) : Json(nullptr)},
           {"forks", publication ? publication->forks : 0},
           {"installs", publication ? publication->installs : 0}};
  return out;
}

Result<Json> HubNode::Overview() {
  CHARCHIVE_ASSIGN_OR_RETURN(HubSettings settings, Settings());
  Json out{{"enabled", settings.enabled},
           {"public_url", settings.public_url},
           {"publish_all", settings.publish_all},
           {"auto_accept", settings.auto_accept}};
  auto me = Identity();
  out["actor"] = me.ok() ? Json((*me)->urls.Actor()) : Json(nullptr);
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  Json followers = Json::array(), following = Json::array();
  CHARCHIVE_ASSIGN_OR_RETURN(auto fs, repo::Followers(*db));
  for (const auto& f : fs) followers.push_back(RelationJson(f));
  CHARCHIVE_ASSIGN_OR_RETURN(auto gs, repo::Followings(*db));
  for (const auto& g : gs) following.push_back(RelationJson(g));
  out["followers"] = std::move(followers);
  out["following"] = std::move(following);
  CHARCHIVE_ASSIGN_OR_RETURN(out["published"], repo::CountPublications(*db, std::nullopt));
  Json deliveries = Json::object();
  CHARCHIVE_ASSIGN_OR_RETURN(auto counts, repo::DeliveryCounts(*db));
  for (const auto& [state, n] : counts) deliveries[state] = n;
  out["deliveries"] = std::move(deliveries);
  return out;
}

Result<repo::Relation> HubNode::Follow() {
  CHARCHIVE_ASSIGN_OR_RETURN(auto me, Identity());
  CHARCHIVE_ASSIGN_OR_RETURN(auto adapter, federation_.UsableAdapter(kArchivePlatform));
  auto* hub = dynamic_cast<HubAdapter*>(adapter.get());
  if (!hub) return Status::Internal(federation_error::kNotAHub, "the archive platform has no ActivityPub adapter");
  CHARCHIVE_ASSIGN_OR_RETURN(Json actor, hub->Actor());
  std::string actor_id = actor["id"].get<std::string>();
  if (auto key = actor.contains("publicKey") ? ObjectId(actor["publicKey"]) : std::nullopt) {
    (void)FetchActorKey(*key, true);  // cached for verifying what the hub sends
  }
  std::string follow_id = me->urls.base + "/ap/follows/" + UniqueSuffix();
  repo::Relation relation{actor_id, actor["inbox"].get<std::string>(), "pending", follow_id, IsoNow()};
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_RETURN_IF_ERROR(repo::PutFollowing(*db, relation));
  }
  Json follow = ActivityDocument("Follow", follow_id, me->urls.Actor(), actor_id, IsoNow());
  follow.erase("to");
  CHARCHIVE_RETURN_IF_ERROR(Enqueue(relation.inbox, follow));
  return relation;
}

Status HubNode::Unfollow() {
  CHARCHIVE_ASSIGN_OR_RETURN(auto me, Identity());
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto following, repo::Followings(*db));
  if (following.empty()) return Status::NotFound(federation_error::kNotFollowing, "this archive follows no hub");
  for (const auto& f : following) {
    Json follow{{"id", f.follow_id}, {"type", "Follow"}, {"actor", me->urls.Actor()}, {"object", f.actor_id}};
    CHARCHIVE_RETURN_IF_ERROR(Enqueue(f.inbox, ActivityDocument("Undo", me->urls.base + "/ap/undos/" + UniqueSuffix(),
                                                                me->urls.Actor(), follow, IsoNow())));
    CHARCHIVE_RETURN_IF_ERROR(repo::RemoveFollowing(*db, f.actor_id).status());
  }
  return Status::Ok();
}

Status HubNode::AnswerFollower(const std::string& actor_id, bool accept) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto me, Identity());
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto follower, repo::Follower(*db, actor_id));
  if (!follower)
    return Status::NotFound(federation_error::kUnknownFollower, actor_id + " has not asked to follow this archive");
  Json follow{{"id", follower->follow_id}, {"type", "Follow"}, {"actor", actor_id}, {"object", me->urls.Actor()}};
  std::string type = accept ? "Accept" : "Reject";
  CHARCHIVE_RETURN_IF_ERROR(Enqueue(
      follower->inbox,
      ActivityDocument(type, me->urls.base + "/ap/answers/" + UniqueSuffix(), me->urls.Actor(), follow, IsoNow())));
  if (accept) {
    follower->state = "accepted";
    return repo::PutFollower(*db, *follower);
  }
  return repo::RemoveFollower(*db, actor_id).status();
}

Status HubNode::Enqueue(const std::string& inbox, const Json& activity) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_RETURN_IF_ERROR(repo::EnqueueDelivery(*db, inbox, activity.dump()));
  worker_.Wake();  // publish and deliver now, not a tick later
  return Status::Ok();
}

AddressPolicy HubNode::PolicyFor(const std::string& url) {
  if (options_.allow_private_peers) return AddressPolicy::kAnyAddress;
  auto hub = federation_.Platform(kArchivePlatform);
  bool configured = hub.ok() && !hub->base_url.empty() && Origin(hub->base_url) == Origin(url);
  return configured ? AddressPolicy::kAnyAddress : AddressPolicy::kPublicOnly;
}

Status HubNode::Deliver(const HubIdentity& me, const repo::Delivery& delivery) {
  auto inbox = ParseUrl(delivery.inbox);
  Status outcome = Status::Ok();
  bool permanent = false;
  if (!inbox.ok()) {
    outcome = Status::Invalid(federation_error::kBadInbox, "not an http(s) inbox: " + delivery.inbox);
    permanent = true;
  } else {
    auto http = PeerHttp::ForBaseUrl(inbox->Origin(), PeerHttpLimits{.addresses = PolicyFor(delivery.inbox)});
    auto headers =
        SignRequest(me.key, me.urls.KeyId(), "POST", inbox->Authority(), inbox->Target(), delivery.activity_json);
    if (!http.ok() || !headers.ok()) {
      outcome = http.ok() ? headers.status() : http.status();
      permanent = true;
    } else {
      PeerRequest request{.method = "POST",
                          .path = inbox->Target(),
                          .headers = std::move(*headers),
                          .body = delivery.activity_json,
                          .content_type = kActivityJson};
      auto res = http->Send(request);
      if (!res.ok()) {
        outcome = res.status();
      } else if (res->status < 200 || res->status >= 300) {
        outcome = HttpError(*res, federation_error::kPeerRefused, delivery.inbox);
        permanent = res->status >= 400 && res->status < 500 && outcome.transient() == Transient::kNone;
      }
    }
  }
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  if (outcome.ok()) {
    log::Info("hub_delivery", {{"delivery", delivery.id},
                               {"inbox_host", HostOf(delivery.inbox)},
                               {"attempt", delivery.attempts + 1},
                               {"outcome", "delivered"}});
    return repo::MarkDelivered(*db, delivery.id);
  }
  std::optional<int64_t> next;
  if (!permanent && delivery.attempts + 1 < options_.max_delivery_attempts) {
    static thread_local std::mt19937 rng(std::random_device{}());
    int64_t backoff = std::min<int64_t>(options_.first_retry.count() << std::min<int64_t>(delivery.attempts, 20), 3600);
    if (const auto& asked = outcome.retry_after()) {
      auto seconds = std::chrono::ceil<std::chrono::seconds>(*asked).count();
      backoff = std::max<int64_t>(backoff, std::min<int64_t>(seconds, 3600));
    }
    next = UnixNow() + backoff + std::uniform_int_distribution<int64_t>(0, 1)(rng);
  }
  log::Warn("hub_delivery", {{"delivery", delivery.id},
                             {"inbox_host", HostOf(delivery.inbox)},
                             {"attempt", delivery.attempts + 1},
                             {"outcome", next ? "retry" : "gave_up"},
                             {"retry_in_s", next ? *next - UnixNow() : 0},
                             {"reason", outcome.kind()},
                             {"message", outcome.message()}});
  return repo::MarkAttemptFailed(*db, delivery.id, outcome.message(), next);
}

Status HubNode::Publish(const HubIdentity& me) {
  std::lock_guard lock(publish_mu_);
  CHARCHIVE_ASSIGN_OR_RETURN(HubSettings settings, Settings());
  std::vector<repo::Publication> changes;
  std::vector<repo::Relation> followers;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    // Comparing every card's hash costs tens of milliseconds at 100,000 cards:
    // skip it while nothing that could change the answer has changed.
    CHARCHIVE_ASSIGN_OR_RETURN(std::string mark, repo::ChangeMark(*db));
    mark += settings.publish_all ? "|all" : "|chosen";
    if (mark == published_mark_) return Status::Ok();
    CHARCHIVE_ASSIGN_OR_RETURN(changes, repo::RefreshPublications(*db, settings.publish_all));
    published_mark_ = mark;
    CHARCHIVE_ASSIGN_OR_RETURN(followers, repo::Followers(*db));
  }
  bool any_follower =
      std::any_of(followers.begin(), followers.end(), [](const auto& f) { return f.state == "accepted"; });
  for (const auto& publication : any_follower ? changes : std::vector<repo::Publication>()) {
    auto item = OutboxItem(me, publication);
    if (!item.ok()) continue;
    for (const auto& f : followers) {
      if (f.state == "accepted") CHARCHIVE_RETURN_IF_ERROR(Enqueue(f.inbox, *item));
    }
  }
  return Status::Ok();
}

Status HubNode::RunOnce() {
  auto me = Identity();
  if (!me.ok()) return Status::Ok();  // not a node: nothing to publish or deliver
  CHARCHIVE_RETURN_IF_ERROR(Publish(**me));
  std::lock_guard lock(deliver_mu_);
  constexpr size_t kBatch = 64;
  Status failure;
  while (true) {  // until the queue holds nothing due (a failed delivery is due later)
    std::vector<repo::Delivery> due;
    {
      CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
      CHARCHIVE_ASSIGN_OR_RETURN(due, repo::DueDeliveries(*db, UnixNow(), kBatch));
    }
    // A few at once: each waits on the receiver's whole inbox handling.
    std::mutex failure_mu;
    ParallelFor(due.size(), options_.delivery_concurrency, [&](size_t i) {
      Status status = Deliver(**me, due[i]);
      if (!status.ok()) {
        std::lock_guard failure_lock(failure_mu);
        failure = status;
      }
    });
    if (due.size() < kBatch || worker_.stopping()) break;
  }
  return failure;
}

void HubNode::Start() { worker_.Start(); }

void HubNode::Stop() { worker_.Stop(); }

}  // namespace charchive::federation
