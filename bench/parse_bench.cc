// Parse benchmark: cards/s and MB/s of the card parser over a corpus held in
// memory, single-threaded, best of ROUNDS rounds. Cases:
//   parse       ParseCardBytes: format detection, chunk walk with the text chunks'
//               CRCs, base64, JSON parse and validation, summary. The card only.
//   load        LoadCardBytes: parse, plus a copy of the PNG bytes into the
//               LoadedCard (what import keeps for the image).
//   parse+hash  parse, then ContentHash (document, projection, JCS, SHA-256).
// over the generated corpus, and over the Seraphina fixture parsed again and
// again from one buffer. Prints one JSON object per case; bench/run.sh puts
// them beside the reference parser's (bench/reference_parse.mjs) numbers.
//
// usage: parse_bench CORPUS_DIR FIXTURE_PNG [ROUNDS [FIXTURE_ITERATIONS [CASE]]]
// CASE limits the run to one case name (e.g. "corpus parse", for profiling).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
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

using Input = std::vector<std::string_view>;
using Op = std::function<bool(std::string_view)>;

Measurement Best(int rounds, const Input& inputs, const Op& op) {
  Measurement best;
  for (int r = 0; r < rounds; ++r) {
    Measurement m;
    auto start = std::chrono::steady_clock::now();
    for (std::string_view bytes : inputs) {
      if (!op(bytes)) ++m.failed;
      m.bytes += bytes.size();
    }
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.cards = inputs.size();
    if (r == 0 || m.seconds < best.seconds) best = m;
  }
  return best;
}

void Print(const std::string& name, const Measurement& m) {
  std::printf(
      "{\"impl\":\"charchive\",\"case\":\"%s\",\"cards\":%zu,\"failed\":%zu,\"seconds\":%.4f,"
      "\"cards_per_s\":%.1f,\"mb_per_s\":%.1f}\n",
      name.c_str(), m.cards, m.failed, m.seconds, m.cards / m.seconds, m.bytes / m.seconds / 1e6);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: parse_bench CORPUS_DIR FIXTURE_PNG [ROUNDS [FIXTURE_ITERATIONS [CASE]]]\n");
    return 2;
  }
  const int rounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
  const size_t fixture_iterations = argc > 4 ? std::max(1, std::atoi(argv[4])) : 2000;
  const std::string only = argc > 5 ? argv[5] : "";

  // Everything is read before any clock starts.
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(argv[1])) {
    if (e.is_regular_file() && e.path().filename().string().rfind("card", 0) == 0) paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> files;
  files.reserve(paths.size());
  for (const auto& p : paths) {
    auto bytes = charchive::ReadFile(p.string(), 1ull << 30);
    if (!bytes.ok()) {
      std::fprintf(stderr, "parse_bench: %s: %s\n", p.c_str(), bytes.status().ToString().c_str());
      return 1;
    }
    files.push_back(std::move(bytes).value());
  }
  auto fixture = charchive::ReadFile(argv[2], 1ull << 30);
  if (!fixture.ok() || files.empty()) {
    std::fprintf(stderr, "parse_bench: cannot read the corpus in %s or the fixture %s\n", argv[1], argv[2]);
    return 1;
  }
  const Input corpus(files.begin(), files.end());
  const Input seraphina(fixture_iterations, std::string_view(*fixture));

  const Op parse = [](std::string_view b) {
    auto card = charchive::ParseCardBytes(b);
    return card.ok() && !card->name().empty();
  };
  const Op load = [](std::string_view b) {
    auto loaded = charchive::LoadCardBytes(b);
    return loaded.ok() && !loaded->card.name().empty();
  };
  const Op parse_hash = [](std::string_view b) {
    auto card = charchive::ParseCardBytes(b);
    return card.ok() && charchive::ContentHash(*card).size() == 64;
  };
  const std::pair<const char*, const Input*> inputs[] = {{"corpus", &corpus}, {"seraphina", &seraphina}};
  const std::pair<const char*, const Op*> ops[] = {{"parse", &parse}, {"load", &load}, {"parse+hash", &parse_hash}};
  for (const auto& [input_name, input] : inputs) {
    for (const auto& [op_name, op] : ops) {
      std::string name = std::string(input_name) + " " + op_name;
      if (only.empty() || only == name) Print(name, Best(rounds, *input, *op));
    }
  }
  return 0;
}
