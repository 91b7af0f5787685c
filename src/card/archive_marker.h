// The identity marker: what the archive writes into every card it pushes, so
// that a peer's copy says which archive card it is whatever the peer rewrote
// in it (a sanitized name, rewritten lorebook entries) or did to it (a
// SillyTavern rename gives it a new file name). It sits in the card's
// `data.extensions.charchive` as {"archive": <the archive's id>, "card_id":
// <the card's id there>}; SillyTavern and Character Architect keep unknown
// extension keys. The content projection drops it (content_projection.h): it
// is never content, and no two cards differ by it (docs/content-hash.md).
//
// Pure functions and a value type; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "card/card.h"

namespace charchive {

// The key under `data.extensions`.
inline constexpr char kArchiveMarkerKey[] = "charchive";

struct ArchiveMarker {
  std::string archive;  // the id of the archive that pushed the card
  int64_t card_id = 0;  // the card's id in that archive

  bool operator==(const ArchiveMarker&) const = default;
};

// `card` carrying `marker` (replacing any marker it had), in its own spec; a
// V1 card becomes V2, which has extensions.
Result<Card> WithArchiveMarker(const Card& card, const ArchiveMarker& marker);

// The marker a card carries; nullopt when it has none, or one of another
// shape (a peer's card is outside data, so a bad marker is only no marker).
std::optional<ArchiveMarker> ReadArchiveMarker(const Card& card);

}  // namespace charchive
