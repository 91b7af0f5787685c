// ImportRewrites: what a peer changed in a card as it stored it, item by item,
// from the card the archive sent (the link's local base) and the peer's copy
// as read back (the link's remote base). SillyTavern's native import strips
// `?` from names; Character Architect drops `probability` from lorebook
// entries. These differences are the peer's business (the sync never pulls
// them, docs/federation.md "Per field, against each peer's own base"); the
// report lets the user see them, in words: "SillyTavern stored the name as
// 'Who Test'", "Character Architect dropped probability from lorebook entry 2".
// Items are those of the reconciliation core (item_path.h), compared on the
// content projection, so a peer's noise is never reported.
//
// Pure functions and value types; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "card/card.h"
#include "sync/item_path.h"

namespace charchive::sync {

struct Rewrite {
  ItemPath path;
  // The item's projected value in what was sent and in what the peer stored;
  // nullopt where the item is absent (dropped, or added by the peer).
  std::optional<Json> sent;
  std::optional<Json> stored;
};

// Every item the peer's copy holds differently from the card sent, in card order.
std::vector<Rewrite> ImportRewrites(const Card& sent, const Card& stored);

// One sentence for the user: "<peer> stored the name as 'Who Test'",
// "<peer> dropped probability from lorebook entry 2", "<peer> added
// extensions.world". Long values are cut at 80 characters.
std::string DescribeRewrite(const Rewrite& rewrite, std::string_view peer);

}  // namespace charchive::sync
