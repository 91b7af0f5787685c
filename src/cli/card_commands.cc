#include "cli/card_commands.h"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "card/card_convert.h"
#include "card/card_file.h"
#include "card/content_hash.h"
#include "card/image_hash.h"
#include "card/limits.h"
#include "cli/errors.h"
#include "cli/exit_codes.h"
#include "util/file_io.h"

namespace charchive::cli {
namespace {

constexpr const char* kInfoTextFields[] = {"name",          "description",       "personality",
                                           "scenario",      "first_mes",         "mes_example",
                                           "creator_notes", "system_prompt",     "post_history_instructions",
                                           "creator",       "character_version", "nickname"};

Result<LoadedCard> LoadFile(const std::string& path, CrcCheck check = CrcCheck::kTextChunks) {
  CHARCHIVE_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path, limits::kMaxCardFile));
  auto loaded = LoadOwnedCardBytes(std::move(bytes), check);
  if (!loaded.ok()) return loaded.status();
  return loaded;
}

Json InfoJson(const LoadedCard& loaded) {
  Json data = loaded.card.V3Data();
  Json fields = Json::object();
  for (const char* f : kInfoTextFields) {
    auto it = data.find(f);
    if (it != data.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) fields[f] = *it;
  }
  Json info = Json::object();
  info["format"] = CardFormatName(loaded.format);
  info["spec"] = CardSpecName(loaded.card.spec());
  info["name"] = loaded.card.name();
  info["creator"] = loaded.card.creator();
  info["tags"] = loaded.card.tags();
  info["fields"] = std::move(fields);
  info["lorebook_entries"] = loaded.card.lorebook_entry_count();
  info["greetings"] = loaded.card.alternate_greetings_count();
  info["content_hash"] = ContentHash(loaded.card);
  info["image_hash"] = nullptr;
  if (!loaded.png.empty()) {
    auto image_hash = PngImageHash(loaded.png);
    if (image_hash.ok()) info["image_hash"] = *image_hash;
  }
  if (!loaded.source_keyword.empty()) info["chunk"] = loaded.source_keyword;
  if (!loaded.assets.empty()) info["assets"] = loaded.assets.size();
  return info;
}

void PrintInfoText(const Json& info) {
  auto line = [](const char* label, const std::string& value) { std::printf("%-17s %s\n", label, value.c_str()); };
  line("format:", info["format"].get<std::string>());
  line("spec:", info["spec"].get<std::string>());
  line("name:", info["name"].get<std::string>());
  line("creator:", info["creator"].get<std::string>());
  std::string tags;
  for (const auto& t : info["tags"]) tags += (tags.empty() ? "" : ", ") + t.get<std::string>();
  line("tags:", tags);
  std::string present;
  for (const auto& [key, value] : info["fields"].items()) present += (present.empty() ? "" : " ") + key;
  line("fields:", present);
  line("lorebook entries:", std::to_string(info["lorebook_entries"].get<size_t>()));
  line("alt greetings:", std::to_string(info["greetings"].get<size_t>()));
  line("content_hash:", info["content_hash"].get<std::string>());
  line("image_hash:", info["image_hash"].is_null() ? "-" : info["image_hash"].get<std::string>());
}

Result<CardFormat> FormatFromExtension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".png") return CardFormat::kPng;
  if (ext == ".json") return CardFormat::kJson;
  if (ext == ".charx") return CardFormat::kCharx;
  return Status::Invalid(cli_error::kBadField,
                         "cannot tell the output format from '" + path + "'; pass --to png|json|charx");
}

}  // namespace

void AddInfoCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string file;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("info", "Show what a card file holds");
  cmd->add_option("FILE", opts->file, "PNG, JSON or CharX card")->required();
  cmd->add_flag("--json", opts->json, "Machine-readable output");
  cmd->callback([opts, &exit_code] {
    auto loaded = LoadFile(opts->file);
    if (!loaded.ok()) {
      exit_code = ReportError(loaded.status(), opts->file);
      return;
    }
    Json info = InfoJson(*loaded);
    if (opts->json) {
      std::printf("%s\n", info.dump(2, ' ', false, Json::error_handler_t::replace).c_str());
    } else {
      PrintInfoText(info);
    }
  });
}

void AddValidateCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string file;
    bool strict = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("validate", "Check that a card file is well formed");
  cmd->add_option("FILE", opts->file, "PNG, JSON or CharX card")->required();
  cmd->add_flag("--strict", opts->strict, "Also verify the CRC of every PNG chunk, image data included");
  cmd->callback([opts, &exit_code] {
    auto loaded = LoadFile(opts->file, opts->strict ? CrcCheck::kAllChunks : CrcCheck::kTextChunks);
    if (!loaded.ok()) {
      exit_code = ReportError(loaded.status(), opts->file);
      return;
    }
    std::printf("ok: %s (%s, %s)\n", loaded->card.name().c_str(), CardFormatName(loaded->format),
                CardSpecName(loaded->card.spec()));
  });
}

void AddConvertCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string in, out, to, spec;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("convert", "Convert a card between PNG, JSON and CharX, V2 and V3");
  cmd->add_option("IN", opts->in, "Input card")->required();
  cmd->add_option("OUT", opts->out, "Output file (written atomically)")->required();
  cmd->add_option("--to", opts->to, "png|json|charx (default: from OUT's extension)");
  cmd->add_option("--spec", opts->spec, "v2|v3 for JSON output (default: the input's spec; V1 becomes v2)");
  cmd->callback([opts, &exit_code] {
    auto loaded = LoadFile(opts->in);
    if (!loaded.ok()) {
      exit_code = ReportError(loaded.status(), opts->in);
      return;
    }
    auto format = opts->to.empty() ? FormatFromExtension(opts->out) : ParseCardFormat(opts->to);
    if (!format.ok()) {
      exit_code = ReportError(format.status());
      return;
    }
    CardSpec spec = loaded->card.spec() == CardSpec::kV3 ? CardSpec::kV3 : CardSpec::kV2;
    if (opts->spec == "v2") {
      spec = CardSpec::kV2;
    } else if (opts->spec == "v3") {
      spec = CardSpec::kV3;
    } else if (!opts->spec.empty()) {
      exit_code =
          ReportError(Status::Invalid(cli_error::kBadField, "--spec must be v2 or v3, not '" + opts->spec + "'"));
      return;
    }
    std::vector<std::string> losses;
    auto bytes = SaveCardBytes(*loaded, *format, spec, &losses);
    if (!bytes.ok()) {
      exit_code = ReportError(bytes.status(), opts->in);
      return;
    }
    Status written = WriteFileAtomic(opts->out, *bytes);
    if (!written.ok()) {
      exit_code = ReportError(written, opts->out);
      return;
    }
    for (const auto& loss : losses) std::fprintf(stderr, "note: %s\n", loss.c_str());
  });
}

void AddHashCommand(CLI::App& app, int& exit_code) {
  auto file = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("hash", "Print a card's canonical content hash");
  cmd->add_option("FILE", *file, "PNG, JSON or CharX card")->required();
  cmd->callback([file, &exit_code] {
    auto loaded = LoadFile(*file);
    if (!loaded.ok()) {
      exit_code = ReportError(loaded.status(), *file);
      return;
    }
    std::printf("%s\n", ContentHash(loaded->card).c_str());
  });
}

}  // namespace charchive::cli
