#include "cli/table.h"

#include <algorithm>

#include "render/escape.h"

namespace tmc::cli {

namespace {
// Display width: UTF-8 continuation bytes take no column.
size_t width_of(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(),
                                           [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string cut(const std::string& text, size_t max_width) {
  if (max_width == 0 || width_of(text) <= max_width) return text;
  std::string out;
  size_t columns = 0;
  for (char c : text) {
    bool starts = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (starts && ++columns > max_width - 1) break;
    out += c;
  }
  return out + "\xE2\x80\xA6";
}
}  // namespace

std::string format_table(const std::vector<std::vector<std::string>>& rows, size_t max_width) {
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    std::vector<std::string> out;
    for (size_t c = 0; c < row.size(); ++c) {
      std::string cell = cut(render::terminal_safe(row[c]), max_width);
      std::replace(cell.begin(), cell.end(), '\n', ' ');
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], width_of(cell));
      out.push_back(std::move(cell));
    }
    cells.push_back(std::move(out));
  }
  std::string text;
  for (const auto& row : cells) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - width_of(row[c]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + "\n";
  }
  return text;
}

}  // namespace tmc::cli
