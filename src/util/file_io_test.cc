#include "util/file_io.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <vector>

#include "util/inflate.h"
#include "util/sha256.h"

namespace charchive {
namespace {

std::filesystem::path TempPath(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / ("charchive-io-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

}  // namespace

TEST(FileIo, AtomicWriteReplacesAndLeavesNoTemp) {
  auto path = TempPath("a.txt");
  ASSERT_TRUE(WriteFileAtomic(path.string(), "first").ok());
  ASSERT_TRUE(WriteFileAtomic(path.string(), "second", 0600).ok());
  EXPECT_EQ(*ReadFile(path.string(), 100), "second");
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(path.parent_path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
  std::filesystem::remove_all(path.parent_path());
}

TEST(FileIo, ReadErrors) {
  auto missing = ReadFile("/nonexistent/charchive/file", 10);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), "not_found");
  EXPECT_EQ(missing.status().code(), StatusCode::kIoError);

  auto path = TempPath("big.txt");
  ASSERT_TRUE(WriteFileAtomic(path.string(), std::string(100, 'x')).ok());
  auto big = ReadFile(path.string(), 99);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().kind(), "too_large");
  std::filesystem::remove_all(path.parent_path());
}

TEST(FileIo, WriteIntoMissingFolderFails) {
  Status s = WriteFileAtomic("/nonexistent/charchive/x", "data");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kIoError);
}

TEST(Sha256, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Inflate, RoundTripAndLimits) {
  std::string raw(100000, 'a');
  std::string z = DeflateZlib(raw);
  EXPECT_EQ(*InflateZlib(z, raw.size()), raw);
  auto over = InflateZlib(z, raw.size() - 1);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().kind(), "too_large");
  auto corrupt = InflateZlib("not zlib at all", 1000);
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.status().kind(), "bad_compression");
  auto cut = InflateZlib(z.substr(0, z.size() / 2), raw.size());
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().kind(), "bad_compression");
}

}  // namespace charchive

namespace charchive {

TEST(FileIo, WriteNewFileRefusesToOverwrite) {
  auto path = std::filesystem::temp_directory_path() / ("charchive-new-" + std::to_string(getpid()));
  std::filesystem::remove(path);
  ASSERT_TRUE(WriteNewFile(path.string(), "one").ok());
  EXPECT_EQ(*ReadFile(path.string(), 10), "one");
  Status again = WriteNewFile(path.string(), "two");
  EXPECT_EQ(again.code(), StatusCode::kIoError);
  EXPECT_EQ(*ReadFile(path.string(), 10), "one");
  std::filesystem::remove(path);
}

// How many of the file's pages the page cache holds (mincore of a mapping).
size_t ResidentPages(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  const size_t size = std::filesystem::file_size(path);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((size + page - 1) / page);
  ::mincore(map, size, resident.data());
  ::munmap(map, size);
  ::close(fd);
  size_t n = 0;
  for (unsigned char r : resident) n += r & 1;
  return n;
}

// Drops the file's (written back, so clean) pages from the page cache.
void DropFromCache(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

TEST(FileIo, ReadThroughLeavesTheFileInThePageCacheUnlessStopped) {
  const std::string path = TempPath("warm").string();
  ASSERT_TRUE(WriteFileAtomic(path, std::string(3u << 20, 'x')).ok());
  const size_t pages = (3u << 20) / static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  std::atomic<bool> stop{true};
  DropFromCache(path);
  if (ResidentPages(path) == pages) GTEST_SKIP() << "this file system keeps every page in memory (tmpfs)";
  ReadThrough(path, stop);
  EXPECT_LT(ResidentPages(path), pages / 2) << "stopped before it began";
  stop = false;
  ReadThrough(path, stop);
  EXPECT_EQ(ResidentPages(path), pages);
  EXPECT_EQ(ReadFile(path, 4u << 20)->size(), 3u << 20);
  ReadThrough(TempPath("missing").string(), stop);  // returns; nothing to read
  std::filesystem::remove(path);
}

}  // namespace charchive
