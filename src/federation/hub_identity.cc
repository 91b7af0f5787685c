#include "federation/hub_identity.h"

#include "federation/errors.h"
#include "store/hub_repository.h"

namespace charchive::federation {

Result<std::string> NormalizePublicUrl(const std::string& url) {
  std::string out = url;
  while (!out.empty() && out.back() == '/') out.pop_back();
  bool scheme = out.rfind("http://", 0) == 0 || out.rfind("https://", 0) == 0;
  size_t host_start = out.find("://") + 3;
  if (!scheme || out.size() <= host_start || out.find('/', host_start) != std::string::npos ||
      out.find_first_of("?# @", host_start) != std::string::npos) {
    return Status::Invalid(federation_error::kBadField, "public_url must be http(s)://host[:port] with no path, got \"" + url + "\"");
  }
  return out;
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
