// Test helpers: the fixture card, generated cards and PNGs, temp dirs.
// Header-only, for *_test.cc files of every module.
#pragma once

#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "card/card.h"
#include "card/placeholder_png.h"
#include "card/png_chunks.h"
#include "util/base64.h"
#include "util/executable_path.h"
#include "util/file_io.h"

namespace charchive::testing {

// Fixtures sit in the build tree beside the test binaries (BUILD/fixtures,
// made by scripts/make-fixtures.sh).
inline std::string FixturePath(const std::string& name) { return ExecutableDir() + "/fixtures/cards/" + name; }

// Aborts with a message when the fixture is missing: every test using it would
// fail for an unclear reason otherwise.
inline std::string ReadFixture(const std::string& name) {
  auto bytes = ReadFile(FixturePath(name), 1u << 30);
  if (!bytes.ok()) {
    std::fprintf(stderr, "fixture %s: %s (run scripts/make-fixtures.sh BUILD_DIR)\n", FixturePath(name).c_str(),
                 bytes.status().message().c_str());
    std::abort();
  }
  return *bytes;
}

// A V2 card document with the given name and a distinctive description.
inline Json MakeV2Card(const std::string& name, const std::string& description = "A quiet librarian.") {
  return Json{{"spec", "chara_card_v2"},
              {"spec_version", "2.0"},
              {"data",
               {{"name", name},
                {"description", description},
                {"personality", "curious"},
                {"scenario", "a library at night"},
                {"first_mes", "Hello, {{user}}."},
                {"mes_example", "<START>\n{{char}}: Shh."},
                {"creator_notes", "test card"},
                {"system_prompt", ""},
                {"post_history_instructions", ""},
                {"alternate_greetings", {"Hi again.", "Welcome back."}},
                {"tags", {"fantasy", "library"}},
                {"creator", "tester"},
                {"character_version", "1.0"},
                {"extensions", {{"my_app/x", {{"keep", true}}}}},
                {"character_book",
                 {{"name", "Lore"},
                  {"extensions", Json::object()},
                  {"entries",
                   {{{"keys", {"library"}},
                     {"content", "The library never closes."},
                     {"extensions", Json::object()},
                     {"enabled", true},
                     {"insertion_order", 100},
                     {"id", 1}}}}}}}}};
}

// A PNG with one tEXt chunk (keyword, payload) and the placeholder image.
inline std::string MakePngWithText(const std::string& keyword, const std::string& payload,
                                   const std::string& chunk_type = "tEXt") {
  std::string base = PlaceholderPng();
  std::string out(kPngSignature);
  WalkPngChunks(base, CrcCheck::kAllChunks, [&](const PngChunk& c) {
    if (c.type == "IEND") AppendPngChunk(out, chunk_type, keyword + '\0' + payload);
    out.append(c.raw);
    return true;
  });
  return out;
}

inline std::string MakeCardPng(const Json& doc, const std::string& keyword = "chara") {
  return MakePngWithText(keyword, Base64Encode(doc.dump()));
}

// Builds a zip with libzip directly, bypassing WriteCharx's own name checks,
// so tests can make the hostile archives found in the wild.
inline std::string RawZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);
  zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  for (const auto& [name, bytes] : entries) {
    zip_source_t* data = zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
    zip_file_add(zip, name.c_str(), data, ZIP_FL_ENC_UTF_8);
  }
  zip_close(zip);
  zip_stat_t st;
  zip_source_stat(buffer, &st);
  zip_source_open(buffer);
  std::string out(st.size, '\0');
  zip_source_read(buffer, out.data(), st.size);
  zip_source_close(buffer);
  zip_source_free(buffer);
  return out;
}

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("charchive-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace charchive::testing
