#include "load/text_checks.h"

#include <algorithm>

namespace tmc::load {

SourceLocation location_of_offset(uint32_t file, std::string_view text, size_t offset) {
  const size_t at = std::min(offset, text.size());
  uint32_t line = 1;
  size_t line_start = 0;
  for (size_t i = text.find('\n'); i < at; i = text.find('\n', i + 1)) {
    ++line;
    line_start = i + 1;
  }
  uint32_t column = 1;
  for (size_t i = line_start; i < at; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;  // not a continuation byte
  }
  return SourceLocation{file, line, column, 1};
}

std::optional<SourceLocation> find_invalid_utf8(uint32_t file, std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    // Runs of ASCII, the most of a model, eight bytes at a time.
    while (i + 8 <= n && eight_ascii_bytes(text, i)) i += 8;
    if (i >= n) break;
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      length = 1;
      code = c;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2;
      code = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code = c & 0x07u;
    } else {
      return location_of_offset(file, text, i);
    }
    if (i + length > n) return location_of_offset(file, text, i);
    for (size_t k = 1; k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return location_of_offset(file, text, i);
      code = (code << 6) | (next & 0x3Fu);
    }
    static const uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return location_of_offset(file, text, i);
    }
    i += length;
  }
  return std::nullopt;
}

namespace {

// True when the line (comment stripped) ends with a block scalar header:
// `|`, `>`, optionally followed by chomping/indentation indicators.
bool opens_block_scalar(std::string_view line) {
  size_t hash = std::string_view::npos;
  bool in_single = false, in_double = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\'' && !in_double) in_single = !in_single;
    if (c == '"' && !in_single) in_double = !in_double;
    if (c == '#' && !in_single && !in_double && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      hash = i;
      break;
    }
  }
  std::string_view content = line.substr(0, hash);
  while (!content.empty() && (content.back() == ' ' || content.back() == '\t' || content.back() == '\r')) {
    content.remove_suffix(1);
  }
  while (!content.empty() && (content.back() == '+' || content.back() == '-' ||
                              (content.back() >= '0' && content.back() <= '9'))) {
    content.remove_suffix(1);
  }
  if (content.empty() || (content.back() != '|' && content.back() != '>')) return false;
  content.remove_suffix(1);
  return content.empty() || content.back() == ' ' || content.back() == ':' || content.back() == '-';
}

}  // namespace

std::optional<SourceLocation> find_tab_indentation(uint32_t file, std::string_view text) {
  if (text.find('\t') == std::string_view::npos) return std::nullopt;  // most files: nothing to look for
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (text[first] == '{' || text[first] == '[')) {
    return std::nullopt;  // flow style (JSON): tabs are ordinary whitespace
  }
  uint32_t line_number = 0;
  long block_indent = -1;  // indentation of the line that opened a block scalar
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    ++line_number;
    size_t indent = 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    bool blank = indent == line.size() || line[indent] == '\r';
    size_t spaces = line.find_first_not_of(' ');
    if (spaces == std::string_view::npos) spaces = line.size();
    if (block_indent >= 0 && (blank || static_cast<long>(spaces) > block_indent)) {
      // Inside a block scalar: its content is text, not structure.
    } else {
      block_indent = -1;
      if (!blank) {
        size_t tab = line.substr(0, indent).find('\t');
        if (tab != std::string_view::npos) {
          return SourceLocation{file, line_number, static_cast<uint32_t>(tab + 1), 1};
        }
        if (line.find_first_of("|>") != std::string_view::npos && opens_block_scalar(line)) block_indent = static_cast<long>(spaces);
      }
    }
    if (end == text.size()) break;
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace tmc::load
