// LibraryStats: what the statistics page draws, counted over the archive's
// cards in a few grouped queries (no card JSON is read): cards by source, by
// spec and by creator, the most used tags, how many cards fall in each token
// range, and how many were imported in each month.
//
// Thread safety: a function of the database; any thread.
#pragma once

#include <string>
#include <vector>

#include "store/archive.h"

namespace charchive {

// One bar of a chart: a label and how many cards it stands for.
struct StatCount {
  std::string label;
  int64_t count = 0;
};

struct LibraryStatsReport {
  int64_t cards = 0;
  int64_t favorites = 0;
  std::vector<StatCount> sources;   // most cards first
  std::vector<StatCount> specs;     // v1, v2, v3
  std::vector<StatCount> creators;  // the kTopCreators with most cards ("" is "unknown")
  std::vector<StatCount> tags;      // the kTopTags most used
  std::vector<StatCount> tokens;    // the token ranges of kTokenBounds, in order: "0–499", …, "8000+"
  std::vector<StatCount> imports;   // per month ("2026-11"), oldest first
};

inline constexpr int kTopCreators = 15;
inline constexpr int kTopTags = 20;
// The lower bounds of the token ranges (token_estimate, characters / 4).
inline constexpr int64_t kTokenBounds[] = {0, 500, 1000, 2000, 4000, 8000};

Result<LibraryStatsReport> ComputeLibraryStats(Archive& archive);

}  // namespace charchive
