#include "store/fts_long_terms.h"

#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <set>

#include "store/errors.h"
#include "store/fts_relevance.h"

namespace charchive::fts_long_terms {
namespace {

size_t Utf8Chars(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

using TokenSink = std::function<void(std::string_view)>;

int OnToken(void* sink, int, const char* token, int size, int, int) {
  (*static_cast<TokenSink*>(sink))(std::string_view(token, static_cast<size_t>(size)));
  return SQLITE_OK;
}

// Runs cards_fts's tokenizer (migrations.cc: unicode61 remove_diacritics 2)
// over each text.
Status Tokenize(Database& db, const std::vector<std::string_view>& texts, TokenSink sink) {
  fts5_api* api = Fts5Api(db.handle());
  void* context = nullptr;
  fts5_tokenizer tokenizer{};
  Fts5Tokenizer* instance = nullptr;
  const char* args[] = {"remove_diacritics", "2"};
  if (api == nullptr || api->xFindTokenizer(api, "unicode61", &context, &tokenizer) != SQLITE_OK ||
      tokenizer.xCreate(context, args, 2, &instance) != SQLITE_OK) {
    return Status::Internal(store_error::kSqlite, "cannot run the full-text tokenizer");
  }
  int rc = SQLITE_OK;
  for (size_t i = 0; rc == SQLITE_OK && i < texts.size(); ++i) {
    if (texts[i].empty()) continue;
    rc = tokenizer.xTokenize(instance, &sink, FTS5_TOKENIZE_DOCUMENT, texts[i].data(),
                             static_cast<int>(texts[i].size()), &OnToken);
  }
  tokenizer.xDelete(instance);
  return rc == SQLITE_OK ? Status::Ok() : Status::Internal(store_error::kSqlite, "the full-text tokenizer failed");
}

}  // namespace

Status Add(Database& db, const std::vector<std::string_view>& texts) {
  std::set<std::string, std::less<>> terms;
  CHARCHIVE_RETURN_IF_ERROR(Tokenize(db, texts, [&terms](std::string_view token) {
    if (Utf8Chars(token) > kPrefixIndexChars) terms.emplace(token);
  }));
  if (terms.empty()) return Status::Ok();
  CHARCHIVE_ASSIGN_OR_RETURN(Statement insert, db.Prepare("INSERT OR IGNORE INTO fts_long_terms(term) VALUES (?)"));
  for (const auto& term : terms) {
    CHARCHIVE_RETURN_IF_ERROR(insert.Bind(1, term).Run());
    insert.Reset();
  }
  return Status::Ok();
}

std::optional<std::vector<std::string>> Expand(Database& db, std::string_view word) {
  std::vector<std::string> tokens;
  if (!Tokenize(db, {word}, [&tokens](std::string_view token) { tokens.emplace_back(token); }).ok() ||
      tokens.size() != 1 || Utf8Chars(tokens[0]) <= kPrefixIndexChars) {
    return std::nullopt;
  }
  // Every term that begins with the token sorts in [token, token with its last byte + 1).
  std::string end = tokens[0];
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  auto select = db.Prepare("SELECT term FROM fts_long_terms WHERE term >= ? AND term < ? LIMIT ?");
  if (!select.ok()) return std::nullopt;
  select->Bind(1, tokens[0]).Bind(2, end).Bind(3, static_cast<int64_t>(kMaxExpansion + 1));
  std::vector<std::string> terms;
  while (true) {
    auto row = select->Step();
    if (!row.ok()) return std::nullopt;
    if (!*row) break;
    terms.push_back(select->Text(0));
  }
  if (terms.size() > kMaxExpansion) return std::nullopt;
  if (terms.empty()) terms.push_back(tokens[0]);  // no card holds it: a phrase that matches nothing
  return terms;
}

}  // namespace charchive::fts_long_terms
