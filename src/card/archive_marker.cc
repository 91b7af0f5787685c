#include "card/archive_marker.h"

#include "card/card_convert.h"
#include "card/json_fields.h"

namespace charchive {

Result<Card> WithArchiveMarker(const Card& card, const ArchiveMarker& marker) {
  Json document = card.spec() == CardSpec::kV3 ? ToV3Document(card) : ToV2Document(card);
  Json& extensions = document["data"]["extensions"];
  if (!extensions.is_object()) extensions = Json::object();
  extensions[kArchiveMarkerKey] = Json{{"archive", marker.archive}, {"card_id", marker.card_id}};
  return Card::FromDocument(document);
}

std::optional<ArchiveMarker> ReadArchiveMarker(const Card& card) {
  const Json data = card.V3Data();
  auto extensions = data.find("extensions");
  if (extensions == data.end() || !extensions->is_object()) return std::nullopt;
  auto found = extensions->find(kArchiveMarkerKey);
  if (found == extensions->end()) return std::nullopt;
  auto fields = JsonFields::Of(*found, JsonOrigin::Peer("a card's identity marker"));
  if (!fields.ok()) return std::nullopt;
  auto archive = fields->String("archive");
  auto card_id = fields->OptionalInt("card_id");
  if (!archive.ok() || archive->empty() || !card_id.ok() || !*card_id) return std::nullopt;
  return ArchiveMarker{std::move(archive).value(), **card_id};
}

}  // namespace charchive
