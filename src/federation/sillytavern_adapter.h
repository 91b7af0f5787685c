// SillyTavernAdapter: pushes cards into a SillyTavern server and reads them
// back (docs/peers.md "SillyTavern"). Two paths:
// - native (any stock SillyTavern): multipart POST /api/characters/import with
//   the PNG in field `avatar`; `preserved_name=<id>.png` overwrites a card
//   pushed before in place; the returned `file_name` is the platform id; read
//   back with POST /api/characters/get (`json_data` is the stored JSON).
// - the CForge plugin (integrations/sillytavern-cforge), used when the
//   platform enables it and GET /api/plugins/cforge/probe answers:
//   POST /api/plugins/cforge/sync/import and GET /api/plugins/cforge/cards/:file.
// The platform id is the character's file name without ".png" on both paths.
// Listing: POST /api/characters/all (json_data per character; /get for the
// shallow objects of lazyLoadCharacters) or the plugin's GET /cards; images:
// GET /characters/<file> (the stored file) or the plugin's GET /cards/<file>.
//
// Thread safety: see PlatformAdapter; the session and the path choice are
// made once and shared.
#pragma once

#include <memory>
#include <mutex>
#include <optional>

#include "federation/platform_adapter.h"
#include "federation/sillytavern_session.h"

namespace charchive::federation {

class SillyTavernAdapter : public PlatformAdapter {
 public:
  SillyTavernAdapter(PeerHttp http, const PlatformConfig& config);

  Result<Json> TestConnection() override;
  // The card's name made a safe file name (no path characters, control
  // characters or Windows device names), then "<name>_2", "<name>_3", ...
  // until one is neither taken nor on SillyTavern.
  Result<std::optional<std::string>> FreeIdFor(const Card& card,
                                               const std::function<bool(const std::string&)>& taken) override;
  Result<std::string> Push(const OutgoingCard& card) override;
  Result<RemoteCard> Fetch(const std::string& platform_id) override;
  // A character's file is renamed with it (/api/characters/rename).
  bool CopiesMove() const override { return true; }
  Result<std::vector<RemoteCard>> List() override;
  // Both paths list every card with its JSON in one answer.
  bool ListsContent() const override { return true; }
  Result<std::string> FetchImage(const std::string& platform_id) override;

 private:
  // Whether to use the plugin: probed once when the platform enables it.
  Result<bool> UsePlugin();
  Result<Json> ProbePlugin();
  PeerRequest PluginRequest(std::string method, std::string path) const;

  Result<std::string> PushNative(const OutgoingCard& card);
  Result<RemoteCard> FetchNative(const std::string& platform_id);
  Result<std::string> PushPlugin(const OutgoingCard& card);
  Result<RemoteCard> FetchPlugin(const std::string& platform_id);
  Result<std::vector<RemoteCard>> ListNative();
  Result<std::vector<RemoteCard>> ListPlugin();

  SillyTavernSession session_;
  PlatformConfig config_;
  std::mutex mu_;
  std::optional<bool> use_plugin_;
};

}  // namespace charchive::federation
