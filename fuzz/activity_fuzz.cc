// libFuzzer target: an inbox POST body as the hub node reads it before and
// after the signature check (federation/activity_documents.h): the activity,
// its object's id, the card object and the card JSON inside it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "federation/activity_documents.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace charchive;
  auto activity = federation::ParseActivity(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!activity.ok()) return 0;
  const Json& object = (*activity)["object"];
  (void)federation::ObjectId(object);
  auto parsed = federation::ParseCardObject(object);
  if (!parsed.ok()) return 0;
  auto card = Card::FromJson(parsed->content);
  if (card.ok()) (void)card->name();
  return 0;
}
