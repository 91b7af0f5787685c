// Turns what a user types in the search box into an FTS5 MATCH expression.
// Plain words become prefix searches that must all match ("sera heal" ->
// "sera"* "heal"*); text using FTS5 syntax (quotes, AND/OR/NOT, *, ^, column
// filters, parentheses) is passed through, and SQLite reports its errors.
// Pure function.
#pragma once

#include <string>

namespace charchive {

std::string ToFtsQuery(const std::string& user_query);

}  // namespace charchive
