// Store benchmark (make bench): bulk import of generated cards against `cp -r`
// of the same files, search and list latency (p50/p99) over 100,000 cards,
// thumbnail throughput, and peak RSS.
//
// usage: store_bench WORK_DIR IMPORT_CORPUS_DIR FIXTURE_PNG [SEARCH_CARDS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "store/archive.h"
#include "store/importer.h"
#include "store/thumbnail.h"
#include "util/file_io.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

long PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

// Card text drawn from a Zipf-distributed vocabulary of 20,000 made-up words
// (as natural text is: a few words everywhere, most words rare); tags from a
// small fixed list. Queries draw words the same way.
class Vocabulary {
 public:
  explicit Vocabulary(size_t size) {
    const char* syllables[] = {"ka",  "ri",  "mo",  "lu",  "then", "sar", "vel", "dor", "ina", "qua",
                               "zim", "oth", "pel", "rua", "sen",  "tor", "wy",  "xan", "bel", "cor"};
    std::mt19937 rng(7);
    for (size_t i = 0; i < size; ++i) {
      std::string w;
      for (int s = 0; s < 2 + static_cast<int>(rng() % 3); ++s) w += syllables[rng() % 20];
      words_.push_back(w + std::to_string(i % 10));
    }
    double total = 0;
    for (size_t i = 0; i < size; ++i) cumulative_.push_back(total += 1.0 / (i + 1));
  }
  const std::string& Draw(std::mt19937& rng) const {
    double x = std::uniform_real_distribution<double>(0, cumulative_.back())(rng);
    return words_[std::lower_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin()];
  }
  const std::string& Any(std::mt19937& rng) const { return words_[rng() % words_.size()]; }
  const std::string& Common(std::mt19937& rng, size_t top) const { return words_[rng() % top]; }
  std::string Text(std::mt19937& rng, int n) const {
    std::string out;
    for (int i = 0; i < n; ++i) out += Draw(rng) + (i + 1 < n ? " " : ".");
    return out;
  }

 private:
  std::vector<std::string> words_;
  std::vector<double> cumulative_;
};

const std::vector<std::string> kTags = {"fantasy", "sci-fi",  "romance", "adventure", "comedy",  "horror",
                                        "female",  "male",    "oc",      "anime",     "game",    "historical",
                                        "modern",  "villain", "hero",    "robot",     "monster", "royalty",
                                        "school",  "fluff",   "angst",   "mystery",   "western", "pirate"};

std::string SearchCard(const Vocabulary& vocab, std::mt19937& rng, int i) {
  charchive::Json doc = {{"spec", "chara_card_v2"},
                         {"spec_version", "2.0"},
                         {"data",
                          {{"name", "Search " + std::to_string(i) + " " + vocab.Draw(rng)},
                           {"description", vocab.Text(rng, 300)},
                           {"personality", vocab.Text(rng, 30)},
                           {"scenario", vocab.Text(rng, 40)},
                           {"first_mes", vocab.Text(rng, 80)},
                           {"creator", "creator" + std::to_string(rng() % 500)},
                           {"tags", {kTags[rng() % 12], kTags[12 + rng() % 12]}}}}};
  return doc.dump();
}

