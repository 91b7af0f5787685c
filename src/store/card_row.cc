#include "store/card_row.h"

#include "card/content_hash.h"

namespace charchive {
namespace {

std::string Text(const Json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t CodePoints(const std::string& s) {
  int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

CardRow DeriveCardRow(const Card& card) {
  Json data = card.V3Data();
  CardRow row;
  row.name = card.name();
  row.creator = card.creator();
  row.spec = CardSpecName(card.spec());
  row.tags = card.tags();
  row.raw_json = card.original_json();
  row.content_hash = ContentHash(card);
  row.description = Text(data, "description");
  row.creator_notes = Text(data, "creator_notes");
  row.personality = Text(data, "personality");
  row.scenario = Text(data, "scenario");
  row.first_mes = Text(data, "first_mes");
  row.text_fingerprint = FingerprintText(FingerprintedText(row.description, row.first_mes));
  // A rough count: about four characters per token for English prose.
  int64_t chars = 0;
  for (const char* f : {"description", "personality", "scenario", "first_mes", "mes_example", "system_prompt",
                        "post_history_instructions"}) {
    chars += CodePoints(Text(data, f));
  }
  row.token_estimate = (chars + 3) / 4;
  row.lorebook_entries = static_cast<int64_t>(card.lorebook_entry_count());
  row.has_lorebook = row.lorebook_entries > 0;
  row.greetings_count = static_cast<int64_t>(card.alternate_greetings_count());
  return row;
}

}  // namespace charchive
