#include "cli/archive_commands.h"

#include <cstdio>
#include <memory>

#include "cli/exit_codes.h"
#include "cli/progress_bar.h"
#include "store/archive.h"
#include "store/importer.h"

namespace charchive::cli {

void AddImportCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string data = "./data";
    std::vector<std::string> paths;
    bool json = false;
    size_t threads = 0;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("import", "Import card files and folders (recursive) into the archive");
  cmd->add_option("PATH", opts->paths, "PNG, JSON or CharX files, or folders")->required();
  cmd->add_option("--data", opts->data, "Data directory (default ./data)");
  cmd->add_option("--threads", opts->threads, "Parsing threads (default: one per core)");
  cmd->add_flag("--json", opts->json, "Print every file's result as JSON");
  cmd->callback([opts, &exit_code] {
    auto archive = Archive::Open(opts->data);
    if (!archive.ok()) {
      exit_code = ReportError(archive.status(), opts->data);
      return;
    }
    ProgressBar bar;
    ImportOptions options;
    options.threads = opts->threads;
    options.on_progress = [&](const ImportProgress& p) { bar.Update(p.done, p.total); };
    auto summary = ImportPaths(**archive, opts->paths, options);
    if (!summary.ok()) {
      exit_code = ReportError(summary.status());
      return;
    }
    const ImportProgress& c = summary->counts;
    if (opts->json) {
      Json out = Json::array();
      for (const auto& r : summary->results) {
        Json item = {{"file", r.file}};
        if (r.id) item["id"] = *r.id;
        if (r.duplicate_of) item["duplicateOf"] = *r.duplicate_of;
        if (!r.status.ok()) item["error"] = r.status.ToString();
        out.push_back(std::move(item));
      }
      std::printf("%s\n", out.dump(2).c_str());
    } else {
      for (const auto& r : summary->results) {
        if (!r.status.ok()) std::fprintf(stderr, "failed: %s: %s\n", r.file.c_str(), r.status.ToString().c_str());
      }
      double elapsed = bar.Elapsed();
      std::printf("imported %zu, duplicates %zu, failed %zu (%zu files in %.1fs, %.0f cards/s)\n", c.imported,
                  c.duplicates, c.failed, c.total, elapsed, elapsed > 0 ? c.done / elapsed : 0.0);
    }
    if (c.failed > 0) exit_code = kExitInvalid;
    for (const auto& r : summary->results) {  // the archive's own fault (a full disk) outranks bad files
      if (r.status.code() == StatusCode::kIoError) exit_code = kExitIo;
    }
  });
}

void AddDoctorCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string data = "./data";
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("doctor", "Check the archive: database integrity, files and rows in step");
  cmd->add_option("--data", opts->data, "Data directory (default ./data)");
  cmd->add_flag("--json", opts->json, "Machine-readable report");
  cmd->callback([opts, &exit_code] {
    auto archive = Archive::Open(opts->data);
    if (!archive.ok()) {
      exit_code = ReportError(archive.status(), opts->data);
      return;
    }
    auto report = (*archive)->Doctor();
    if (!report.ok()) {
      exit_code = ReportError(report.status(), opts->data);
      return;
    }
    const DoctorReport& r = *report;
    if (opts->json) {
      Json out = {{"consistent", r.consistent()},
                  {"integrity", r.integrity_message},
                  {"cards", r.cards},
                  {"orphan_files", r.orphan_files},
                  {"missing_files", r.missing_files},
                  {"recovered", {{"published", r.recovered_published}, {"deleted", r.recovered_deleted}}}};
      std::printf("%s\n", out.dump(2).c_str());
    } else {
      std::printf("integrity:      %s\n", r.integrity_message.c_str());
      std::printf("cards:          %lld\n", static_cast<long long>(r.cards));
      std::printf("orphan files:   %zu\n", r.orphan_files.size());
      for (const auto& f : r.orphan_files) std::printf("  %s\n", f.c_str());
      std::printf("missing files:  %zu\n", r.missing_files.size());
      for (const auto& f : r.missing_files) std::printf("  %s\n", f.c_str());
      std::printf("recovered:      %d published, %d deleted (interrupted imports)\n", r.recovered_published,
                  r.recovered_deleted);
      std::printf("%s\n", r.consistent() ? "consistent" : "NOT consistent");
    }
    if (!r.consistent()) exit_code = kExitInvalid;
  });
}

}  // namespace charchive::cli
