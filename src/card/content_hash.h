// The canonical content hash: sha256 over the JCS form of a card's projection.
// The projection is the card's meaning as V3 `data` with platform noise removed
// (see docs/content-hash.md): spec labels, top-level V1 mirrors, SillyTavern's
// fav/chat/create_date and extensions.fav, numbers a peer retypes as strings,
// timestamps peers rewrite, and empty-vs-missing differences. Key order, the
// V2/V3 label and V1 mirrors never change the hash; any content edit does.
// Pure functions; safe from any thread.
#pragma once

#include <string>

#include "card/card.h"

namespace charchive {

Json ContentProjection(const Card& card);

// 64 lowercase hex characters.
std::string ContentHash(const Card& card);

}  // namespace charchive
