#include "federation/platform_adapter.h"

#include <algorithm>

#include "federation/architect_adapter.h"
#include "federation/cardshub_adapter.h"
#include "federation/errors.h"
#include "federation/hub_adapter.h"
#include "federation/sillytavern_adapter.h"

namespace charchive::federation {

Status PlatformAdapter::SetVisibility(const std::string& /*platform_id*/, const std::string& /*visibility*/) {
  return Status::Conflict(federation_error::kPlatformUnsupported, "this platform has no per-card visibility");
}

Result<RemoteCardStats> PlatformAdapter::Stats(const std::string& /*platform_id*/) {
  return Status::Conflict(federation_error::kPlatformUnsupported, "this platform keeps no per-card statistics");
}

Status PlatformAdapter::Remove(const std::string& /*platform_id*/) {
  return Status::Conflict(federation_error::kPlatformUnsupported,
                          "the archive does not delete cards on this platform: unlink the card instead");
}

Result<std::unique_ptr<PlatformAdapter>> MakeAdapter(const PlatformConfig& config) {
  if (config.base_url.empty()) {
    return Status::Conflict(federation_error::kPlatformUnconfigured,
                            "set " + config.display_name + "'s base URL in the Federation settings first");
  }
  PeerHttpLimits limits;
  limits.request_timeout = config.request_timeout;
  limits.connect_timeout = std::min(limits.connect_timeout, config.request_timeout);
  auto http = PeerHttp::ForBaseUrl(config.base_url, limits);
  if (!http.ok()) return Status::Conflict(federation_error::kPlatformUnconfigured, http.status().message());
  if (auto platform = ParsePlatformKind(config.platform)) {
    switch (*platform) {
      case PlatformKind::kSillyTavern:
        return std::unique_ptr<PlatformAdapter>(new SillyTavernAdapter(std::move(*http), config));
      case PlatformKind::kArchitect:
        return std::unique_ptr<PlatformAdapter>(new ArchitectAdapter(std::move(*http), config));
      case PlatformKind::kCardsHub:
        return std::unique_ptr<PlatformAdapter>(new CardsHubAdapter(std::move(*http), config));
      case PlatformKind::kArchive:
        return std::unique_ptr<PlatformAdapter>(new HubAdapter(std::move(*http), config));
    }
  }
  return Status::Conflict(federation_error::kPlatformUnsupported, "no adapter for platform '" + config.platform + "'");
}

}  // namespace charchive::federation
