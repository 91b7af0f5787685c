#include "card/content_hash.h"

#include "card/canonical_json.h"
#include "util/sha256.h"

namespace charchive {

std::string ContentHash(const Card& card) { return Sha256Hex(CanonicalJson(ContentProjection(card))); }

}  // namespace charchive
