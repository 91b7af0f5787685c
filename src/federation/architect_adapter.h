// ArchitectAdapter: pushes cards into Character Architect through its real
// REST API (docs/peers.md "Character Architect"), not the
// federation routes it ships broken:
// - health: GET /health -> {status: "ok"}; the card list must answer too
//   (GET /api/cards: an array in card_doctor, {items, total} later);
// - first push: multipart POST /api/import with the PNG -> card.meta.id is the
//   platform id;
// - later pushes: PATCH /api/cards/:id {data, meta} (data in the spec the
//   peer keeps for the card; meta: name, tags, creator, which Architect's
//   list and search read), so the id stays; a card deleted on the peer is
//   imported anew; the document's V1 mirrors are rebuilt from data
//   (card_convert.h), so a top-level `name` never names the card stale;
// - read back: GET /api/cards/:id -> {meta: {updatedAt}, data};
// - list: GET /api/cards?page=N&limit=100 until a short page (card_doctor
//   ignores limit and pages by 50); image: GET /api/cards/:id/image.
//
// Thread safety: stateless beyond its settings; safe from any thread.
#pragma once

#include "federation/peer_http.h"
#include "federation/platform_adapter.h"

namespace charchive::federation {

class ArchitectAdapter : public PlatformAdapter {
 public:
  ArchitectAdapter(PeerHttp http, const PlatformConfig& config);

  Result<Json> TestConnection() override;
  // Architect assigns ids (UUIDs) itself.
  Result<std::optional<std::string>> FreeIdFor(const Card&, const std::function<bool(const std::string&)>&) override {
    return std::optional<std::string>();
  }
  Result<std::string> Push(const OutgoingCard& card) override;
  Result<RemoteCard> Fetch(const std::string& platform_id) override;
  Result<std::vector<RemoteCard>> List() override;
  // Pages of 100 cards, each with its `data` and `meta.updatedAt`.
  bool ListsContent() const override { return true; }
  Result<std::string> FetchImage(const std::string& platform_id) override;

 private:
  Result<PeerResponse> Send(PeerRequest request) const;
  Result<Json> GetCard(const std::string& platform_id) const;
  Result<std::string> Import(const OutgoingCard& card) const;

  PeerHttp http_;
  std::string bearer_;
};

}  // namespace charchive::federation
