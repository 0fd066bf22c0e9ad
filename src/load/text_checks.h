// Checks on the raw bytes of a model file, made before the YAML parser
// sees them, so that each problem gets its own clear diagnostic.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "base/source.h"

namespace tmc::load {

// Where byte `offset` of `text` is: its line, and its column counted in
// characters (as libyaml's marks count them), with length 1. An offset
// past the end is the end.
SourceLocation location_of_offset(uint32_t file, std::string_view text, size_t offset);

// True when the eight bytes of `text` from `at` are all ASCII (so they are
// eight characters). REQUIRES: at + 8 <= text.size().
inline bool eight_ascii_bytes(std::string_view text, size_t at) {
  uint64_t eight;
  std::memcpy(&eight, text.data() + at, 8);
  return (eight & 0x8080808080808080ull) == 0;
}

// The location of the first byte that is not valid UTF-8 (overlong forms,
// surrogates and code points past U+10FFFF are invalid), or nullopt.
std::optional<SourceLocation> find_invalid_utf8(uint32_t file, std::string_view text);

// The location of the first tab in the indentation of a block-style line
// (outside block scalars), or nullopt. Files written in flow style (JSON)
// may indent with tabs and are not checked.
std::optional<SourceLocation> find_tab_indentation(uint32_t file, std::string_view text);

}  // namespace tmc::load
