// libFuzzer target: a signer's actor document as the inbox reads it before
// it can check a signature (federation/activity_documents.h ReadActorKey):
// the bounded reader, then typed reads of id, inbox and each publicKey entry.
// Traps unless every failure is one of the documented Statuses and a success
// carries what the caller needs.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "federation/activity_documents.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace charchive;
  const std::string actor = "https://hub.example/ap/actor";
  auto key =
      federation::ReadActorKey(std::string_view(reinterpret_cast<const char*>(data), size), actor, actor + "#main-key");
  if (key.ok()) {
    if (key->public_key_pem.empty() && size < 16) __builtin_trap();  // no document that short has a key
    return 0;
  }
  const Status& st = key.status();
  bool documented = (st.code() == StatusCode::kRemoteError && st.kind() == "peer_bad_response") ||
                    (st.code() == StatusCode::kUnauthenticated && st.kind() == "unknown_key");
  if (!documented) __builtin_trap();
  return 0;
}
