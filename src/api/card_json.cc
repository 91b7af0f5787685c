#include "api/card_json.h"

#include <string>

namespace charchive::api {
namespace {

constexpr size_t kSummaryMembers = 17;  // SummaryJson's

}  // namespace

Json SummaryJson(const CardSummary& c) {
  std::string base = "/api/cards/" + std::to_string(c.id);
  // Members are added into reserved room: an ordered_json object grows by
  // copying its members (their keys are const), and a list page's summaries
  // were a fifth of a search's CPU when built from an initializer list.
  Json out = Json::object();
  auto& members = out.get_ref<Json::object_t&>();
  members.reserve(kSummaryMembers);
  members.emplace("id", c.id);
  members.emplace("name", c.name);
  members.emplace("creator", c.creator);
  members.emplace("tags", c.tags);
  members.emplace("spec", c.spec);
  members.emplace("format", c.format);
  members.emplace("source", c.source);
  members.emplace("favorite", c.favorite);
  members.emplace("has_lorebook", c.has_lorebook);
  members.emplace("greetings_count", c.greetings_count);
  members.emplace("token_estimate", c.token_estimate);
  members.emplace("image_url", c.has_image ? Json(base + "/image") : Json(nullptr));
  members.emplace("thumbnail_url", c.has_image ? Json(base + "/thumbnail") : Json(nullptr));
  members.emplace("content_hash", c.content_hash);
  members.emplace("created_at", c.created_at);
  members.emplace("updated_at", c.updated_at);
  members.emplace("trashed_at", c.trashed_at ? Json(*c.trashed_at) : Json(nullptr));
  return out;
}

Json SummaryPageJson(const std::vector<CardSummary>& cards, Json fields) {
  Json page = Json::object();
  auto& members = page.get_ref<Json::object_t&>();
  members.reserve(1 + fields.size());
  auto& items = members.emplace("items", Json::array()).first->second.get_ref<Json::array_t&>();
  items.reserve(cards.size());
  for (const CardSummary& c : cards) items.push_back(SummaryJson(c));
  for (auto& [key, value] : fields.get_ref<Json::object_t&>()) members.emplace(key, std::move(value));
  return page;
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
