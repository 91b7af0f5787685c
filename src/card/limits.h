// Hard limits on untrusted input. Past any of them a parser fails with kind
// "too_large" (or "too_many_entries", "json_too_deep", "json_too_large")
// instead of allocating or recursing.
#pragma once

#include <cstdint>

namespace charchive::limits {

inline constexpr uint64_t kMaxPngChunk = 50ull << 20;      // one PNG chunk
inline constexpr uint64_t kMaxInflatedText = 16ull << 20;  // zTXt/iTXt after inflate
inline constexpr uint64_t kMaxZipEntry = 50ull << 20;      // one CharX entry, uncompressed
inline constexpr uint64_t kMaxZipTotal = 200ull << 20;     // all CharX entries, uncompressed
inline constexpr uint64_t kMaxZipEntries = 10000;
inline constexpr uint64_t kMaxCardFile = 200ull << 20;  // any card file on disk
// Depth of any JSON text from outside (cards, peers, requests): the values on
// the deepest path, the innermost included (64 nested empty arrays pass, 63
// objects around a string pass). Every recursion over a parsed document is
// bounded by it.
inline constexpr int kMaxJsonDepth = 64;
// Any JSON text from a peer or a request (the peer client's response cap).
inline constexpr uint64_t kMaxJsonText = 64ull << 20;

}  // namespace charchive::limits
