// The store's job value types: a background federation job and one card it
// covers. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/card_record.h"

namespace charchive {

struct JobRecord {
  int64_t id = 0;
  std::string kind;      // push | pull | sync
  std::string platform;
  bool overwrite = false;
  std::string status;    // queued | running | done | failed | cancelled
  int64_t total = 0;
  int64_t done = 0;      // items finished, failed ones included
  int64_t failed = 0;
  std::string trigger;   // api | cli | auto | poll
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
