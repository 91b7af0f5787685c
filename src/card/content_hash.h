// The canonical content hash: sha256 over the JCS form of a card's content
// projection (card/content_projection.h, docs/content-hash.md). Key order, the
// V2/V3 label, V1 mirrors, peers' noise and default-equivalent values never
// change the hash; any content edit does.
// Pure functions; safe from any thread.
#pragma once

#include <string>

#include "card/card.h"
#include "card/content_projection.h"

namespace charchive {

// 64 lowercase hex characters.
std::string ContentHash(const Card& card);

}  // namespace charchive
