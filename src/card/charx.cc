#include "card/charx.h"

#include <zip.h>

#include <memory>

#include "card/errors.h"
#include "card/json_fields.h"
#include "card/json_parse.h"
#include "card/limits.h"
#include "card/zip_writer.h"

namespace charchive {
namespace {

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileCloser>;

Status ZipError(zip_error_t* error, const std::string& what) {
  return Status::Invalid(card_error::kBadZip, what + ": " + zip_error_strerror(error));
}

// Reads one entry, never more than `limit` bytes whatever its header claims.
Result<std::string> ReadEntry(zip_t* zip, zip_uint64_t index, const std::string& name, uint64_t limit) {
  ZipFilePtr file(zip_fopen_index(zip, index, 0));
  if (!file) return ZipError(zip_get_error(zip), "cannot open zip entry '" + name + "'");
  std::string out;
  char buf[64 * 1024];
  while (true) {
    zip_int64_t n = zip_fread(file.get(), buf, sizeof buf);
    if (n < 0) return ZipError(zip_file_get_error(file.get()), "cannot read zip entry '" + name + "'");
    if (n == 0) break;
    if (out.size() + static_cast<uint64_t>(n) > limit) {
      return Status::Invalid(card_error::kTooLarge, "zip entry '" + name + "' inflates past its limit");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace

std::string MainIconPath(const std::string& card_json) {
  // card.json is outside input: the bounded reader, then lenient reads (a
  // card that is unreadable here fails later, when it is parsed as a card).
  auto doc = ParseJsonText(card_json, JsonLimits{.max_bytes = limits::kMaxZipEntry});
  if (!doc.ok() || !doc->is_object() || !doc->contains("data")) return "";
  const Json& data = (*doc)["data"];
  if (!data.is_object() || !data.contains("assets") || !data["assets"].is_array()) return "";
  const Json* chosen = nullptr;
  for (const Json& a : data["assets"]) {
    const std::string* type = FindString(a, "type");
    if (!type || *type != "icon") continue;
    const std::string* name = FindString(a, "name");
    if (name && *name == "main") {
      chosen = &a;
      break;
    }
    if (!chosen) chosen = &a;
  }
  if (!chosen) return "";
  const std::string* uri_field = FindString(*chosen, "uri");
  std::string uri = uri_field ? *uri_field : "";
  for (std::string_view prefix : {"embeded://", "embedded://"}) {
    if (uri.rfind(prefix, 0) == 0) return uri.substr(prefix.size());
  }
  return "";
}

Result<CharxContents> ReadCharx(std::string_view zip_bytes) {
  constexpr size_t kEndOfCentralDirectorySize = 22;
  if (zip_bytes.size() < kEndOfCentralDirectorySize) {
    return Status::Invalid(card_error::kBadZip, "not a valid zip: too short");
  }
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(zip_bytes.data(), zip_bytes.size(), 0, &error);
  if (!source) {
    Status s = ZipError(&error, "cannot read zip");
    zip_error_fini(&error);
    return s;
  }
  ZipPtr zip(zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!zip) {
    zip_source_free(source);
    Status s = ZipError(&error, "not a valid zip");
    zip_error_fini(&error);
    return s;
  }
  zip_error_fini(&error);

  zip_int64_t count = zip_get_num_entries(zip.get(), 0);
  if (count < 0) return Status::Invalid(card_error::kBadZip, "cannot count zip entries");
  if (static_cast<uint64_t>(count) > limits::kMaxZipEntries) {
    return Status::Invalid(
        card_error::kTooManyEntries,
        "zip has " + std::to_string(count) + " entries, over the limit of " + std::to_string(limits::kMaxZipEntries));
  }
  // Check every name and declared size before inflating anything.
  uint64_t declared_total = 0;
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) {
      return Status::Invalid(card_error::kBadZip, "cannot read zip entry " + std::to_string(i));
    }
    std::string name = st.name;
    CHARCHIVE_RETURN_IF_ERROR(CheckZipEntryName(name));
    if ((st.valid & ZIP_STAT_SIZE) && st.size > limits::kMaxZipEntry) {
      return Status::Invalid(card_error::kTooLarge, "zip entry '" + name + "' is " + std::to_string(st.size) +
                                                        " bytes, over the 50 MiB limit");
    }
    declared_total += (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    if (declared_total > limits::kMaxZipTotal) {
      return Status::Invalid(card_error::kTooLarge, "zip contents exceed the 200 MiB limit");
    }
  }
  CharxContents contents;
  bool has_card = false;
  uint64_t total = 0;
  for (zip_int64_t i = 0; i < count; ++i) {
    std::string name = zip_get_name(zip.get(), static_cast<zip_uint64_t>(i), 0);
    if (name.back() == '/') continue;  // a folder entry
    uint64_t limit = std::min<uint64_t>(limits::kMaxZipEntry, limits::kMaxZipTotal - total);
    CHARCHIVE_ASSIGN_OR_RETURN(std::string bytes, ReadEntry(zip.get(), static_cast<zip_uint64_t>(i), name, limit));
    total += bytes.size();
    if (name == "card.json") {
      contents.card_json = std::move(bytes);
      has_card = true;
    } else {
      contents.files[name] = std::move(bytes);
    }
  }
  if (!has_card) return Status::Invalid(card_error::kNoCard, "CharX has no card.json at its root");
  std::string icon = MainIconPath(contents.card_json);
  auto it = icon.empty() ? contents.files.end() : contents.files.find(icon);
  if (it != contents.files.end()) contents.main_icon = it->second;
  return contents;
}

Result<std::string> WriteCharx(std::string_view card_json, const std::map<std::string, std::string>& files) {
  std::vector<ZipEntry> entries{{"card.json", card_json}};
  for (const auto& [name, bytes] : files) entries.push_back({name, bytes});
  return WriteZip(entries);
}

}  // namespace charchive
