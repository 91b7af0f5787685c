#include "federation/hub_trust.h"

#include <algorithm>
#include <cctype>

namespace charchive::federation {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// host[:port] lower-cased, without the scheme's default port.
std::string CanonicalHost(std::string_view host, std::string_view scheme) {
  std::string out = Lower(host);
  std::string default_port = scheme == "https" ? ":443" : ":80";
  bool bracketed_v6_end = !out.empty() && out.back() == ']';
  if (!bracketed_v6_end && out.size() > default_port.size() &&
      out.compare(out.size() - default_port.size(), default_port.size(), default_port) == 0) {
    out.resize(out.size() - default_port.size());
  }
  return out;
}

}  // namespace

std::string CanonicalOrigin(std::string_view url) {
  std::string lower = Lower(url.substr(0, std::min<size_t>(url.size(), 8)));
  std::string_view scheme = lower.rfind("https://", 0) == 0 ? "https" : lower.rfind("http://", 0) == 0 ? "http" : "";
  if (scheme.empty()) return "";
  std::string_view rest = url.substr(scheme.size() + 3);
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.find('@') != std::string_view::npos) return "";
  return std::string(scheme) + "://" + CanonicalHost(host, scheme);
}

bool IsOurHost(std::string_view host_header, std::string_view public_url) {
  std::string ours = CanonicalOrigin(public_url);
  if (ours.empty() || host_header.empty()) return false;
  std::string scheme = ours.substr(0, ours.find("://"));
  return ours == scheme + "://" + CanonicalHost(host_header, scheme);
}

bool ActorOwnsObject(std::string_view actor, std::string_view object_id, const std::optional<std::string>& copy_of) {
  std::string actor_origin = CanonicalOrigin(actor);
  if (actor_origin.empty()) return false;
  if (copy_of && CanonicalOrigin(*copy_of) == actor_origin) return true;
  return CanonicalOrigin(object_id) == actor_origin;
}

CardVerdict DecideCardActivity(const CardActivityFacts& facts) {
  if (!facts.we_follow_actor && !facts.actor_follows_us) return CardVerdict::kStranger;
  if (facts.object_is_ours) {
    // Peers neither create nor delete this archive's cards; their edits are
    // applied only to a copy of their own card, and only while followed.
    if (facts.type != "Update") return CardVerdict::kNotOwner;
    return facts.actor_owns_object && facts.we_follow_actor ? CardVerdict::kApply : CardVerdict::kSuggest;
  }
  if (!facts.actor_owns_object) return CardVerdict::kNotOwner;
  if (!facts.we_follow_actor) return CardVerdict::kNotFollowed;
  return CardVerdict::kApply;
}

}  // namespace charchive::federation
