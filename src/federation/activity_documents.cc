#include "federation/activity_documents.h"

#include <cctype>

#include "card/card_convert.h"
#include "card/json_fields.h"
#include "card/json_parse.h"
#include "federation/errors.h"
#include "util/url.h"

namespace charchive::federation {
namespace {

// The ecosystem's card vocabulary (@character-foundry/federation).
Json CardContext() { return Json::array({kActivityStreams, Json{{"character", "https://character-foundry.dev/ns#"}}}); }

std::string Hashtag(const std::string& tag) {
  std::string out = "#";
  for (char c : tag) out += (c == ' ' ? '_' : c);
  return out;
}

}  // namespace

std::string NodeUrls::Host() const {
  auto url = ParseUrl(base);
  return url.ok() ? url->Authority() : base;
}

std::optional<int64_t> NodeUrls::CardIdOf(const std::string& url) const {
  std::string prefix = base + "/ap/cards/";
  if (url.rfind(prefix, 0) != 0) return std::nullopt;
  std::string digits = url.substr(prefix.size());
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return std::stoll(digits);
}

Json ActorDocument(const NodeUrls& urls, const std::string& name, const std::string& public_key_pem) {
  return Json{{"@context", Json::array({kActivityStreams, "https://w3id.org/security/v1"})},
              {"id", urls.Actor()},
              {"type", "Service"},
              {"preferredUsername", urls.username},
              {"name", name},
              {"summary", "A Character Archive: character cards shared over ActivityPub"},
              {"inbox", urls.Inbox()},
              {"outbox", urls.Outbox()},
              {"followers", urls.Followers()},
              {"following", urls.Following()},
              {"url", urls.base + "/"},
              {"publicKey", {{"id", urls.KeyId()}, {"owner", urls.Actor()}, {"publicKeyPem", public_key_pem}}}};
}

std::optional<Json> WebFingerDocument(const NodeUrls& urls, const std::string& resource) {
  std::string subject = "acct:" + urls.username + "@" + urls.Host();
  if (resource != subject && resource != urls.Actor()) return std::nullopt;
  return Json{{"subject", subject},
              {"aliases", Json::array({urls.Actor()})},
              {"links", Json::array({Json{{"rel", "self"}, {"type", kActivityJson}, {"href", urls.Actor()}},
                                     Json{{"rel", "http://webfinger.net/rel/profile-page"},
                                          {"type", "text/html"},
                                          {"href", urls.base + "/"}}})}};
}

Json NodeInfoLinks(const NodeUrls& urls) {
  return Json{{"links", Json::array({Json{{"rel", "http://nodeinfo.diaspora.foundation/ns/schema/2.1"},
                                          {"href", urls.base + "/nodeinfo/2.1"}}})}};
}

Json NodeInfoDocument(const std::string& version, int64_t published_cards) {
  return Json{{"version", "2.1"},
              {"software", {{"name", "charchive"}, {"version", version}}},
              {"protocols", Json::array({"activitypub"})},
              {"services", {{"inbound", Json::array()}, {"outbound", Json::array()}}},
              {"openRegistrations", false},
              {"usage", {{"users", {{"total", 1}}}, {"localPosts", published_cards}}},
              {"metadata", {{"nodeName", "Character Archive"}, {"cards", published_cards}}}};
}

Json CardObject(const Card& card, const CardObjectMeta& meta) {
  Json v3 = ToV3Document(card);
  const Json& data = v3["data"];
  // Text fields may be null in a valid card.
  const std::string* description_field = FindString(data, "description");
  const std::string* version_field = FindString(data, "character_version");
  std::string description = description_field ? *description_field : "";
  Json tags = Json::array();
  for (const std::string& tag : card.tags()) tags.push_back(Json{{"type", "Hashtag"}, {"name", Hashtag(tag)}});
  Json object{{"@context", CardContext()},
              {"id", meta.id},
              {"type", "Note"},
              {"name", card.name()},
              {"summary", description.substr(0, 500)},
              {"content", v3.dump()},
              {"mediaType", "application/json"},
              {"attributedTo", meta.attributed_to},
              {"published", meta.published},
              {"updated", meta.updated},
              {"to", Json::array({kPublic})},
              {"tag", std::move(tags)},
              {"image", {{"type", "Image"}, {"mediaType", "image/png"}, {"url", meta.image_url}}},
              {"character:version", version_field ? *version_field : ""},
              {"character:spec", "chara_card_v3"},
              {"character:contentHash", meta.content_hash}};
  return object;
}

Json ActivityDocument(const std::string& type, const std::string& id, const std::string& actor, Json object,
                      const std::string& published) {
  return Json{{"@context", CardContext()},
              {"id", id},
              {"type", type},
              {"actor", actor},
              {"object", std::move(object)},
              {"published", published},
              {"to", Json::array({kPublic})}};
}

Json OrderedCollection(const std::string& id, int64_t total, const std::optional<std::string>& first) {
  Json collection{{"@context", kActivityStreams}, {"id", id}, {"type", "OrderedCollection"}, {"totalItems", total}};
  if (first) collection["first"] = *first;
  return collection;
}

Json OrderedCollectionPage(const std::string& id, const std::string& part_of, Json items,
                           const std::optional<std::string>& next) {
  Json page{{"@context", kActivityStreams},
            {"id", id},
            {"type", "OrderedCollectionPage"},
            {"partOf", part_of},
            {"orderedItems", std::move(items)}};
  if (next) page["next"] = *next;
  return page;
}

std::optional<std::string> ObjectId(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.contains("id") && value["id"].is_string()) return value["id"].get<std::string>();
  return std::nullopt;
}

