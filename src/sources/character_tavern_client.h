// CharacterTavernClient: reads Character Tavern (character-tavern.com;
// docs/peers.md "Character Tavern") as a card source. Listing:
// GET /api/search/cards?limit=&page=&sort=newest, Meilisearch-shaped
// {hits, totalHits, totalPages}; the hub cannot sort by change, so a run
// reads every page (cheap) and downloads only cards whose lastUpdateAt moved.
// A card: GET /api/character/{author}/{slug} ({card: {..., definition_*}})
// and, by card id, /tags, /alternative-greetings and (when it has one)
// /lorebook; the image ({image base}/{author}/{slug}.png, a placeholder when
// absent) gets the card embedded as CCv2 with extensions.character_tavern.
// The source id is the card id; the change clock lastUpdateAt (createdAt when
// never updated).
//
// Thread safety: one run's thread.
#pragma once

#include "sources/source_client.h"
#include "sources/source_http.h"

namespace charchive::sources {

class CharacterTavernClient : public SourceClient {
 public:
  CharacterTavernClient(SourceHttp& http, std::string base_url, std::string image_base_url, int page_size = 30)
      : http_(http),
        base_url_(std::move(base_url)),
        image_base_url_(std::move(image_base_url)),
        page_size_(page_size) {}

  std::vector<std::string> Listings(const SourceFilters&) const override { return {"all"}; }
  bool SortedByChange() const override { return false; }
  Result<ListingPage> ListPage(const std::string& listing, const SourceFilters& filters, int page) override;
  Result<FetchedCard> Fetch(const ListedCard& listed) override;

 private:
  SourceHttp& http_;
  std::string base_url_;
  std::string image_base_url_;
  int page_size_;
};

// A search hit as a listed card; nullopt without an id or path;
// "peer_bad_response" naming the field when one it reads has the wrong type.
Result<std::optional<ListedCard>> CharacterTavernListedCard(const Json& hit);
// The V2 card document from the detail's `card` and its sub-resources
// (lorebook null when the card has none).
Result<Json> CharacterTavernCardDocument(const Json& card, const Json& tags, const Json& greetings,
                                         const Json& lorebook);
// The detail path of a card path: lower-cased, spaces as '_'.
std::string CharacterTavernDetailPath(const std::string& path);

}  // namespace charchive::sources
