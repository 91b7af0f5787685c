// The API's JSON shapes for cards, versions and tags (docs/api.md).
#pragma once

#include <vector>

#include "card/card.h"
#include "store/card_record.h"

namespace charchive::api {

Json SummaryJson(const CardSummary& card);
// A page of cards: {"items": [summaries...]} and then the members of `fields`
// (an object: total, page...), the items built in place, never copied.
Json SummaryPageJson(const std::vector<CardSummary>& cards, Json fields);
// The summary plus raw JSON, normalized V3 data, hashes and file facts.
Json CardJson(const CardRecord& card);
Json VersionJson(const VersionRecord& version, bool with_content);
Json TagsJson(const std::vector<TagCount>& tags);

}  // namespace charchive::api
