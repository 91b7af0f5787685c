#include "util/secret_box.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testing/test_cards.h"
#include "util/file_io.h"

namespace charchive {
namespace {

using testing::TempDir;

TEST(SecretBox, SealsAndOpensWithTheKeyFileItCreated) {
  TempDir dir;
  auto box = SecretBox::OpenOrCreate(dir.File("secret.key"));
  ASSERT_TRUE(box.ok()) << box.status().ToString();
  struct stat st {};
  ASSERT_EQ(stat(dir.File("secret.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::string sealed = box->Seal("hunter2-api-key");
  EXPECT_EQ(sealed.find("hunter2"), std::string::npos);
  EXPECT_NE(sealed, box->Seal("hunter2-api-key"));  // a fresh nonce each time
  auto reopened = SecretBox::OpenOrCreate(dir.File("secret.key"));
  ASSERT_TRUE(reopened.ok());
  auto plain = reopened->Open(sealed);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "hunter2-api-key");
}

TEST(SecretBox, RefusesOtherKeysTamperingAndBadKeyFiles) {
  TempDir dir;
  auto a = SecretBox::OpenOrCreate(dir.File("a.key"));
  auto b = SecretBox::OpenOrCreate(dir.File("b.key"));
  ASSERT_TRUE(a.ok() && b.ok());
  std::string sealed = a->Seal("secret");
  EXPECT_EQ(b->Open(sealed).status().kind(), "secret_unreadable");
  std::string tampered = sealed;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(a->Open(tampered).ok());
  EXPECT_FALSE(a->Open("short").ok());
  ASSERT_TRUE(WriteFileAtomic(dir.File("bad.key"), "too short", 0600).ok());
  EXPECT_EQ(SecretBox::OpenOrCreate(dir.File("bad.key")).status().kind(), "bad_key_file");
}

}  // namespace
}  // namespace charchive