void Report(const char* name, const std::vector<double>& ms) {
  std::printf("%-34s p50 %7.2f ms   p99 %7.2f ms   (%zu runs)\n", name, Percentile(ms, 0.5), Percentile(ms, 0.99),
              ms.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: store_bench WORK_DIR IMPORT_CORPUS_DIR FIXTURE_PNG [SEARCH_CARDS]\n");
    return 2;
  }
  std::string work = argv[1], corpus = argv[2], fixture = argv[3];
  int search_cards = argc > 4 ? std::atoi(argv[4]) : 100000;
  fs::remove_all(work);
  fs::create_directories(work);

  // 1. Import against cp -r.
  size_t files = 0;
  for (auto& e : fs::directory_iterator(corpus)) files += e.path().filename().string().rfind("card", 0) == 0;
  auto start = Clock::now();
  std::string cp = "cp -r '" + corpus + "' '" + work + "/cp-copy' && sync";
  if (std::system(cp.c_str()) != 0) return 1;
  double cp_seconds = Seconds(start);
  auto import_archive = charchive::Archive::Open(work + "/import");
  if (!import_archive.ok()) return 1;
  start = Clock::now();
  auto summary = charchive::ImportPaths(**import_archive, {corpus}, {});
  double import_seconds = Seconds(start);
  if (!summary.ok()) return 1;
  std::printf("\nimport of %zu generated cards\n", files);
  std::printf("  charchive import      %8.0f cards/s  (%.2f s, %zu imported, %zu failed)\n",
              summary->counts.done / import_seconds, import_seconds, summary->counts.imported, summary->counts.failed);
  std::printf("  cp -r + sync (floor)  %8.0f files/s  (%.2f s)   import/cp ratio %.2f\n", files / cp_seconds,
              cp_seconds, cp_seconds / import_seconds);
  fs::remove_all(work + "/cp-copy");

  // 2. Search and list over many cards.
  auto archive = charchive::Archive::Open(work + "/search");
  if (!archive.ok()) return 1;
  std::mt19937 rng(42);
  Vocabulary vocab(20000);
  start = Clock::now();
  for (int done = 0; done < search_cards;) {
    std::vector<charchive::PreparedImport> batch;
    for (int i = 0; i < 2000 && done < search_cards; ++i, ++done) {
      batch.push_back((*archive)->PrepareImport(SearchCard(vocab, rng, done), "s" + std::to_string(done) + ".json"));
    }
    (*archive)->CommitImports(std::move(batch));
  }
  std::printf("\nsearch archive: %d cards loaded in %.1f s\n", search_cards, Seconds(start));
  auto time_query = [&](const charchive::ListQuery& q) {
    auto t = Clock::now();
    auto page = (*archive)->List(q);
    if (!page.ok()) std::fprintf(stderr, "query failed: %s\n", page.status().ToString().c_str());
    return Seconds(t) * 1000;
  };
  std::vector<double> search_ms, multi_ms, common_ms, list_ms, filter_ms;
  for (int i = 0; i < 50; ++i) {
    charchive::ListQuery q;
    // What people type: a word of the vocabulary (any of them, equally
    // likely), its first letters, or two words.
    q.q = vocab.Any(rng).substr(0, 5);
    q.sort = charchive::SortKey::kRelevance;
    search_ms.push_back(time_query(q));
    q.q = vocab.Any(rng) + " " + vocab.Any(rng);
    multi_ms.push_back(time_query(q));
    // The worst case: one of the 20 most frequent words, in most cards.
    q.q = vocab.Common(rng, 20);
    common_ms.push_back(time_query(q));
    charchive::ListQuery l;
    l.page = 1 + rng() % 100;
    l.sort = i % 2 ? charchive::SortKey::kName : charchive::SortKey::kUpdated;
    list_ms.push_back(time_query(l));
    charchive::ListQuery f;
    f.tags = {kTags[rng() % 12]};
    f.exclude_tags = {kTags[12 + rng() % 12]};
    filter_ms.push_back(time_query(f));
  }
  Report("search, one word prefix", search_ms);
  Report("search, two words", multi_ms);
  Report("search, a top-20 word (worst)", common_ms);
  Report("list page (updated/name sort)", list_ms);
  Report("list, tag include + exclude", filter_ms);

  // 3. Thumbnails (decode + scale + JPEG) of the fixture's 400x600 image.
  auto png = charchive::ReadFile(fixture, 1u << 30);
  if (png.ok()) {
    start = Clock::now();
    int n = 0;
    while (Seconds(start) < 3.0) n += charchive::MakeThumbnailJpeg(*png).ok();
    std::printf("\nthumbnails: %.0f per second on one core\n", n / Seconds(start));
  }
  std::printf("peak RSS: %.1f MiB\n", PeakRssKb() / 1024.0);
  if (!std::getenv("BENCH_KEEP")) fs::remove_all(work);
  return 0;
}
