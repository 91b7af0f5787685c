// Merge: both sides' new contents from a Reconciliation. Every decided item is
// applied (take_local goes to the peer's copy, take_remote to the archive's;
// unchanged and converged items stay as each side has them), and every
// conflict takes the caller's choice: the local value, the remote value, or a
// value of its own. Each side's result starts from its own copy now, so what
// no item changes stays byte for byte, including what a peer rewrote on import
// and never changed since.
//
// Pure functions and value types; safe from any thread.
#pragma once

#include <map>

#include "card/card.h"
#include "sync/item_path.h"
#include "sync/reconciliation.h"
#include "util/result.h"

namespace charchive::sync {

enum class ChoiceKind {
  kLocal,   // the archive's value, on both sides
  kRemote,  // the peer's value, on both sides
  kValue,   // Choice::value on both sides
};

struct Choice {
  ChoiceKind kind = ChoiceKind::kLocal;
  // kValue: the item's value; null removes the field, entry or greeting. A
  // whole entry is an object; a greeting a string. The entries' order takes
  // only kLocal or kRemote.
  Json value;

  static Choice Local() { return {ChoiceKind::kLocal, {}}; }
  static Choice Remote() { return {ChoiceKind::kRemote, {}}; }
  static Choice Value(Json value) { return {ChoiceKind::kValue, std::move(value)}; }
};

// A choice may be given for any item; it overrides the item's decision.
using Choices = std::map<ItemPath, Choice>;

struct MergedSides {
  // V3 `data` to store in the archive, and V3 `data` to send to the peer.
  Json local;
  Json remote;
  // Whether each differs in content (projected) from that side's copy now:
  // false means there is nothing to store, or nothing to send.
  bool local_changed = false;
  bool remote_changed = false;
};

// Fails with kInvalidInput: "merge_conflict" naming every conflict without a
// choice; "bad_field" for a choice of an item the reconciliation does not
// have, or a value of the wrong shape.
Result<MergedSides> Merge(const Reconciliation& reconciliation, const Choices& choices = {});

}  // namespace charchive::sync
