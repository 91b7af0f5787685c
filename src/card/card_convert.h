// Conversions between card specs. Nothing is dropped silently: a V2 target
// cannot hold V3-only fields (group_only_greetings, assets, nickname,
// creator_notes_multilingual, source, creation_date, modification_date), so
// ToV2Document moves them into `data.extensions["charchive/v3"]`, where V2 apps
// keep but ignore them, and reports each one; ToV3Document moves them back.
// Top-level V1 mirror fields a document carries (SillyTavern's hybrids) are
// rebuilt from `data` by both, never copied stale.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "card/card.h"

namespace charchive {

// The document as V3: spec labels set, V1 fields wrapped into `data`, V3
// required fields filled with their defaults, unknown keys kept.
Json ToV3Document(const Card& card);

// The document as V2. `losses`, when given, receives one line per V3-only
// field that a V2 reader will not see.
Json ToV2Document(const Card& card, std::vector<std::string>* losses = nullptr);

// The document in the requested spec (V1 targets are not written; kV1 -> V2).
Json ToSpecDocument(const Card& card, CardSpec spec, std::vector<std::string>* losses = nullptr);

// Compact JSON text of a document (UTF-8 kept as is).
std::string DumpJson(const Json& document);

}  // namespace charchive
