// AddressPolicy: which IP addresses an outbound request may connect to. URLs
// the owner typed (platform base URLs) may point anywhere, a LAN or this
// machine included; URLs that come from outside — an actor document, a
// signature's keyId, a follower's inbox, a card's content — must resolve only
// to public addresses, so that a hostile peer cannot make the archive reach
// its own loopback services, the LAN or a cloud metadata endpoint (SSRF).
//
// Thread safety: free functions without state.
#pragma once

#include <string>

namespace charchive::federation {

enum class AddressPolicy {
  kAnyAddress,  // owner-configured URLs
  kPublicOnly,  // URLs from remote content
};

// Whether `ip` (textual IPv4 or IPv6) is routable on the public internet: not
// unspecified, loopback, private (RFC 1918, ULA), shared (100.64/10), link-local,
// multicast, benchmarking, documentation or reserved. IPv4-mapped IPv6
// addresses are judged by their IPv4 part. Unparsable text is not public.
bool IsPublicAddress(const std::string& ip);

}  // namespace charchive::federation
