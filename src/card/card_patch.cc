#include "card/card_patch.h"

#include "card/card_convert.h"
#include "card/errors.h"

namespace charchive {

Result<Card> ApplyDataPatch(const Card& card, const Json& patch) {
  if (!patch.is_object()) return Status::Invalid(card_error::kBadField, "data must be an object");
  if (patch.contains("name")) {
    const Json& name = patch["name"];
    if (!name.is_string()) return Status::Invalid(card_error::kBadField, "data.name must be a string");
    if (name.get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos) {
      return Status::Invalid(card_error::kBadField, "data.name must not be empty");
    }
  }
  // A V1 card becomes V2 on its first edit: V1 has no place for most fields.
  Json doc = card.spec() == CardSpec::kV1 ? ToV2Document(card) : card.document();
  Json& data = doc["data"];
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      data.erase(key);
    } else {
      data[key] = value;
    }
  }
  return Card::FromDocument(doc);
}

}  // namespace charchive
