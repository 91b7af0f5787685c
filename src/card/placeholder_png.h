// A plain grey avatar, generated once, for cards that arrive without an image
// (JSON cards) and must be written as PNG. Thread-safe (initialized once).
#pragma once

#include <string>

namespace charchive {

const std::string& PlaceholderPng();

}  // namespace charchive
