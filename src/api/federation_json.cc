#include "api/federation_json.h"

namespace charchive::api {
namespace {

template <typename T>
Json OrNull(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

}  // namespace

Json PlatformJson(const PlatformRecord& p) {
  Json options = Json::parse(p.options_json, nullptr, false);
  return Json{{"id", p.id},
              {"platform", p.platform},
              {"display_name", p.display_name},
              {"base_url", p.base_url},
              {"api_key", p.api_key_sealed ? Json("***configured***") : Json(nullptr)},
              {"enabled", p.enabled ? 1 : 0},
              {"auth_kind", AuthKindName(p.auth_kind)},
              {"username", p.username},
              {"options", options.is_object() ? options : Json::object()},
              {"last_connected_at", OrNull(p.last_connected_at)},
              {"created_at", p.created_at},
              {"updated_at", p.updated_at}};
}

Json SyncStateJson(const SyncRecord& s) {
  return Json{{"id", s.id},
              {"card_id", s.card_id},
              {"platform", s.platform},
              {"platform_id", OrNull(s.platform_id)},
              {"last_sync_at", OrNull(s.last_sync_at)},
              {"local_hash", OrNull(s.local_hash)},
              {"remote_hash", OrNull(s.remote_hash)},
              {"remote_updated_at", OrNull(s.remote_updated_at)},
              {"base_version_id", OrNull(s.base_version_id)},
              {"status", SyncStateName(s.status)},
              {"unverified", s.unverified()},
              {"error_message", OrNull(s.error_message)},
              {"created_at", s.created_at},
              {"updated_at", s.updated_at},
              {"display_name", s.display_name},
              {"base_url", s.base_url},
              {"enabled", s.enabled ? 1 : 0}};
}

Json ImportRewritesJson(const std::vector<sync::Rewrite>& rewrites, const std::string& peer) {
  Json out = Json::array();
  for (const sync::Rewrite& r : rewrites) {
    out.push_back(Json{{"item", r.path.ToString()},
                       {"sent", OrNull(r.sent)},
                       {"stored", OrNull(r.stored)},
                       {"text", sync::DescribeRewrite(r, peer)}});
  }
  return out;
}

Json PushResultJson(const std::string& platform, const federation::PushResult& r) {
  Json out{{"cardId", r.card_id}, {"success", r.status.ok()}};
  if (!r.status.ok()) {
    out["error"] = r.status.message();
    out["kind"] = r.status.kind();
    return out;
  }
  out["platform_id"] = r.platform_id;
  auto kind = ParsePlatformKind(platform);
  if (kind == PlatformKind::kSillyTavern) out["filename"] = r.platform_id + ".png";
  if (kind == PlatformKind::kArchitect) out["remoteId"] = r.platform_id;
  if (kind == PlatformKind::kCardsHub) out["slug"] = r.platform_id;
  return out;
}

Json PlatformCardJson(const PlatformCard& c) {
  return Json{{"id", c.sync.card_id},
              {"name", c.name},
              {"creator", c.creator},
              {"spec", c.spec},
              {"tags", c.tags},
              {"content_hash", c.content_hash},
              {"updated_at", c.updated_at},
              {"platform_id", OrNull(c.sync.platform_id)},
              {"last_sync_at", OrNull(c.sync.last_sync_at)},
              {"status", SyncStateName(c.sync.status)},
              {"error_message", OrNull(c.sync.error_message)},
              {"local_hash", OrNull(c.sync.local_hash)},
              {"remote_hash", OrNull(c.sync.remote_hash)}};
}

Json BulkSyncStatusJson(const BulkSyncStatus& s) {
  return Json{{"card_id", s.card_id},
              {"name", s.name},
              {"synced_platforms", s.synced_platforms},
              {"remote_deleted_platforms", s.remote_deleted_platforms},
              {"active_syncs", s.active_syncs},
              {"error_syncs", s.error_syncs}};
}

Json EventJson(const EventRecord& e) {
  return Json{{"id", e.id},
              {"card_id", OrNull(e.card_id)},
              {"platform", e.platform},
              {"action", e.action},
              {"status", e.status},
              {"platform_id", OrNull(e.platform_id)},
              {"local_hash", OrNull(e.local_hash)},
              {"remote_hash", OrNull(e.remote_hash)},
              {"trigger", e.trigger},
              {"message", e.message},
              {"created_at", e.created_at}};
}

}  // namespace charchive::api
