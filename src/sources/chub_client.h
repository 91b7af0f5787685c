// ChubClient: reads Chub (chub.ai; docs/peers.md "Chub")
// as a card source. Listing: GET /search sorted by last_activity_at, newest
// first, `first` cards a page, until a page has no nodes. A card: the full
// definition (GET /api/characters/{fullPath}?full=true) and its card PNG
// (GET {image base}/avatars/{fullPath}/chara_card_v2.png), which gets the
// definition embedded. The source id is the full path; the change clock is
// lastActivityAt. An API key goes out as the `samwise` and `CH-API-KEY`
// headers (set on the SourceHttp).
//
// Thread safety: one run's thread.
#pragma once

#include "sources/source_client.h"
#include "sources/source_http.h"

namespace charchive::sources {

class ChubClient : public SourceClient {
 public:
  ChubClient(SourceHttp& http, std::string base_url, std::string image_base_url, int page_size = 48)
      : http_(http),
        base_url_(std::move(base_url)),
        image_base_url_(std::move(image_base_url)),
        page_size_(page_size) {}

  std::vector<std::string> Listings(const SourceFilters& filters) const override;
  bool SortedByChange() const override { return true; }
  Result<ListingPage> ListPage(const std::string& listing, const SourceFilters& filters, int page) override;
  Result<FetchedCard> Fetch(const ListedCard& listed) override;

 private:
  SourceHttp& http_;
  std::string base_url_;
  std::string image_base_url_;
  int page_size_;
};

// A Chub search node as a listed card; nullopt without a fullPath;
// "peer_bad_response" naming the field when one it reads has the wrong type.
Result<std::optional<ListedCard>> ChubListedCard(const Json& node);
// The V2 card document of a Chub detail node ({..., definition: {...}}).
Result<Json> ChubCardDocument(const Json& node);

// Each '/'-separated segment percent-encoded.
std::string EncodePath(const std::string& path);

}  // namespace charchive::sources
