#include "store/importer.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "card/limits.h"
#include "store/errors.h"
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

// A bounded queue between the parsing workers and the committing thread.
class PreparedQueue {
 public:
  explicit PreparedQueue(size_t capacity) : capacity_(capacity) {}
  void Push(PreparedImport item) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(item));
    not_empty_.notify_one();
  }
  // Waits for at least one item (or the end), then takes up to `max`.
  std::vector<PreparedImport> PopBatch(size_t max, size_t expected_remaining) {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !items_.empty() || expected_remaining == 0; });
    std::vector<PreparedImport> batch;
    while (!items_.empty() && batch.size() < max) {
      batch.push_back(std::move(items_.front()));
      items_.pop_front();
    }
    not_full_.notify_all();
    return batch;
  }

 private:
  size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<PreparedImport> items_;
};

}  // namespace

Result<ImportSummary> ImportPaths(Archive& archive, const std::vector<std::string>& paths,
                                  const ImportOptions& options) {
  CHARCHIVE_ASSIGN_OR_RETURN(std::vector<std::string> files, CollectFiles(paths));
  ImportSummary summary;
  summary.counts.total = files.size();
  size_t threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, std::max<size_t>(files.size(), 1));
  PreparedQueue queue(options.batch_size * 2);
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < files.size(); i = next++) {
        auto bytes = ReadFile(files[i], limits::kMaxCardFile);
        if (!bytes.ok()) {
          PreparedImport failed;
          failed.original_name = files[i];
          failed.status = bytes.status();
          queue.Push(std::move(failed));
          continue;
        }
        queue.Push(archive.PrepareImport(std::move(bytes).value(), files[i]));
      }
    });
  }
  size_t remaining = files.size();
  while (remaining > 0) {
    std::vector<PreparedImport> batch = queue.PopBatch(options.batch_size, remaining);
    remaining -= batch.size();
    for (ImportResult& r : archive.CommitImports(std::move(batch))) {
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
  for (auto& w : workers) w.join();
  return summary;
}

}  // namespace charchive
