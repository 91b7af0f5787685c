// ActivityPub documents as the archive's node writes and reads them: the
// actor (a `Service`), WebFinger and NodeInfo answers, a card as a `Note`
// (the shape of `@character-foundry/federation`'s cardToActivityPub: content
// is the card's V3 JSON, mediaType application/json), activities, and outbox
// collections. Pure functions over JSON; the URLs come from a NodeUrls.
//
// Thread safety: pure; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "card/card.h"
#include "util/result.h"

namespace charchive::federation {

// Where a node's documents live, below its public URL.
struct NodeUrls {
  std::string base;  // http(s)://host[:port], no trailing slash
  std::string username = "archive";

  std::string Host() const;  // host[:port]
  std::string Actor() const { return base + "/ap/actor"; }
  std::string KeyId() const { return Actor() + "#main-key"; }
  std::string Inbox() const { return base + "/ap/inbox"; }
  std::string Outbox() const { return base + "/ap/outbox"; }
  std::string Followers() const { return base + "/ap/followers"; }
  std::string Following() const { return base + "/ap/following"; }
  std::string Card(int64_t card_id) const { return base + "/ap/cards/" + std::to_string(card_id); }
  std::string CardImage(int64_t card_id) const { return Card(card_id) + "/image"; }
  std::string Activity(int64_t card_id, int64_t seq) const {
    return base + "/ap/activities/" + std::to_string(card_id) + "-" + std::to_string(seq);
  }
  // The card id when `url` is one of this node's card URLs.
  std::optional<int64_t> CardIdOf(const std::string& url) const;
};

constexpr char kActivityStreams[] = "https://www.w3.org/ns/activitystreams";
constexpr char kPublic[] = "https://www.w3.org/ns/activitystreams#Public";
constexpr char kActivityJson[] = "application/activity+json";

Json ActorDocument(const NodeUrls& urls, const std::string& name, const std::string& public_key_pem);
// acct:<username>@<host> or the actor's id; nullopt for any other resource.
std::optional<Json> WebFingerDocument(const NodeUrls& urls, const std::string& resource);
Json NodeInfoLinks(const NodeUrls& urls);
Json NodeInfoDocument(const std::string& version, int64_t published_cards);

// What a card object says besides its content.
struct CardObjectMeta {
  std::string id;             // the object's URL
  std::string attributed_to;  // the actor
  std::string published;
  std::string updated;
  std::string image_url;
  std::string content_hash;
};

// The card as a Note; its content is the card's V3 JSON.
Json CardObject(const Card& card, const CardObjectMeta& meta);
Json ActivityDocument(const std::string& type, const std::string& id, const std::string& actor, Json object,
                      const std::string& published);
Json OrderedCollection(const std::string& id, int64_t total, const std::optional<std::string>& first);
Json OrderedCollectionPage(const std::string& id, const std::string& part_of, Json items,
                           const std::optional<std::string>& next);

// An inbox POST's body read as an activity: a JSON object with a string
// `type` and `actor` and an `object`. kInvalidInput "bad_activity" otherwise,
// or the bounded reader's kind ("json_too_deep", "json_too_large", "bad_json").
Result<Json> ParseActivity(std::string_view body);

// A card object read back: kInvalidInput "bad_activity" naming what is wrong.
struct ParsedCardObject {
  std::string id;
  std::string content;  // the card JSON
  std::optional<std::string> updated;
  std::optional<std::string> image_url;
};
Result<ParsedCardObject> ParseCardObject(const Json& object);

// What the inbox needs from a signer's actor document: where the actor
// receives, and the PEM of the signing key.
struct ActorKey {
  std::string inbox;
  std::string public_key_pem;
};

// Reads the actor document `body`, fetched from `actor_url`, for the key
// `key_id` (in `publicKey`: one object or an array of them), with the bounded
// reader and typed fields. kRemoteError "peer_bad_response" naming the actor
// and the field when the body is not JSON, nests too deep, or a field it
// reads has the wrong type; kUnauthenticated "unknown_key" when the document
// is not `actor_url`'s, has no inbox, does not publish `key_id`, or the key
// is owned by another actor.
Result<ActorKey> ReadActorKey(std::string_view body, const std::string& actor_url, const std::string& key_id);

// An object reference: a string, or an object's `id`.
std::optional<std::string> ObjectId(const Json& value);

}  // namespace charchive::federation
