#include "federation/address_policy.h"

#include <gtest/gtest.h>

namespace charchive::federation {
namespace {

TEST(AddressPolicyTest, LoopbackPrivateLinkLocalAndReservedAreNotPublic) {
  for (const char* ip : {"127.0.0.1",       "127.255.0.9",     "10.1.2.3",    "172.16.0.1", "172.31.255.255",
                         "192.168.1.10",    "169.254.169.254", "100.64.0.1",  "0.0.0.0",    "224.0.0.1",
                         "255.255.255.255", "198.18.0.1",      "192.0.2.5",   "::1",        "::",
                         "fe80::1",         "fd00::1",         "fc00::5",     "ff02::1",    "::ffff:127.0.0.1",
                         "::ffff:10.0.0.1", "64:ff9b::a00:1",  "2001:db8::1", "not an ip",  ""}) {
    EXPECT_FALSE(IsPublicAddress(ip)) << ip;
  }
}

TEST(AddressPolicyTest, GlobalUnicastIsPublic) {
  for (const char* ip : {"1.1.1.1", "8.8.8.8", "172.32.0.1", "100.128.0.1", "169.253.1.1", "93.184.216.34",
                         "2606:4700::1111", "::ffff:8.8.8.8", "2a00:1450:4001::200e"}) {
    EXPECT_TRUE(IsPublicAddress(ip)) << ip;
  }
}

}  // namespace
}  // namespace charchive::federation
