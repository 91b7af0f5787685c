// Turns what a user types in the search box into an FTS5 MATCH expression.
// Plain words become prefix searches that must all match ("sera heal" ->
// "sera"* AND "heal"*); a word `expand` names the terms of becomes an OR of them
// ("guardian" -> ("guardian" OR "guardians"), store/fts_long_terms.h). Text
// using FTS5 syntax (quotes, AND/OR/NOT, *, ^, column filters, parentheses) is
// passed through, and SQLite reports its errors.
// Pure function (given a pure `expand`).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace charchive {

using TermExpander = std::function<std::optional<std::vector<std::string>>(const std::string& word)>;

std::string ToFtsQuery(const std::string& user_query, const TermExpander& expand = nullptr);

}  // namespace charchive
