#include "federation/address_policy.h"

#include <arpa/inet.h>

#include <algorithm>

#include <cstdint>
#include <cstring>

namespace charchive::federation {
namespace {

struct Range4 {
  uint32_t network;
  int prefix;
};

constexpr uint32_t Ip4(int a, int b, int c, int d) {
  return (uint32_t(a) << 24) | (uint32_t(b) << 16) | (uint32_t(c) << 8) | uint32_t(d);
}

constexpr Range4 kNonPublic4[] = {
    {Ip4(0, 0, 0, 0), 8},      {Ip4(10, 0, 0, 0), 8},    {Ip4(100, 64, 0, 0), 10},   {Ip4(127, 0, 0, 0), 8},
    {Ip4(169, 254, 0, 0), 16}, {Ip4(172, 16, 0, 0), 12}, {Ip4(192, 0, 0, 0), 24},    {Ip4(192, 0, 2, 0), 24},
    {Ip4(192, 168, 0, 0), 16}, {Ip4(198, 18, 0, 0), 15}, {Ip4(198, 51, 100, 0), 24}, {Ip4(203, 0, 113, 0), 24},
    {Ip4(224, 0, 0, 0), 4},    {Ip4(240, 0, 0, 0), 4},
};

bool IsPublic4(uint32_t ip) {
  for (const Range4& r : kNonPublic4) {
    uint32_t mask = r.prefix == 0 ? 0 : ~uint32_t(0) << (32 - r.prefix);
    if ((ip & mask) == r.network) return false;
  }
  return true;
}

bool IsPublic6(const unsigned char (&b)[16]) {
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, kMapped, 12) == 0) return IsPublic4(Ip4(b[12], b[13], b[14], b[15]));
  bool zero_prefix = std::all_of(b, b + 15, [](unsigned char x) { return x == 0; });
  if (zero_prefix && (b[15] == 0 || b[15] == 1)) return false;                     // :: and ::1
  if ((b[0] & 0xfe) == 0xfc) return false;                                         // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;                         // fe80::/10 link-local
  if (b[0] == 0xff) return false;                                                  // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;  // documentation
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) {              // NAT64 64:ff9b::/96
    return IsPublic4(Ip4(b[12], b[13], b[14], b[15]));
  }
  return (b[0] & 0xe0) == 0x20;  // only 2000::/3 is global unicast
}

}  // namespace

bool IsPublicAddress(const std::string& ip) {
  in_addr v4{};
  if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) return IsPublic4(ntohl(v4.s_addr));
  unsigned char v6[16];
  if (inet_pton(AF_INET6, ip.c_str(), v6) == 1) return IsPublic6(v6);
  return false;
}

}  // namespace charchive::federation
