// Checks on the raw bytes of a model file, made before the YAML parser
// sees them, so that each problem gets its own clear diagnostic.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/source.h"

namespace tmc::load {

// The location of the first byte that is not valid UTF-8 (overlong forms,
// surrogates and code points past U+10FFFF are invalid), or nullopt.
std::optional<SourceLocation> find_invalid_utf8(uint32_t file, std::string_view text);

// The location of the first tab in the indentation of a block-style line
// (outside block scalars), or nullopt. Files written in flow style (JSON)
// may indent with tabs and are not checked.
std::optional<SourceLocation> find_tab_indentation(uint32_t file, std::string_view text);

}  // namespace tmc::load
