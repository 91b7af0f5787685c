#include "store/importer.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "card/limits.h"
#include "store/errors.h"
#include "util/bounded_queue.h"
#include "util/file_io.h"

namespace charchive {
namespace fs = std::filesystem;

bool IsCardFileName(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".png" || ext == ".json" || ext == ".charx";
}

namespace {

Result<std::vector<std::string>> CollectFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return Status::IoError(store_error::kNotFound, "no such file or folder: " + path);
    if (!fs::is_directory(status)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file() && IsCardFileName(it->path().string())) found.push_back(it->path().string());
    }
    if (ec) return Status::IoError(store_error::kIoError, "cannot list " + path + ": " + ec.message());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace

// Three stages, each on its own threads: parsing and staging (one worker per
// core), syncing each batch's staged files (one thread: it mostly waits on the
// disk), and committing the synced batches (the calling thread). The sync of a
// batch runs while the batch before it commits.
Result<ImportSummary> ImportPaths(Archive& archive, const std::vector<std::string>& paths,
                                  const ImportOptions& options) {
  CHARCHIVE_ASSIGN_OR_RETURN(std::vector<std::string> files, CollectFiles(paths));
  ImportSummary summary;
  summary.counts.total = files.size();
  size_t threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, std::max<size_t>(files.size(), 1));
  BoundedQueue<PreparedImport> prepared(options.batch_size * 2);
  BoundedQueue<std::vector<PreparedImport>> synced(2);
  std::atomic<size_t> next{0}, workers_left{threads};
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < files.size(); i = next++) {
        auto bytes = ReadFile(files[i], limits::kMaxCardFile);
        if (!bytes.ok()) {
          PreparedImport failed;
          failed.original_name = files[i];
          failed.status = bytes.status();
          prepared.Push(std::move(failed));
          continue;
        }
        prepared.Push(archive.PrepareImport(std::move(bytes).value(), files[i]));
      }
      if (--workers_left == 0) prepared.Close();
    });
  }
  std::thread syncer([&] {
    for (auto batch = prepared.PopUpTo(options.batch_size); !batch.empty();
         batch = prepared.PopUpTo(options.batch_size)) {
      // A failure is left for CommitImports, which syncs what is not yet durable.
      (void)archive.SyncStaged(batch);
      synced.Push(std::move(batch));
    }
    synced.Close();
  });
  for (auto batches = synced.PopUpTo(1); !batches.empty(); batches = synced.PopUpTo(1)) {
    for (ImportResult& r : archive.CommitImports(std::move(batches.front()))) {
      ImportProgress& c = summary.counts;
      ++c.done;
      if (!r.status.ok()) {
        ++c.failed;
      } else if (r.duplicate_of) {
        ++c.duplicates;
      } else {
        ++c.imported;
      }
      summary.results.push_back(std::move(r));
    }
    if (options.on_progress) options.on_progress(summary.counts);
  }
  syncer.join();
  for (auto& w : workers) w.join();
  return summary;
}

}  // namespace charchive
