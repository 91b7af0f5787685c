// The store's job value types: a background federation job and one card it
// covers. Plain data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/card_record.h"

namespace charchive {

// What a job does to its cards. Its names ("push", "pull", "sync") are what the
// database keeps and the API takes and shows; they are converted only there.
enum class JobKind { kPush, kPull, kSync };
inline constexpr std::array<JobKind, 3> kJobKinds = {JobKind::kPush, JobKind::kPull, JobKind::kSync};

constexpr const char* JobKindName(JobKind kind) {
  switch (kind) {
    case JobKind::kPush:
      return "push";
    case JobKind::kPull:
      return "pull";
    case JobKind::kSync:
      return "sync";
  }
  return "push";
}

// The kind a name stands for; nullopt for any other text.
inline std::optional<JobKind> ParseJobKind(std::string_view name) {
  for (JobKind kind : kJobKinds) {
    if (name == JobKindName(kind)) return kind;
  }
  return std::nullopt;
}

struct JobRecord {
  int64_t id = 0;
  JobKind kind = JobKind::kPush;
  std::string platform;
  bool overwrite = false;
  std::string status;  // queued | running | done | failed | cancelled
  int64_t total = 0;
  int64_t done = 0;  // items finished, failed ones included
  int64_t failed = 0;
  std::string trigger;  // api | cli | auto | poll
  std::string message;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> finished_at;
};

struct JobItem {
  int64_t seq = 0;
  CardId card_id = 0;
  std::string state;  // pending | running | done | failed
  int64_t attempts = 0;
  std::string message;
};

}  // namespace charchive
