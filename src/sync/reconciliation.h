// Reconciliation: the one decision of a sync between the archive and a peer,
// from four card contents: the local base (the archive's content at the last
// successful sync), the local copy now, the remote base (the peer's copy as
// read back at the last successful sync) and the remote copy now. The card is
// split into items (item_path.h) and each is decided by the table
// (decision.h), so a field only the peer changed is pulled, one only the
// archive changed is pushed, and only a field both changed differently waits
// for the user. The two bases may differ: whatever the peer rewrote on import
// sits in its remote base and is never taken from the peer unless the peer
// later changes that item again (docs/sync-core.md).
//
// Merge (merge.h) builds both sides' new contents from a Reconciliation. No
// I/O, no clock. Pure functions and value types; safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "card/card.h"
#include "sync/decision.h"
#include "sync/item_path.h"
#include "sync/slot_table.h"

namespace charchive::sync {

struct Item {
  ItemPath path;
  Decision decision = Decision::kUnchanged;
  // Projected values (card/content_projection.h); for kEntryOrder, each
  // document's order of the entries all four have, as entry identities.
  ItemValues values;
};

struct Reconciliation {
  Outcome outcome = Outcome::kUnchanged;
  // Every item of the card, decided, in card order: fields, extension keys,
  // lorebook fields, entries (whole or field by field), the entries' order,
  // greetings.
  std::vector<Item> items;

  // What Merge works from. The two copies now as V3 `data`
  // (Card::V3Data, not projected: merges keep every byte the table does not
  // change), the lorebook entries and greetings lined up, and each entry
  // slot's identity (ItemPath::entry).
  Json local_data;
  Json remote_data;
  SlotTable entries;
  std::vector<std::string> entry_ids;
  std::map<std::string, SlotTable> greetings;  // by list name

  // The item at `path`, or null.
  const Item* Find(const ItemPath& path) const;
  // The paths of the items that are conflicts, in card order.
  std::vector<ItemPath> Conflicts() const;
};

// The reconciliation of a card. A base that is not known is taken to be the
// other side's base; when neither is, the base is an empty card: what both
// copies hold alike has converged, what only one holds is taken from it, and
// what they hold differently is a conflict.
Reconciliation Reconcile(const std::optional<Card>& local_base, const Card& local,
                         const std::optional<Card>& remote_base, const Card& remote);

}  // namespace charchive::sync
