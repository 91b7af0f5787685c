// Parse benchmark: cards/s and MB/s for the card parser over a corpus held in
// memory, single-threaded, (a) parse alone, (b) parse + content hash, and the
// Seraphina fixture alone. Prints one JSON object per measurement; bench/run.sh
// puts them beside the reference parser's numbers.
//
// usage: parse_bench CORPUS_DIR FIXTURE_PNG [ROUNDS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "card/card_file.h"
#include "card/content_hash.h"
#include "util/file_io.h"

namespace {

struct Measurement {
  double seconds = 0;
  size_t cards = 0;
  size_t bytes = 0;
  size_t failed = 0;
};

template <typename Fn>
Measurement Best(int rounds, const std::vector<std::string>& files, Fn fn) {
  Measurement best;
  for (int r = 0; r < rounds; ++r) {
    Measurement m;
    auto start = std::chrono::steady_clock::now();
    for (const auto& f : files) {
      m.failed += fn(f) ? 0 : 1;
      m.bytes += f.size();
      ++m.cards;
    }
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (r == 0 || m.seconds < best.seconds) best = m;
  }
  return best;
}

void Print(const char* name, const Measurement& m) {
  std::printf("{\"impl\":\"charchive\",\"case\":\"%s\",\"cards\":%zu,\"failed\":%zu,\"seconds\":%.4f,"
              "\"cards_per_s\":%.1f,\"mb_per_s\":%.1f}\n",
              name, m.cards, m.failed, m.seconds, m.cards / m.seconds, m.bytes / m.seconds / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: parse_bench CORPUS_DIR FIXTURE_PNG [ROUNDS]\n");
    return 2;
  }
  int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(argv[1])) {
    if (e.path().filename().string().rfind("card", 0) == 0) paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> corpus;
  for (const auto& p : paths) {
    auto bytes = charchive::ReadFile(p.string(), 1ull << 30);
    if (bytes.ok()) corpus.push_back(std::move(bytes).value());
  }
  auto fixture = charchive::ReadFile(argv[2], 1ull << 30);
  if (!fixture.ok() || corpus.empty()) {
    std::fprintf(stderr, "parse_bench: cannot read the corpus or the fixture\n");
    return 1;
  }
  std::vector<std::string> seraphina(2000, *fixture);

  auto parse = [](const std::string& f) { return charchive::ParseCardBytes(f).ok(); };
  auto parse_hash = [](const std::string& f) {
    auto card = charchive::ParseCardBytes(f);
    return card.ok() && charchive::ContentHash(*card).size() == 64;
  };
  Print("corpus parse", Best(rounds, corpus, parse));
  Print("corpus parse+hash", Best(rounds, corpus, parse_hash));
  Print("seraphina parse", Best(rounds, seraphina, parse));
  Print("seraphina parse+hash", Best(rounds, seraphina, parse_hash));
  return 0;
}
