// The card a peer stores, parsed: a peer's JSON the archive cannot read is a
// peer failure ("peer_bad_card"), named after the peer.
#pragma once

#include <string>

#include "card/card.h"
#include "federation/platform_adapter.h"

namespace charchive::federation {

Result<Card> ParseRemote(const RemoteCard& remote, const std::string& display_name);

}  // namespace charchive::federation
