#include "sync/decision.h"

#include "card/canonical_json.h"

namespace charchive::sync {

const char* DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kUnchanged:
      return "unchanged";
    case Decision::kTakeLocal:
      return "take_local";
    case Decision::kTakeRemote:
      return "take_remote";
    case Decision::kConverged:
      return "converged";
    case Decision::kConflict:
      return "conflict";
  }
  return "?";
}

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kUnchanged:
      return "unchanged";
    case Outcome::kPush:
      return "push";
    case Outcome::kPull:
      return "pull";
    case Outcome::kPushAndPull:
      return "push_and_pull";
    case Outcome::kConverged:
      return "converged";
    case Outcome::kConflict:
      return "conflict";
  }
  return "?";
}

bool SameValue(const std::optional<Json>& a, const std::optional<Json>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || CanonicalJson(*a) == CanonicalJson(*b);
}

Decision Decide(const ItemValues& v) {
  bool local_changed = !SameValue(v.local_base, v.local);
  bool remote_changed = !SameValue(v.remote_base, v.remote);
  if (!local_changed && !remote_changed) return Decision::kUnchanged;
  if (!remote_changed) return Decision::kTakeLocal;
  if (!local_changed) return Decision::kTakeRemote;
  return SameValue(v.local, v.remote) ? Decision::kConverged : Decision::kConflict;
}

Outcome OutcomeOf(const std::vector<Decision>& decisions) {
  bool local = false, remote = false, converged = false;
  for (Decision d : decisions) {
    if (d == Decision::kConflict) return Outcome::kConflict;
    local = local || d == Decision::kTakeLocal;
    remote = remote || d == Decision::kTakeRemote;
    converged = converged || d == Decision::kConverged;
  }
  if (local && remote) return Outcome::kPushAndPull;
  if (local) return Outcome::kPush;
  if (remote) return Outcome::kPull;
  return converged ? Outcome::kConverged : Outcome::kUnchanged;
}

}  // namespace charchive::sync
