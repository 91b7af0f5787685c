#include "watch/watched_file_importer.h"

#include <sys/stat.h>

#include "card/card_file.h"
#include "card/limits.h"
#include "store/card_row.h"
#include "store/errors.h"
#include "store/importer.h"
#include "store/watch_repository.h"
#include "util/errors.h"
#include "util/file_io.h"

namespace charchive::watch {
namespace {

struct Seen {
  std::string path;
  int64_t size = 0;
  int64_t mtime_ns = 0;
};

std::optional<Seen> StatFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return Seen{path, static_cast<int64_t>(st.st_size),
              static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

WatchedFile RowFor(const Seen& seen, std::optional<CardId> card_id) {
  return WatchedFile{.path = seen.path, .card_id = card_id, .size = seen.size, .mtime_ns = seen.mtime_ns};
}

// A bad card is refused for good (until the file changes); a file that
// vanished meanwhile is nothing; anything else may pass (a full disk, a
// permission fixed later).
enum class Verdict { kRefuse, kGone, kFail };
Verdict Judge(const Status& status) {
  if (status.code() == StatusCode::kInvalidInput) return Verdict::kRefuse;
  if (status.kind() == util_error::kNotFound) return Verdict::kGone;
  return Verdict::kFail;
}

// Adds the arrival and, unless it failed, the file's row.
void Record(const Seen& seen, std::optional<CardId> previous_card, Arrival arrival, std::vector<Arrival>& arrivals,
            std::vector<WatchedFile>& rows) {
  if (arrival.action == ArrivalAction::kRefused) {
    WatchedFile row = RowFor(seen, previous_card);
    row.status = WatchFileStatus::kRefused;
    row.message = arrival.problem.message();
    rows.push_back(std::move(row));
  } else if (arrival.action != ArrivalAction::kFailed) {
    rows.push_back(RowFor(seen, arrival.card_id));
  }
  arrivals.push_back(std::move(arrival));
}

void RecordProblem(const Seen& seen, std::optional<CardId> previous_card, const Status& problem,
                   std::vector<Arrival>& arrivals, std::vector<WatchedFile>& rows) {
  Verdict verdict = Judge(problem);
  if (verdict == Verdict::kGone) return;
  Record(seen, previous_card,
         Arrival{.path = seen.path,
                 .action = verdict == Verdict::kRefuse ? ArrivalAction::kRefused : ArrivalAction::kFailed,
                 .card_id = previous_card,
                 .problem = problem},
         arrivals, rows);
}

}  // namespace

const char* ArrivalActionName(ArrivalAction action) {
  switch (action) {
    case ArrivalAction::kImported:
      return "imported";
    case ArrivalAction::kMatched:
      return "matched";
    case ArrivalAction::kUpdated:
      return "updated";
    case ArrivalAction::kRefused:
      return "refused";
    case ArrivalAction::kFailed:
      return "failed";
  }
  return "failed";
}

Result<std::vector<Arrival>> WatchedFileImporter::Process(const std::vector<std::string>& paths) {
  std::vector<Seen> seen;
  std::vector<std::string> present;
  for (const auto& path : paths) {
    if (auto s = StatFile(path)) {
      present.push_back(path);
      seen.push_back(std::move(*s));
    }
  }
  std::map<std::string, WatchedFile> rows;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(rows, watch_repository::GetFiles(*db, present));
  }
  std::vector<Arrival> arrivals;
  std::vector<WatchedFile> updated_rows;
  std::vector<std::string> new_paths;
  std::map<std::string, const Seen*> seen_by_path;
  for (const Seen& s : seen) {
    auto row = rows.find(s.path);
    if (row != rows.end() && row->second.size == s.size && row->second.mtime_ns == s.mtime_ns) continue;
    if (row == rows.end() || !row->second.card_id) {
      new_paths.push_back(s.path);
      seen_by_path[s.path] = &s;
      continue;
    }
    // A file that made a card: its new content is the card's next version.
    const CardId card_id = *row->second.card_id;
    auto bytes = ReadFile(s.path, limits::kMaxCardFile);
    if (!bytes.ok()) {
      RecordProblem(s, card_id, bytes.status(), arrivals, updated_rows);
      continue;
    }
    auto loaded = LoadOwnedCardBytes(std::move(bytes).value());
    if (!loaded.ok()) {
      RecordProblem(s, card_id, loaded.status(), arrivals, updated_rows);
      continue;
    }
    auto current = archive_.Get(card_id);
    if (!current.ok() && current.status().kind() == store_error::kNotFound) {  // deleted meanwhile
      new_paths.push_back(s.path);
      seen_by_path[s.path] = &s;
      continue;
    }
    if (!current.ok()) return current.status();
    if (current->content_hash == DeriveCardRow(loaded->card).content_hash) {
      updated_rows.push_back(RowFor(s, card_id));  // touched, or written back unchanged
      continue;
    }
    auto replaced = archive_.ReplaceContent(card_id, loaded->card, "pull");
    if (!replaced.ok()) {
      RecordProblem(s, card_id, replaced.status(), arrivals, updated_rows);
      continue;
    }
    Record(s, card_id, Arrival{.path = s.path, .action = ArrivalAction::kUpdated, .card_id = card_id}, arrivals,
           updated_rows);
  }
  if (!new_paths.empty()) {
    CHARCHIVE_ASSIGN_OR_RETURN(ImportSummary summary, ImportPaths(archive_, new_paths, ImportOptions{}));
    for (ImportResult& r : summary.results) {
      const Seen& s = *seen_by_path.at(r.file);
      auto row = rows.find(s.path);
      std::optional<CardId> previous = row != rows.end() ? row->second.card_id : std::nullopt;
      if (!r.status.ok()) {
        RecordProblem(s, previous, r.status, arrivals, updated_rows);
      } else if (r.duplicate_of) {
        Record(s, previous, Arrival{.path = s.path, .action = ArrivalAction::kMatched, .card_id = r.duplicate_of},
               arrivals, updated_rows);
      } else {
        Record(s, previous, Arrival{.path = s.path, .action = ArrivalAction::kImported, .card_id = r.id}, arrivals,
               updated_rows);
      }
    }
  }
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive_.pool().Acquire());
  CHARCHIVE_RETURN_IF_ERROR(watch_repository::PutFiles(*db, updated_rows));
  return arrivals;
}

}  // namespace charchive::watch
