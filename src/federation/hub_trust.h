// The hub node's trust model (docs/federation.md "Who may write"): pure
// decisions the inbox takes once a request's signature is verified, kept
// apart from the I/O so each rule is tested on its own.
// - The signed `host` must be this node's public host: a signed request
//   taken from another node's inbox cannot be replayed to us.
// - Ownership: an object belongs to the actor on its id's origin (scheme,
//   host and port), or, for a card this archive holds under its own URL as a
//   copy imported from a peer, to that peer.
// - Card activities: content enters only from actors this archive follows,
//   and only for objects they own; an Update of a card this archive owns is
//   never applied but kept as a suggestion for the owner; strangers (neither
//   following nor followed) may not send card activities at all.
//
// Thread safety: pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace charchive::federation {

// "scheme://host[:port]" of an http(s) URL, lower-cased, without a default
// port (80 for http, 443 for https); "" when `url` is not http(s).
std::string CanonicalOrigin(std::string_view url);

// Whether a request's Host header names the node at `public_url`
// (http(s)://host[:port]): compared case-insensitively, a default port
// written or not.
bool IsOurHost(std::string_view host_header, std::string_view public_url);

// Whether `actor` owns the object `object_id`: both on one origin. For one
// of this archive's own cards, `copy_of` is the peer id the card was
// imported from (its source id, when its source is `hub`), if any: that
// peer's actor owns it. A hub link alone proves nothing: pushing our card
// to a peer links it too.
bool ActorOwnsObject(std::string_view actor, std::string_view object_id,
                     const std::optional<std::string>& copy_of = std::nullopt);

// What the inbox knows when a Create, Update or Delete of a card arrives.
struct CardActivityFacts {
  std::string type;                // Create | Update | Delete
  bool object_is_ours = false;     // the id is one of this archive's card URLs
  bool actor_owns_object = false;  // ActorOwnsObject
  bool we_follow_actor = false;    // an accepted following
  bool actor_follows_us = false;   // an accepted follower
};

enum class CardVerdict {
  kApply,        // import or update the archive's copy, or mark it deleted
  kSuggest,      // keep the content as a suggestion; change no card
  kStranger,     // refused: neither follower nor followed
  kNotFollowed,  // refused: content only from actors this archive follows
  kNotOwner,     // refused: the actor does not own the object
};

CardVerdict DecideCardActivity(const CardActivityFacts& facts);

}  // namespace charchive::federation
