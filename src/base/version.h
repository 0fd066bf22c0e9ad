// The version of tmc. It is set in one place, `project(tmc VERSION ...)` in
// CMakeLists.txt, and reaches the code only through this function.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace tmc {

const char* version();

// "1.2.3", "1.2" or "1" as {1, 2, 3} (missing parts are 0), with an
// optional ">=" and spaces in front; nullopt when it is not a version.
std::optional<std::array<int, 3>> parse_version(std::string_view text);

// True when this tmc is `wanted` or newer (nullopt when `wanted` is not a version).
std::optional<bool> version_at_least(std::string_view wanted);

}  // namespace tmc
