#include "federation/http_signature.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <filesystem>
#include <map>

#include "testing/test_cards.h"
#include "util/base64.h"
#include "util/file_io.h"

namespace charchive::federation {
namespace {

using testing::TempDir;

// One key for the file, made once: RSA generation is slow.
const NodeKey& SharedKey() {
  static TempDir dir;
  static NodeKey key = std::move(NodeKey::LoadOrCreate(dir.path().string() + "/federation.key")).value();
  return key;
}

std::function<std::optional<std::string>(const std::string&)> Lookup(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::map<std::string, std::string> lower;
  for (const auto& [name, value] : headers) {
    std::string n = name;
    for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    lower[n] = value;
  }
  return [lower](const std::string& name) -> std::optional<std::string> {
    auto it = lower.find(name);
    if (it == lower.end()) return std::nullopt;
    return it->second;
  };
}

TEST(NodeKeyTest, IsMadeOnceWithMode0600AndLoadedAgain) {
  TempDir dir;
  std::string path = dir.path().string() + "/federation.key";
  auto made = NodeKey::LoadOrCreate(path);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto loaded = NodeKey::LoadOrCreate(path);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(made->public_pem(), loaded->public_pem());
  EXPECT_NE(made->public_pem().find("BEGIN PUBLIC KEY"), std::string::npos);
}

TEST(NodeKeyTest, RefusesAFileThatIsNoKey) {
  TempDir dir;
  std::string path = dir.path().string() + "/federation.key";
  ASSERT_TRUE(WriteFileAtomic(path, "not a key").ok());
  auto key = NodeKey::LoadOrCreate(path);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().kind(), "bad_key");
}

TEST(HttpSignatureTest, SignedRequestVerifies) {
  const NodeKey& key = SharedKey();
  std::string body = R"({"type":"Follow"})";
  auto headers = SignRequest(key, "https://a.example/ap/actor#main-key", "POST", "b.example", "/ap/inbox", body);
  ASSERT_TRUE(headers.ok());
  auto lookup = Lookup(*headers);
  EXPECT_EQ(*lookup("digest"), BodyDigest(body));
  auto parsed = ParseSignatureHeader(*lookup("signature"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->key_id, "https://a.example/ap/actor#main-key");
  EXPECT_EQ(parsed->algorithm, "rsa-sha256");
  EXPECT_EQ(parsed->headers, (std::vector<std::string>{"(request-target)", "host", "date", "digest"}));
  auto signing = SigningString("POST", "/ap/inbox", parsed->headers, lookup);
  ASSERT_TRUE(signing.ok());
  EXPECT_EQ(signing->substr(0, 41), "(request-target): post /ap/inbox\nhost: b.");
  EXPECT_TRUE(*VerifyRsaSha256(key.public_pem(), *signing, parsed->signature));
  // Any change to what was signed breaks it.
  auto other_path = SigningString("POST", "/ap/inbox?x=1", parsed->headers, lookup);
  EXPECT_FALSE(*VerifyRsaSha256(key.public_pem(), *other_path, parsed->signature));
}

TEST(HttpSignatureTest, AnotherKeyDoesNotVerify) {
  TempDir dir;
  NodeKey other = std::move(NodeKey::LoadOrCreate(dir.path().string() + "/k")).value();
  auto signature = SharedKey().Sign("data");
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(*VerifyRsaSha256(SharedKey().public_pem(), "data", *signature));
  EXPECT_FALSE(*VerifyRsaSha256(other.public_pem(), "data", *signature));
  EXPECT_EQ(VerifyRsaSha256("garbage", "data", *signature).status().kind(), "bad_public_key");
}

TEST(HttpSignatureTest, SigningStringNamesAMissingHeader) {
  auto signing = SigningString("POST", "/inbox", {"(request-target)", "digest"}, Lookup({}));
  ASSERT_FALSE(signing.ok());
  EXPECT_EQ(signing.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(signing.status().message().find("digest"), std::string::npos);
}

TEST(HttpSignatureTest, ParsesAndRefusesSignatureHeaders) {
  std::string sig = Base64Encode("bytes");
  auto hs2019 = ParseSignatureHeader("keyId=\"k\",signature=\"" + sig + "\"");
  ASSERT_TRUE(hs2019.ok());
  EXPECT_EQ(hs2019->algorithm, "hs2019");
  EXPECT_EQ(hs2019->headers, std::vector<std::string>{"date"});
  EXPECT_EQ(hs2019->signature, "bytes");
  for (const std::string& bad :
       {std::string("signature=\"" + sig + "\""), std::string("keyId=\"k\""),
        std::string("keyId=\"k\",algorithm=\"hmac-sha256\",signature=\"" + sig + "\""),
        std::string("keyId=k,signature=\"" + sig + "\""), std::string("keyId=\"k\",signature=\"!!!\""),
        std::string("keyId=\"k,signature=\"" + sig)}) {
    auto parsed = ParseSignatureHeader(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kUnauthenticated) << bad;
  }
}

TEST(HttpSignatureTest, DigestAndDates) {
  // SHA-256 of the empty string.
  EXPECT_EQ(BodyDigest(""), "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  auto when = ParseHttpDate("Tue, 24 Nov 2026 23:54:05 GMT");
  ASSERT_TRUE(when.has_value());
  EXPECT_EQ(HttpDate(*when), "Tue, 24 Nov 2026 23:54:05 GMT");
  EXPECT_FALSE(ParseHttpDate("2026-11-24T23:54:05Z").has_value());
  EXPECT_FALSE(ParseHttpDate("Tue, 24 Nov 2026 23:54:05 GMT trailing").has_value());
}

}  // namespace
}  // namespace charchive::federation
