#include "store/file_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>

namespace charchive {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(FileStoreNewNameTest, IsThirtyTwoHexDigitsAndTheExtension) {
  const std::string name = FileStore::NewName("png");
  ASSERT_EQ(name.size(), 32u + 4u);
  EXPECT_EQ(name.substr(32), ".png");
  EXPECT_EQ(name.find_first_not_of("0123456789abcdef"), 32u);
}

TEST(FileStoreNewNameTest, StartsWithTheTimeItWasMadeSoLaterNamesSortLater) {
  const int64_t before = NowMs();
  const std::string name = FileStore::NewName("json");
  const int64_t after = NowMs();
  const int64_t made = static_cast<int64_t>(std::stoull(name.substr(0, 12), nullptr, 16));
  EXPECT_GE(made, before);
  EXPECT_LE(made, after);
}

TEST(FileStoreNewNameTest, NamesMadeInTheSameMillisecondDiffer) {
  std::set<std::string> names;
  for (int i = 0; i < 10000; ++i) names.insert(FileStore::NewName("png"));
  EXPECT_EQ(names.size(), 10000u);
}

}  // namespace
}  // namespace charchive
