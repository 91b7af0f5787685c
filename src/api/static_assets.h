// StaticAssets: the built web UI (ui/dist), read into memory once when the
// server starts, with the brotli and gzip forms the UI build wrote beside each
// text file (NAME.br, NAME.gz: ui/scripts/precompress.mjs), so no request
// compresses anything. Serve() answers GET and HEAD for the files' paths:
// - with the form the client's Accept-Encoding allows (br, else gzip, else the
//   file as it is) and `Vary: Accept-Encoding` on a file that has one;
// - files under assets/ (the build names them by their content's hash) as
//   `Cache-Control: public, max-age=31536000, immutable`, every other file
//   (index.html) as `no-cache`, so the browser asks again each time;
// - every file with a strong ETag per form, and 304 Not Modified to an
//   If-None-Match that names it;
// - "/" is index.html. A change to the folder is seen at the next start.
//
// Thread safety: immutable once loaded; Serve() may run on any thread.
#pragma once

#include <httplib.h>

#include <map>
#include <memory>
#include <string>

#include "util/result.h"

namespace charchive::api {

class StaticAssets {
 public:
  // Reads every file under `dir` (at most 256 MiB in all). Fails with
  // "not_found" when `dir` is empty or has no index.html, "io_error" or "too_large".
  static Result<StaticAssets> Load(const std::string& dir);

  // Answers a request for one of the files; false (res untouched) if the
  // path names none.
  bool Serve(const httplib::Request& req, httplib::Response& res) const;

  size_t file_count() const { return files_.size(); }

 private:
  struct Form {
    std::shared_ptr<const std::string> bytes;  // shared with responses still being sent
    std::string etag;
  };
  struct File {
    std::string content_type;
    bool immutable = false;
    Form plain;
    std::map<std::string, Form> encoded;  // "br", "gzip"
  };

  std::map<std::string, File> files_;  // by URL path, "/index.html"
};

}  // namespace charchive::api
