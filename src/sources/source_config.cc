#include "sources/source_config.h"

#include "federation/peer_http.h"
#include "sources/errors.h"

namespace charchive::sources {
namespace {

Result<std::vector<std::string>> StringList(const Json& value, const std::string& field) {
  std::vector<std::string> out;
  if (value.is_string()) {  // "a, b"
    std::string text = value.get<std::string>();
    size_t start = 0;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (!item.empty()) out.push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return out;
  }
  if (!value.is_array())
    return Status::Invalid(source_error::kBadField, "filters." + field + " must be a list of strings");
  for (const Json& item : value) {
    if (!item.is_string() || item.get<std::string>().empty()) {
      return Status::Invalid(source_error::kBadField, "filters." + field + " must be a list of non-empty strings");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Status CheckUrl(const std::optional<std::string>& url, const char* field) {
  if (!url) return Status::Ok();
  auto parsed = federation::PeerHttp::ForBaseUrl(*url);
  if (!parsed.ok())
    return Status::Invalid(source_error::kBadField, std::string(field) + ": " + parsed.status().message());
  return Status::Ok();
}

}  // namespace

Result<SourceFilters> ParseFilters(const Json& json) {
  if (!json.is_object()) return Status::Invalid(source_error::kBadField, "filters must be an object");
  SourceFilters filters;
  for (const auto& [key, value] : json.items()) {
    if (key == "tags") {
      CHARCHIVE_ASSIGN_OR_RETURN(filters.tags, StringList(value, key));
    } else if (key == "creators") {
      CHARCHIVE_ASSIGN_OR_RETURN(filters.creators, StringList(value, key));
    } else if (key == "nsfw") {
      if (!value.is_boolean()) return Status::Invalid(source_error::kBadField, "filters.nsfw must be true or false");
      filters.nsfw = value.get<bool>();
    } else if (key == "min_tokens") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 10'000'000) {
        return Status::Invalid(source_error::kBadField, "filters.min_tokens must be a whole number from 0 to 10000000");
      }
      filters.min_tokens = value.get<int64_t>();
    } else {
      return Status::Invalid(source_error::kBadField,
                             "unknown filter '" + key + "' (known: tags, creators, nsfw, min_tokens)");
    }
  }
  return filters;
}

Json FiltersJson(const SourceFilters& f) {
  return Json{{"tags", f.tags}, {"creators", f.creators}, {"nsfw", f.nsfw}, {"min_tokens", f.min_tokens}};
}

SourceFilters StoredFilters(const SourceRecord& record) {
  auto parsed = ParseFilters(Json::parse(record.filters_json, nullptr, false));
  return parsed.ok() ? *parsed : SourceFilters{};
}

Result<SourceChange> ParseSourceChange(const Json& body) {
  if (!body.is_object()) return Status::Invalid(source_error::kBadJson, "the body must be a JSON object");
  SourceChange change;
  for (const auto& [key, value] : body.items()) {
    if (key == "base_url" || key == "image_base_url") {
      if (!value.is_string()) return Status::Invalid(source_error::kBadField, key + " must be a string");
      (key == "base_url" ? change.base_url : change.image_base_url) = value.get<std::string>();
    } else if (key == "api_key") {
      if (value.is_null()) {
        change.api_key = std::optional<std::string>();
      } else if (value.is_string()) {
        change.api_key = std::optional<std::string>(value.get<std::string>());
      } else {
        return Status::Invalid(source_error::kBadField, "api_key must be a string or null");
      }
    } else if (key == "filters") {
      CHARCHIVE_RETURN_IF_ERROR(ParseFilters(value).status());
      change.filters = value;
    } else if (key == "interval_minutes" || key == "request_interval_ms") {
      if (!value.is_number_integer()) return Status::Invalid(source_error::kBadField, key + " must be a whole number");
      (key == "interval_minutes" ? change.interval_minutes : change.request_interval_ms) = value.get<int64_t>();
    } else if (key == "enabled") {
      if (!value.is_boolean()) return Status::Invalid(source_error::kBadField, "enabled must be true or false");
      change.enabled = value.get<bool>();
    } else {
      return Status::Invalid(source_error::kBadField, "unknown field '" + key +
                                                          "' (known: base_url, image_base_url, api_key, filters, "
                                                          "interval_minutes, request_interval_ms, enabled)");
    }
  }
  CHARCHIVE_RETURN_IF_ERROR(ValidateChange(change));
  return change;
}

Status ValidateChange(const SourceChange& change) {
  CHARCHIVE_RETURN_IF_ERROR(CheckUrl(change.base_url, "base_url"));
  CHARCHIVE_RETURN_IF_ERROR(CheckUrl(change.image_base_url, "image_base_url"));
  if (change.interval_minutes && (*change.interval_minutes < 0 || *change.interval_minutes > 10080)) {
    return Status::Invalid(source_error::kBadField, "interval_minutes must be from 0 (no schedule) to 10080 (a week)");
  }
  if (change.request_interval_ms && (*change.request_interval_ms < 0 || *change.request_interval_ms > 60000)) {
    return Status::Invalid(source_error::kBadField, "request_interval_ms must be from 0 to 60000");
  }
  if (change.filters) CHARCHIVE_RETURN_IF_ERROR(ParseFilters(*change.filters).status());
  return Status::Ok();
}

Json SourceJson(const SourceRecord& r) {
  return Json{{"source", r.source},
              {"display_name", r.display_name},
              {"base_url", r.base_url},
              {"image_base_url", r.image_base_url},
              {"api_key", r.api_key_sealed ? Json("***configured***") : Json(nullptr)},
              {"filters", FiltersJson(StoredFilters(r))},
              {"interval_minutes", r.interval_minutes},
              {"request_interval_ms", r.request_interval_ms},
              {"enabled", r.enabled},
              {"last_run_at", r.last_run_at ? Json(*r.last_run_at) : Json(nullptr)},
              {"updated_at", r.updated_at}};
}

std::array<RunCounter, 9> RunCounters(const SourceRun& r) {
  return {{{"pages", r.pages},
           {"seen", r.seen},
           {"new", r.new_cards},
           {"updated", r.updated},
           {"unchanged", r.unchanged},
           {"conflicts", r.conflicts},
           {"blocked", r.blocked},
           {"failed", r.failed},
           {"requests", r.requests}}};
}

Json RunJson(const SourceRun& r) {
  Json out{{"id", r.id}, {"source", r.source}, {"status", r.status}, {"full", r.full}, {"trigger", r.trigger}};
  for (const RunCounter& counter : RunCounters(r)) out[std::string(counter.name)] = counter.value;
  out["message"] = r.message;
  out["created_at"] = r.created_at;
  out["updated_at"] = r.updated_at;
  out["finished_at"] = r.finished_at ? Json(*r.finished_at) : Json(nullptr);
  return out;
}

}  // namespace charchive::sources
