#include "sync/greeting_alignment.h"

#include <algorithm>
#include <cstdint>

namespace charchive::sync {
namespace {

// Past this many cells the alignment is by position only.
constexpr size_t kMaxAlignmentCells = 1'000'000;

size_t SizeOf(const Json& list) { return list.is_array() ? list.size() : 0; }

// Pairs the greetings of from[i0, i1) and to[j0, j1) by position.
void PairGap(size_t i0, size_t i1, size_t j0, size_t j1, std::vector<std::optional<size_t>>& out) {
  for (size_t k = 0; i0 + k < i1 && j0 + k < j1; ++k) out[j0 + k] = i0 + k;
}

}  // namespace

std::vector<std::optional<size_t>> AlignGreetings(const Json& from, const Json& to) {
  size_t n = SizeOf(from), m = SizeOf(to);
  std::vector<std::optional<size_t>> out(m);
  if (n * m > kMaxAlignmentCells) {
    PairGap(0, n, 0, m, out);
    return out;
  }
  // lcs[i][j]: the longest common subsequence of from[i..] and to[j..].
  std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = from[i] == to[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  size_t i = 0, j = 0, gap_i = 0, gap_j = 0;
  while (i < n && j < m) {
    if (from[i] == to[j]) {
      PairGap(gap_i, i, gap_j, j, out);
      out[j] = i;
      gap_i = ++i;
      gap_j = ++j;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      ++i;
    } else {
      ++j;
    }
  }
  PairGap(gap_i, n, gap_j, m, out);
  return out;
}

std::vector<std::optional<size_t>> MatchEqualGreetings(const Json& from, const Json& to) {
  size_t n = SizeOf(from), m = SizeOf(to);
  std::vector<std::optional<size_t>> out(m);
  std::vector<bool> used(n, false);
  for (size_t j = 0; j < m; ++j) {
    for (size_t i = 0; i < n; ++i) {
      if (!used[i] && from[i] == to[j]) {
        out[j] = i;
        used[i] = true;
        break;
      }
    }
  }
  return out;
}

}  // namespace charchive::sync
