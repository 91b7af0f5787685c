#include "api/upload_parts.h"

#include "api/errors.h"

namespace charchive::api {

Result<std::vector<UploadedFile>> CardUploadFiles(const httplib::Request& req) {
  if (!req.is_multipart_form_data()) {
    return Status::Invalid(api_error::kBadUpload, "upload cards as multipart/form-data with one or more 'file' fields");
  }
  std::vector<UploadedFile> files;
  auto [begin, end] = req.files.equal_range("file");
  for (auto it = begin; it != end; ++it) files.push_back({it->second.filename, it->second.content});
  if (files.empty()) return Status::Invalid(api_error::kBadUpload, "no 'file' field in the upload");
  return files;
}

}  // namespace charchive::api
