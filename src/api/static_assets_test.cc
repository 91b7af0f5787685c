#include "api/static_assets.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include "testing/api_test_server.h"
#include "testing/test_cards.h"
#include "util/file_io.h"

namespace charchive::api {
namespace {

using charchive::testing::ApiTestServer;
using charchive::testing::TempDir;

std::string Brotli(const std::string& raw) {
  std::string out(BrotliEncoderMaxCompressedSize(raw.size()), '\0');
  size_t size = out.size();
  EXPECT_TRUE(BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, raw.size(),
                                    reinterpret_cast<const uint8_t*>(raw.data()), &size,
                                    reinterpret_cast<uint8_t*>(out.data())));
  out.resize(size);
  return out;
}

std::string Unbrotli(const std::string& packed) {
  std::string out(1 << 20, '\0');
  size_t size = out.size();
  EXPECT_EQ(BrotliDecoderDecompress(packed.size(), reinterpret_cast<const uint8_t*>(packed.data()), &size,
                                    reinterpret_cast<uint8_t*>(out.data())),
            BROTLI_DECODER_RESULT_SUCCESS);
  out.resize(size);
  return out;
}

// gzip (windowBits 16 + 15) one way or the other.
std::string Gzip(const std::string& raw, bool inflate) {
  z_stream z{};
  EXPECT_EQ(inflate ? inflateInit2(&z, 31) : deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate ? ::inflate(&z, Z_FINISH) : deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflate ? inflateEnd(&z) : deflateEnd(&z);
  return out;
}

class StaticAssetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 400; ++i) script_ += "console.log('line " + std::to_string(i) + "');\n";
    index_ = "<!doctype html><title>Character Archive</title><script src=/assets/index-abc123.js></script>";
    std::filesystem::create_directories(ui_.path() / "assets");
    ASSERT_TRUE(WriteFileAtomic(ui_.File("index.html"), index_).ok());
    ASSERT_TRUE(WriteFileAtomic(ui_.File("assets/index-abc123.js"), script_).ok());
    ASSERT_TRUE(WriteFileAtomic(ui_.File("assets/index-abc123.js.br"), Brotli(script_)).ok());
    ASSERT_TRUE(WriteFileAtomic(ui_.File("assets/index-abc123.js.gz"), Gzip(script_, false)).ok());
    ASSERT_TRUE(WriteFileAtomic(ui_.File("assets/logo-def456.png"), std::string("\x89PNG\r\n\x1a\n....", 12)).ok());
    server_ = std::make_unique<ApiTestServer>("test-token", false, 1u << 20, ui_.path().string());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_decompress(false);  // the bytes as sent
  }

  httplib::Result Get(const std::string& path, const httplib::Headers& headers) { return client_->Get(path, headers); }

  TempDir ui_;
  std::string script_, index_;
  std::unique_ptr<ApiTestServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(StaticAssetsTest, HashedAssetsAreSentPrecompressedAndCachedForEver) {
  auto br = Get("/assets/index-abc123.js", {{"Accept-Encoding", "gzip, deflate, br, zstd"}});
  ASSERT_TRUE(br);
  EXPECT_EQ(br->status, 200);
  EXPECT_EQ(br->get_header_value("Content-Encoding"), "br");
  EXPECT_EQ(br->get_header_value("Vary"), "Accept-Encoding");
  EXPECT_EQ(br->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(br->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(br->body, *ReadFile(ui_.File("assets/index-abc123.js.br"), 1 << 20));  // as the build wrote it
  EXPECT_EQ(Unbrotli(br->body), script_);

  auto gz = Get("/assets/index-abc123.js", {{"Accept-Encoding", "gzip, br;q=0"}});
  EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(Gzip(gz->body, true), script_);
  EXPECT_NE(gz->get_header_value("ETag"), br->get_header_value("ETag"));

  auto plain = Get("/assets/index-abc123.js", {{"Accept-Encoding", "identity"}});
  EXPECT_FALSE(plain->has_header("Content-Encoding"));
  EXPECT_EQ(plain->body, script_);
  auto none = Get("/assets/index-abc123.js", {});
  EXPECT_EQ(none->body, script_);
  // A file with no compressed form is sent as it is, with no Vary.
  auto png = Get("/assets/logo-def456.png", {{"Accept-Encoding", "br, gzip"}});
  EXPECT_EQ(png->status, 200);
  EXPECT_FALSE(png->has_header("Content-Encoding"));
  EXPECT_FALSE(png->has_header("Vary"));
  EXPECT_EQ(png->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(png->body.size(), 12u);
}

TEST_F(StaticAssetsTest, IndexIsAskedForEachTimeAndAnsweredNotModified) {
  auto first = Get("/", {{"Accept-Encoding", "gzip, br"}});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(first->get_header_value("Content-Type"), "text/html; charset=utf-8");
  std::string etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(first->body, index_);  // no compressed form beside it: as it is
  EXPECT_EQ(first->get_header_value("X-Content-Type-Options"), "nosniff");

  auto again = Get("/index.html", {{"Accept-Encoding", "gzip, br"}, {"If-None-Match", etag}});
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(again->get_header_value("ETag"), etag);
  EXPECT_EQ(again->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(Get("/", {{"If-None-Match", "W/" + etag + ", \"other\""}})->status, 304);
  EXPECT_EQ(Get("/", {{"If-None-Match", "\"an-older-build\""}})->status, 200);

  auto br = Get("/assets/index-abc123.js", {{"Accept-Encoding", "br"}});
  EXPECT_EQ(Get("/assets/index-abc123.js", {{"Accept-Encoding", "br"}, {"If-None-Match", br->get_header_value("ETag")}})
                ->status,
            304);
}

TEST_F(StaticAssetsTest, OtherPathsAreNotServed) {
  auto authorized = server_->Client();
  for (const std::string path : {"/assets/missing.js", "/assets/index-abc123.js.br", "/../secret", "/api/nothing"}) {
    auto r = authorized->Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_NE(r->body.find("\"kind\""), std::string::npos) << path;  // the API's error shape
  }
  auto api = authorized->Get("/api/health");
  EXPECT_EQ(api->status, 200);
}

TEST(StaticAssetsLoadTest, AFolderWithoutIndexIsNoUi) {
  TempDir empty;
  EXPECT_EQ(StaticAssets::Load(empty.path().string()).status().kind(), "not_found");
  EXPECT_EQ(StaticAssets::Load("").status().kind(), "not_found");
}

}  // namespace
}  // namespace charchive::api
