// Three-way comparison and merge of card contents (docs/federation.md
// "Two-way sync"): the base
// (what both sides held at the last sync), the archive's content and the
// peer's. Fields are compared on their content projection (content-hash.md),
// so a peer's noise never counts as a change; merged values come from the
// sides' real data, so nothing else is lost. Lorebook entries are compared
// and merged one by one, matched by id, else by keys and name. Long text gets
// a line diff.
//
// Pure functions; safe from any thread.
#pragma once

#include <optional>

#include "card/card.h"
#include "sync/reconciliation.h"
#include "util/result.h"

namespace charchive::federation {

// [{op: " " | "-" | "+", text}] turning `before` into `after`, line by line.
Json LineDiff(const std::string& before, const std::string& after);

// Per field: {field, base, local, remote, local_changed, remote_changed,
// conflict}, with `local_lines`/`remote_lines` (line diffs from the base) for
// text, and `entries` (the same per lorebook entry) for character_book. Only
// fields that differ somewhere are listed. base may be null (unknown).
Json DiffContents(const std::optional<Card>& base, const Card& local, const Card& remote);

// The merged V3 data: each field from `choices` ({field: "local" | "remote" |
// a literal value}), else the side that changed it, else either when they
// agree. A field both sides changed differently without a choice fails with
// kInvalidInput naming it; so does a choice for an unknown field.
Result<Json> MergeContents(const std::optional<Card>& base, const Card& local, const Card& remote, const Json& choices);

// The reconciliation's items that are not unchanged, one by one (docs/api.md
// "Three-way diff"): {item (ItemPath::ToString), kind, field (the top-level
// field it belongs to), decision, base, local, remote, remote_base}, with
// `local_lines`/`remote_lines` for text; values are projected, null where the
// item is absent.
Json DiffItems(const sync::Reconciliation& reconciliation);

// The archive's merged V3 data from per-item choices ({item: "local" |
// "remote"}), every other item as the reconciliation decided. A conflict
// without a choice fails with kInvalidInput "merge_conflict" naming it; an
// item the reconciliation does not have, or another choice, "bad_field".
Result<Json> MergeItems(const sync::Reconciliation& reconciliation, const Json& choices);

}  // namespace charchive::federation
