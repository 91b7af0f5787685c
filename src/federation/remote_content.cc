#include "federation/remote_content.h"

#include "federation/errors.h"

namespace charchive::federation {

Result<Card> ParseRemote(const RemoteCard& remote, const std::string& display_name) {
  auto card = Card::FromJson(remote.raw_json);
  if (!card.ok()) {
    return Status::Remote(federation_error::kPeerBadCard, display_name + " stores card " + remote.platform_id +
                                                              " as JSON the archive cannot read (" +
                                                              card.status().message() + ")");
  }
  return card;
}

}  // namespace charchive::federation
