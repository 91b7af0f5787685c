// The decisions of the reconciliation core: what happens to one item (a field,
// an extension key, a lorebook entry or one of its fields, a greeting), what
// happens to the whole card, and the table that decides one item
// (docs/sync-core.md, "The table"). An item's local change is what differs
// between the local base and the local copy now; its remote change is what
// differs between the remote base (the peer's copy as read back at the last
// sync) and the peer's copy now. Values are compared on the content
// projection (card/content_projection.h), so equivalent values are equal.
//
// Pure functions and value types; safe from any thread.
#pragma once

#include <optional>
#include <vector>

#include "card/card.h"

namespace charchive::sync {

enum class Decision {
  kUnchanged,   // neither side changed it: each side keeps its own value
  kTakeLocal,   // only the archive changed it: the peer gets the archive's value
  kTakeRemote,  // only the peer changed it: the archive gets the peer's value
  kConverged,   // both changed it to equivalent values: nothing to do
  kConflict,    // both changed it differently: it waits for the caller's choice
};

enum class Outcome {
  kUnchanged,    // every item unchanged
  kPush,         // some items go to the peer, none come back
  kPull,         // some items come from the peer, none go to it
  kPushAndPull,  // items go both ways (a clean field-level merge)
  kConverged,    // changed on both sides, every change alike
  kConflict,     // at least one item is a conflict
};

// "unchanged", "take_local", "take_remote", "converged", "conflict".
const char* DecisionName(Decision decision);
// "unchanged", "push", "pull", "push_and_pull", "converged", "conflict".
const char* OutcomeName(Outcome outcome);

// One item's projected value in each of the four documents; nullopt where the
// item is absent (a removed field, an entry not yet added).
struct ItemValues {
  std::optional<Json> local_base;
  std::optional<Json> local;
  std::optional<Json> remote_base;
  std::optional<Json> remote;
};

// Equal as canonical JSON (RFC 8785); two absent values are equal.
bool SameValue(const std::optional<Json>& a, const std::optional<Json>& b);

// The table: local changed = local_base != local; remote changed =
// remote_base != remote; neither -> kUnchanged, one -> take it, both ->
// kConverged when local == remote, else kConflict.
Decision Decide(const ItemValues& values);

// The whole card from its items' decisions: any conflict -> kConflict; else
// take_local and take_remote -> kPushAndPull, take_local -> kPush,
// take_remote -> kPull; else any converged -> kConverged; else kUnchanged.
Outcome OutcomeOf(const std::vector<Decision>& decisions);

}  // namespace charchive::sync
