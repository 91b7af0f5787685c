// The store's value types: a card row, its list summary, a version, a list
// query and its page, the trash's page, tag counts. Plain data; no behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace charchive {

using CardId = int64_t;

struct CardSummary {
  CardId id = 0;
  std::string name;
  std::string creator;
  std::vector<std::string> tags;
  std::string spec;    // "v1" | "v2" | "v3"
  std::string format;  // "png" | "json" | "charx": the file as imported
  std::string source;
  bool favorite = false;
  bool has_image = false;
  int64_t token_estimate = 0;
  bool has_lorebook = false;
  int64_t greetings_count = 0;
  std::string content_hash;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> trashed_at;  // set while the card is in the trash
};

struct CardRecord : CardSummary {
  std::optional<std::string> source_id;
  std::string raw_json;
  std::optional<std::string> image_hash;
  std::string file_name;  // under <data>/files/
  int64_t file_size = 0;
  std::string original_name;  // the imported file's name
  int64_t lorebook_entries = 0;
};

struct VersionRecord {
  int64_t id = 0;
  CardId card_id = 0;
  std::string raw_json;  // empty in listings
  std::string content_hash;
  std::string reason;  // import | edit | pull | merge | restore
  std::string created_at;
};

// kRelevance needs a search (q); it ranks the 500 newest matches by BM25
// (store/fts_relevance.h).
// Without a search it means kUpdated.
enum class SortKey { kUpdated, kCreated, kName, kTokens, kRelevance };

struct ListQuery {
  std::string q;                          // FTS5 syntax; plain words become prefix searches
  std::vector<std::string> tags;          // all of them
  std::vector<std::string> exclude_tags;  // none of them
  std::string creator;
  std::string spec;
  std::string source;
  std::optional<bool> favorite;
  std::optional<bool> has_lorebook;
  SortKey sort = SortKey::kUpdated;
  bool descending = true;
  int64_t page = 1;    // 1-based
  int64_t limit = 50;  // 1..500
};

struct ListPage {
  std::vector<CardSummary> items;
  int64_t total = 0;
  // A filtered count stops at card_repository::kCountCap, a search's at
  // kSearchCountCap: then `total` is that cap and more cards match
  // ("10,000+", "1,000+").
  bool total_capped = false;
};

// The trash, newest first: at most the asked-for number of cards, and how many it holds.
struct TrashPage {
  std::vector<CardSummary> items;
  int64_t total = 0;
};

struct TagCount {
  std::string tag;
  int64_t count = 0;
};

}  // namespace charchive
