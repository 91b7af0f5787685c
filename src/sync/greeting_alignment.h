// How greetings (alternate_greetings, group_only_greetings) are matched between
// two versions of a list: greetings equal in both stay matched in order
// (longest common subsequence); between two such anchors, the greetings left on
// each side are paired in order (an edit), and what is left over was removed or
// added. Greetings that two sides both added match only when equal.
//
// Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <vector>

#include "card/card.h"

namespace charchive::sync {

// For each greeting of `to`, the greeting of `from` it is an unchanged or
// edited version of; nullopt for an added one.
std::vector<std::optional<size_t>> AlignGreetings(const Json& from, const Json& to);

// For each greeting of `to`, an equal greeting of `from` (one-to-one, in order).
std::vector<std::optional<size_t>> MatchEqualGreetings(const Json& from, const Json& to);

}  // namespace charchive::sync
