#include "api/card_json.h"

#include <string>

namespace charchive::api {

Json SummaryJson(const CardSummary& c) {
  std::string base = "/api/cards/" + std::to_string(c.id);
  return Json{{"id", c.id},
              {"name", c.name},
              {"creator", c.creator},
              {"tags", c.tags},
              {"spec", c.spec},
              {"format", c.format},
              {"source", c.source},
              {"favorite", c.favorite},
              {"has_lorebook", c.has_lorebook},
              {"greetings_count", c.greetings_count},
              {"token_estimate", c.token_estimate},
              {"image_url", c.has_image ? Json(base + "/image") : Json(nullptr)},
              {"thumbnail_url", c.has_image ? Json(base + "/thumbnail") : Json(nullptr)},
              {"content_hash", c.content_hash},
              {"created_at", c.created_at},
              {"updated_at", c.updated_at},
              {"trashed_at", c.trashed_at ? Json(*c.trashed_at) : Json(nullptr)}};
}

Json CardJson(const CardRecord& c) {
  Json out = SummaryJson(c);
  out["source_id"] = c.source_id ? Json(*c.source_id) : Json(nullptr);
  out["image_hash"] = c.image_hash ? Json(*c.image_hash) : Json(nullptr);
  out["lorebook_entries"] = c.lorebook_entries;
  out["file"] = Json{{"name", c.file_name}, {"size", c.file_size}, {"original_name", c.original_name}};
  auto card = Card::FromJson(c.raw_json);
  out["raw"] = card.ok() ? card->document() : Json(nullptr);
  out["data"] = card.ok() ? card->V3Data() : Json(nullptr);
  return out;
}

Json VersionJson(const VersionRecord& v, bool with_content) {
  Json out{{"id", v.id},
           {"card_id", v.card_id},
           {"content_hash", v.content_hash},
           {"reason", v.reason},
           {"created_at", v.created_at}};
  if (with_content) {
    auto card = Card::FromJson(v.raw_json);
    out["raw"] = card.ok() ? card->document() : Json(nullptr);
    out["data"] = card.ok() ? card->V3Data() : Json(nullptr);
  }
  return out;
}

Json TagsJson(const std::vector<TagCount>& tags) {
  Json out = Json::array();
  for (const auto& t : tags) out.push_back(Json{{"tag", t.tag}, {"count", t.count}});
  return out;
}

}  // namespace charchive::api