Result<Json> ParseActivity(std::string_view body) {
  auto parsed = ParseJsonText(body);
  if (!parsed.ok()) {
    return Status::Invalid(parsed.status().kind(), "the body is not an activity: " + parsed.status().message());
  }
  const Json& activity = *parsed;
  if (!activity.is_object() || !activity.contains("type") || !activity["type"].is_string() ||
      !activity.contains("actor") || !activity["actor"].is_string() || !activity.contains("object")) {
    return Status::Invalid(federation_error::kBadActivity, "the body is not an activity with type, actor and object");
  }
  return parsed;
}

Result<ActorKey> ReadActorKey(std::string_view body, const std::string& actor_url, const std::string& key_id) {
  const JsonOrigin origin = JsonOrigin::Peer("the actor " + actor_url);
  auto document = ParseJsonText(body);
  if (!document.ok()) return origin.Error(document.status().message());
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields actor, JsonFields::Of(*document, origin));
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<std::string> id, actor.OptionalString("id"));
  CHARCHIVE_ASSIGN_OR_RETURN(std::optional<std::string> inbox, actor.OptionalString("inbox"));
  const Json& keys = actor.Raw("publicKey");
  std::vector<std::pair<const Json*, std::string>> entries;  // with their paths, for errors
  if (keys.is_array()) {
    for (size_t i = 0; i < keys.size(); ++i) entries.emplace_back(&keys[i], "publicKey[" + std::to_string(i) + "]");
  } else {
    entries.emplace_back(&keys, "publicKey");
  }
  std::optional<ActorKey> found;
  for (const auto& [k, path] : entries) {
    if (!k->is_object()) continue;
    CHARCHIVE_ASSIGN_OR_RETURN(JsonFields entry, JsonFields::Of(*k, origin, path));
    CHARCHIVE_ASSIGN_OR_RETURN(std::optional<std::string> entry_id, entry.OptionalString("id"));
    if (entry_id != key_id) continue;
    CHARCHIVE_ASSIGN_OR_RETURN(std::string pem, entry.String("publicKeyPem"));
    CHARCHIVE_ASSIGN_OR_RETURN(std::string owner, entry.StringOr("owner", actor_url));
    if (owner != actor_url) {
      return Status::Unauthenticated(federation_error::kUnknownKey,
                                     "the key " + key_id + " is not owned by " + actor_url);
    }
    found = ActorKey{"", std::move(pem)};
    break;
  }
  if (!found || id != actor_url || !inbox) {
    return Status::Unauthenticated(federation_error::kUnknownKey,
                                   "the actor " + actor_url + " does not publish the key " + key_id);
  }
  found->inbox = std::move(*inbox);
  return std::move(*found);
}

Result<ParsedCardObject> ParseCardObject(const Json& object) {
  if (!object.is_object())
    return Status::Invalid(federation_error::kBadActivity, "the activity's object is not a card object");
  auto id = ObjectId(object);
  if (!id || id->empty()) return Status::Invalid(federation_error::kBadActivity, "the card object has no id");
  if (!object.contains("content") || !object["content"].is_string()) {
    return Status::Invalid(federation_error::kBadActivity,
                           "the card object " + *id + " has no content (the card JSON)");
  }
  ParsedCardObject parsed{*id, object["content"].get<std::string>(), std::nullopt, std::nullopt};
  if (object.contains("updated") && object["updated"].is_string())
    parsed.updated = object["updated"].get<std::string>();
  if (object.contains("image")) {
    const Json& image = object["image"];
    if (image.is_string())
      parsed.image_url = image.get<std::string>();
    else if (image.is_object() && image.contains("url") && image["url"].is_string()) {
      parsed.image_url = image["url"].get<std::string>();
    }
  }
  return parsed;
}

}  // namespace charchive::federation
