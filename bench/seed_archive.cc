// Makes an archive of COUNT generated JSON cards quickly, through the store's
// own import (Archive::PrepareImport on every core, CommitImports 2,000 at a
// time), for the web UI's 100,000-card grid test (tests/ui_grid_test.sh) and
// the UI benchmark (bench/ui_bench.sh). Card i is named "Grid card i" (six
// digits), by creator i % 500, with two different tags of 24 and a short description
// holding one of 1,000 words ("w0"…"w999", word i % 1000) so a search can be
// narrowed letter by letter. The same arguments give the same cards.
//
// usage: seed_archive DATA_DIR COUNT   (prints "seeded N cards in S s")
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "store/archive.h"
#include "util/parallel_for.h"

namespace {

const char* const kTags[] = {"fantasy", "sci-fi",  "romance", "adventure",  "comedy", "horror",  "female",  "male",
                             "oc",      "anime",   "game",    "historical", "modern", "villain", "hero",    "robot",
                             "monster", "royalty", "school",  "fluff",      "angst",  "mystery", "western", "pirate"};

std::string CardJson(int i) {
  char name[32];
  std::snprintf(name, sizeof name, "Grid card %06d", i);
  charchive::Json doc = {
      {"spec", "chara_card_v2"},
      {"spec_version", "2.0"},
      {"data",
       {{"name", name},
        {"description", std::string("A generated card, number ") + std::to_string(i) + ", keeper of w" +
                            std::to_string(i % 1000) + " and of the " + kTags[i % 24] + " shelf."},
        {"first_mes", "Hello from card " + std::to_string(i) + "."},
        {"creator", "creator" + std::to_string(i % 500)},
        {"tags", {kTags[i % 24], kTags[(i % 24 + 1 + (i / 24) % 23) % 24]}}}}};
  return doc.dump();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: seed_archive DATA_DIR COUNT\n");
    return 2;
  }
  const int count = std::atoi(argv[2]);
  auto start = std::chrono::steady_clock::now();
  auto archive = charchive::Archive::Open(argv[1]);
  if (!archive.ok()) {
    std::fprintf(stderr, "seed_archive: %s\n", archive.status().message().c_str());
    return 1;
  }
  constexpr int kBatch = 2000;
  for (int first = 0; first < count; first += kBatch) {
    std::vector<charchive::PreparedImport> batch(std::min(kBatch, count - first));
    charchive::ParallelFor(batch.size(), std::thread::hardware_concurrency(), [&](size_t k) {
      int i = first + static_cast<int>(k);
      batch[k] = (*archive)->PrepareImport(CardJson(i), "grid-" + std::to_string(i) + ".json");
    });
    for (const auto& r : (*archive)->CommitImports(std::move(batch))) {
      if (!r.status.ok()) {
        std::fprintf(stderr, "seed_archive: %s: %s\n", r.file.c_str(), r.status.message().c_str());
        return 1;
      }
    }
  }
  std::printf("seeded %d cards in %.1f s\n", count,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}
