#include "api/static_assets.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "api/guarded_server.h"
#include "util/file_io.h"
#include "util/sha256.h"

namespace charchive::api {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxTotalBytes = 256u << 20;

// The encodings the build writes, in the order they are preferred, with the
// file name suffix of each.
constexpr std::pair<const char*, const char*> kEncodings[] = {{"br", ".br"}, {"gzip", ".gz"}};

std::string ContentTypeOf(const fs::path& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".wasm", "application/wasm"},
  };
  auto it = kTypes.find(path.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string_view() : s.substr(b, e - b + 1);
}

bool SameWord(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Calls `each` with every comma-separated entry of a header value, trimmed.
template <typename F>
void ForEachEntry(std::string_view value, F each) {
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    std::string_view entry = Trim(value.substr(start, comma == std::string_view::npos ? value.npos : comma - start));
    if (!entry.empty()) each(entry);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

// Whether an Accept-Encoding value allows `coding` (RFC 9110 §12.5.3): named
// with a weight above 0, or not named and "*" allowed.
bool Accepts(std::string_view accept_encoding, std::string_view coding) {
  std::optional<bool> named, any;
  ForEachEntry(accept_encoding, [&](std::string_view entry) {
    size_t semi = entry.find(';');
    std::string_view name = Trim(entry.substr(0, semi));
    bool allowed = true;
    if (semi != std::string_view::npos) {
      std::string_view param = Trim(entry.substr(semi + 1));
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        std::string_view weight = Trim(param.substr(2));
        allowed = weight.find_first_not_of("0.") != std::string_view::npos;  // "0", "0.0", "0.000" refuse
      }
    }
    if (SameWord(name, coding)) named = allowed;
    if (name == "*") any = allowed;
  });
  return named.value_or(any.value_or(false));
}

// Whether If-None-Match names `etag` (weak comparison, RFC 9110 §13.1.2).
bool NoneMatchNames(std::string_view if_none_match, std::string_view etag) {
  bool found = false;
  ForEachEntry(if_none_match, [&](std::string_view entry) {
    if (entry.substr(0, 2) == "W/") entry.remove_prefix(2);
    if (entry == "*" || entry == etag) found = true;
  });
  return found;
}

}  // namespace

Result<StaticAssets> StaticAssets::Load(const std::string& dir) {
  std::error_code ec;
  if (dir.empty() || !fs::is_regular_file(fs::path(dir) / "index.html", ec)) {
    return Status::NotFound("not_found", "no index.html in " + dir);
  }
  StaticAssets assets;
  uint64_t total = 0;
  auto read = [&](const fs::path& path) -> Result<Form> {
    CHARCHIVE_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path.string(), kMaxTotalBytes - total));
    total += bytes.size();
    Form form;
    form.etag = "\"" + Sha256Hex(bytes).substr(0, 32) + "\"";
    form.bytes = std::make_shared<const std::string>(std::move(bytes));
    return form;
  };
  auto compressed_form = [](const fs::path& path) {
    std::string name = path.filename().string();
    for (const auto& [coding, suffix] : kEncodings) {
      std::string_view s = suffix;
      if (name.size() > s.size() && name.ends_with(s)) {
        return fs::exists(path.parent_path() / name.substr(0, name.size() - s.size()));
      }
    }
    return false;
  };
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const fs::path& path = it->path();
    if (!it->is_regular_file() || compressed_form(path)) continue;
    std::string relative = fs::relative(path, dir).generic_string();
    File file;
    file.content_type = ContentTypeOf(path);
    file.immutable = relative.starts_with("assets/");
    CHARCHIVE_ASSIGN_OR_RETURN(file.plain, read(path));
    for (const auto& [coding, suffix] : kEncodings) {
      fs::path packed = path.string() + suffix;
      if (!fs::is_regular_file(packed)) continue;
      CHARCHIVE_ASSIGN_OR_RETURN(Form form, read(packed));
      // The ETag names the form: a cache must not take one for another.
      form.etag.insert(form.etag.size() - 1, std::string("-") + coding);
      file.encoded.emplace(coding, std::move(form));
    }
    assets.files_.emplace("/" + relative, std::move(file));
  }
  if (ec) return Status::IoError("io_error", "cannot list " + dir + ": " + ec.message());
  return assets;
}

bool StaticAssets::Serve(const httplib::Request& req, httplib::Response& res) const {
  auto it = files_.find(req.path == "/" ? "/index.html" : req.path);
  if (it == files_.end()) return false;
  const File& file = it->second;
  const Form* form = &file.plain;
  std::string coding;
  const std::string& accept = GuardedServer::ClientAcceptEncoding();
  for (const auto& [name, suffix] : kEncodings) {
    auto packed = file.encoded.find(name);
    if (packed != file.encoded.end() && Accepts(accept, name)) {
      form = &packed->second;
      coding = name;
      break;
    }
  }
  res.set_header("Cache-Control", file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.set_header("ETag", form->etag);
  if (!file.encoded.empty()) res.set_header("Vary", "Accept-Encoding");
  if (NoneMatchNames(req.get_header_value("If-None-Match"), form->etag)) {
    res.status = 304;
    return true;
  }
  if (!coding.empty()) res.set_header("Content-Encoding", coding);
  // A provider with a length: httplib sends the bytes as they are (it
  // compresses only a body or a chunked provider).
  std::shared_ptr<const std::string> bytes = form->bytes;
  if (bytes->empty()) {
    res.set_content("", file.content_type);
    return true;
  }
  res.set_content_provider(bytes->size(), file.content_type,
                           [bytes](size_t offset, size_t length, httplib::DataSink& sink) {
                             return sink.write(bytes->data() + offset, length);
                           });
  return true;
}

}  // namespace charchive::api
