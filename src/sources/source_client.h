// SourceClient: how a sync run reads one public hub (docs/sources.md). A hub
// lists its cards page by page with a change clock per card; a card is then
// fetched in full and turned into a card file (PNG with the card embedded).
// Clients never touch the archive: SourceSync decides what to download and
// records what it got.
//
// Thread safety: one run's thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "card/card.h"
#include "sources/source_config.h"
#include "util/result.h"

namespace charchive::sources {

// One card as a listing shows it.
struct ListedCard {
  std::string source_id;  // Chub: the full path; Character Tavern: the card id
  std::string path;       // "creator/slug"
  std::string name;
  std::string creator;
  std::string updated_at;  // normalized change clock; empty when the hub gives none
  int64_t token_count = 0;
  std::vector<std::string> tags;
  bool nsfw = false;
};

struct ListingPage {
  std::vector<ListedCard> cards;
  bool last = false;  // no page after this one
};

// A card fetched in full: its content and the PNG that carries it.
struct FetchedCard {
  Card card;
  std::string png;
};

class SourceClient {
 public:
  virtual ~SourceClient() = default;

  // The listings a run walks for these filters (one per followed creator, or
  // one for everything). Names key the stored cursors.
  virtual std::vector<std::string> Listings(const SourceFilters& filters) const = 0;
  // True when listings are sorted by change clock, newest first, so a run can
  // stop at the first page older than the previous run.
  virtual bool SortedByChange() const = 0;
  // Page `page` (1-based) of a listing.
  virtual Result<ListingPage> ListPage(const std::string& listing, const SourceFilters& filters, int page) = 0;
  // kNotFound "source_card_missing" when the hub no longer has it.
  virtual Result<FetchedCard> Fetch(const ListedCard& listed) = 0;
};

// Whether a listed card passes the filters (hubs that ignore a parameter are
// filtered here as well).
bool PassesFilters(const ListedCard& card, const SourceFilters& filters);

}  // namespace charchive::sources
