#include "federation/sync_log.h"

#include <vector>

#include "util/log.h"

namespace charchive::federation {

void LogSyncEvent(const EventRecord& event) {
  log::Level level = event.status == "ok" ? log::Level::kInfo : log::Level::kWarn;
  if (!log::Enabled(level)) return;
  std::vector<log::Field> fields{{"action", event.action}, {"platform", event.platform}};
  if (event.card_id) fields.emplace_back("card", *event.card_id);
  if (event.platform_id) fields.emplace_back("platform_id", *event.platform_id);
  fields.emplace_back("status", event.status);
  fields.emplace_back("trigger", event.trigger);
  if (!event.message.empty()) fields.emplace_back("message", event.message);
  log::Write(level, "sync_event", fields);
}

}  // namespace charchive::federation
