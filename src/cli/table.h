// Plain-text tables for the terminal: columns padded by display width,
// model text made terminal-safe.
#pragma once

#include <string>
#include <vector>

namespace tmc::cli {

// Renders rows (the first is the header) as aligned columns separated by
// two spaces; the last column is not padded. Cells longer than `max_width`
// (0 = no limit) are cut with an ellipsis.
std::string format_table(const std::vector<std::vector<std::string>>& rows, size_t max_width = 0);

}  // namespace tmc::cli
