// Edits to a card's content: a partial V3 `data` object merged into the card.
// Keys present in the patch replace the card's (null removes an optional
// field); every other key, known or unknown, stays as it was. The result is
// validated like any parsed card. Pure function; safe from any thread.
#pragma once

#include "card/card.h"

namespace charchive {

// Fails with "bad_field" naming the field when the patch is not an object or a
// value has the wrong type (e.g. `tags` not an array of strings), or when it
// would leave the card without a name (`name` empty or only white space).
Result<Card> ApplyDataPatch(const Card& card, const Json& patch);

}  // namespace charchive
