// A card source's settings as the API and the CLI see them
// (docs/sources.md "State kept"): the search filters, and the validation of a
// settings change. The API key is sealed by SourceService and never shown:
// the JSON view says only whether one is configured.
//
// Thread safety: pure functions and values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "card/card.h"
#include "store/source_records.h"
#include "util/result.h"

namespace charchive::sources {

struct SourceFilters {
  std::vector<std::string> tags;      // a card must have all of them
  std::vector<std::string> creators;  // followed creators; empty: everyone
  bool nsfw = false;                  // include NSFW cards
  int64_t min_tokens = 0;
};

// From {tags?, creators?, nsfw?, min_tokens?}; kInvalidInput "bad_field"
// naming the field. Unknown keys are refused.
Result<SourceFilters> ParseFilters(const Json& json);
Json FiltersJson(const SourceFilters& filters);
// The stored filters (an unreadable column gives the defaults).
SourceFilters StoredFilters(const SourceRecord& record);

// A settings change as asked for; absent fields keep their value.
struct SourceChange {
  std::optional<std::string> base_url;
  std::optional<std::string> image_base_url;
  // Absent or empty: keep the stored key; present and null: clear it.
  std::optional<std::optional<std::string>> api_key;
  std::optional<Json> filters;                 // merged into the stored filters
  std::optional<int64_t> interval_minutes;     // 0 (off) .. 10080 (a week)
  std::optional<int64_t> request_interval_ms;  // 0 .. 60000
  std::optional<bool> enabled;
};

// From a JSON body {base_url?, image_base_url?, api_key?, filters?,
// interval_minutes?, request_interval_ms?, enabled?}.
Result<SourceChange> ParseSourceChange(const Json& body);
// Checks ranges and URLs; kInvalidInput "bad_field".
Status ValidateChange(const SourceChange& change);

// The settings as the API shows them: api_key is "***configured***" or null.
Json SourceJson(const SourceRecord& record);
Json RunJson(const SourceRun& run);

// A run's counters by the names the API and the log give them (pages, seen, new,
// updated, unchanged, conflicts, blocked, failed, requests), in that order.
struct RunCounter {
  std::string_view name;
  int64_t value;
};
std::array<RunCounter, 9> RunCounters(const SourceRun& run);

}  // namespace charchive::sources
