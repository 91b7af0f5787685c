// TagEditor: tags changed across the archive's cards: a tag renamed, several
// merged into one or one deleted everywhere (the tag manager), and tags added
// to or removed from chosen cards (bulk edit). Tags are card content
// (`data.tags`), so every card whose tags change gets an "edit" version; the
// cards of one call change in one transaction, all or none. Tags match without
// regard to ASCII case, as the tag counts (Archive::Tags) group them; a card's
// other tags keep their order.
//
// Thread safety: as Archive's; any thread.
#pragma once

#include <string>
#include <vector>

#include "store/archive.h"

namespace charchive {

class TagEditor {
 public:
  explicit TagEditor(Archive& archive) : archive_(archive) {}

  // Every card carrying one of `from` carries `to` instead (once, where the
  // first of them was): a rename, or a merge when there are several or `to`
  // is already in use. Returns how many cards changed; "bad_tag" for a blank
  // tag, "unknown_tag" when no card carries any of `from`.
  Result<int64_t> Replace(const std::vector<std::string>& from, const std::string& to);
  // `tag` is taken off every card that carries it.
  Result<int64_t> Remove(const std::string& tag);
  // The chosen cards get each of `add` they lack and lose each of `remove`.
  // Returns how many cards changed; "not_found" for a card that is not in
  // the archive (and then nothing changed).
  Result<int64_t> Edit(const std::vector<CardId>& cards, const std::vector<std::string>& add,
                       const std::vector<std::string>& remove);

 private:
  Archive& archive_;
};

}  // namespace charchive
