#include "federation/hub_identity.h"

#include "federation/errors.h"
#include "store/hub_repository.h"
#include "util/url.h"

namespace charchive::federation {

Result<std::string> NormalizePublicUrl(const std::string& url) {
  auto parsed = ParseUrl(url);
  bool origin_only = parsed.ok() && parsed->query.empty() && url.find('#') == std::string::npos &&
                     parsed->path.find_first_not_of('/') == std::string::npos;
  if (!origin_only) {
    return Status::Invalid(federation_error::kBadField,
                           "public_url must be http(s)://host[:port] with no path, got \"" + url + "\"");
  }
  return parsed->Origin();
}

Result<std::shared_ptr<const HubIdentity>> LoadHubIdentity(Archive& archive) {
  std::optional<std::string> public_url;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(public_url, hub_repository::GetSetting(*db, "public_url"));
  }
  if (!public_url || public_url->empty()) {
    return Status::Conflict(federation_error::kNoPublicUrl,
                            "this archive's public URL is not set: start it with `charchive serve --public-url URL` "
                            "or set public_url in the hub node settings");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(NodeKey key, NodeKey::LoadOrCreate(archive.data_dir() + "/federation.key"));
  auto identity = std::make_shared<HubIdentity>(HubIdentity{std::move(key), NodeUrls{*public_url}});
  return std::shared_ptr<const HubIdentity>(std::move(identity));
}

}  // namespace charchive::federation
