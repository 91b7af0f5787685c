// The card files of a POST /api/cards upload: every multipart/form-data
// `file` field, in the order sent. httplib has parsed the body; this decides
// what of it is a card upload, so the route stays thin and the fuzzer
// (fuzz/multipart_upload_fuzz.cc) can drive the same code.
//
// Thread safety: pure; safe from any thread.
#pragma once

#include <httplib.h>

#include <string_view>
#include <vector>

#include "util/result.h"

namespace charchive::api {

struct UploadedFile {
  std::string_view file_name;  // as the client named it; never used as a path
  std::string_view content;    // views into the request, which must outlive this
};

// kInvalidInput "bad_upload" when the request is not multipart/form-data or
// has no `file` field.
Result<std::vector<UploadedFile>> CardUploadFiles(const httplib::Request& req);

}  // namespace charchive::api
