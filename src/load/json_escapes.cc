#include "load/json_escapes.h"

#include <fmt/format.h>

#include <algorithm>

namespace tmc::load {

namespace {

// The value of the four hex digits at text[at], or -1.
long hex4(std::string_view text, size_t at) {
  if (at + 4 > text.size()) return -1;
  long value = 0;
  for (size_t i = at; i < at + 4; ++i) {
    char c = text[i];
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// The code point of the pair \uHIGH\uLOW at text[at] (at the backslash),
// or 0 when there is none.
uint32_t surrogate_pair(std::string_view text, size_t at) {
  // A pair is 12 bytes; a text that ends sooner holds none (and compare()
  // past the end would throw).
  if (at + 12 > text.size()) return 0;
  if (text.compare(at, 2, "\\u") != 0 || text.compare(at + 6, 2, "\\u") != 0) return 0;
  long high = hex4(text, at + 2), low = hex4(text, at + 8);
  if (high < 0xD800 || high > 0xDBFF || low < 0xDC00 || low > 0xDFFF) return 0;
  return 0x10000 + ((static_cast<uint32_t>(high) - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
}

}  // namespace

size_t SurrogatePairRewrite::file_offset(size_t offset) const {
  auto before = std::lower_bound(at.begin(), at.end(), offset, [](const At& a, size_t o) { return a.offset < o; });
  return offset + 2 * static_cast<size_t>(before - at.begin());
}

size_t SurrogatePairRewrite::column_shift(size_t line, size_t index) const {
  // Rewrites come in file order, so lines grow with indices: those on
  // `line` before `index` are a contiguous run.
  auto on_line = std::lower_bound(at.begin(), at.end(), line, [](const At& a, size_t l) { return a.line < l; });
  auto before = std::lower_bound(at.begin(), at.end(), index, [](const At& a, size_t i) { return a.index < i; });
  return before > on_line ? 2 * static_cast<size_t>(before - on_line) : 0;
}

std::optional<SurrogatePairRewrite> rewrite_surrogate_pairs(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (text[first] != '{' && text[first] != '[')) return std::nullopt;
  if (text.find("\\u") == std::string_view::npos) return std::nullopt;
  SurrogatePairRewrite out;
  size_t copied = 0;  // text[0, copied) is in out.text
  size_t index = 0, line = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) ++index;  // a character starts here
    if (c == '\n' || (c == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++line;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x85) ++line;
    if (c == 0xE2 && text.compare(i + 1, 2, "\x80\xA8") == 0) ++line;
    if (c == 0xE2 && text.compare(i + 1, 2, "\x80\xA9") == 0) ++line;
    if (c == '"') {
      in_string = !in_string;
      continue;
    }
    if (!in_string || c != '\\') continue;
    uint32_t code = surrogate_pair(text, i);
    if (code == 0) {
      if (i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) {
        ++i;  // an escaped quote or backslash neither ends the string nor escapes
        ++index;
      }
      continue;
    }
    out.text.append(text.substr(copied, i - copied));
    out.at.push_back({out.text.size(), index - 1 - 2 * out.at.size(), line});
    out.text += fmt::format("\\U{:08X}", code);
    index += 11;
    i += 11;
    copied = i + 1;
  }
  if (out.at.empty()) return std::nullopt;
  out.text.append(text.substr(copied));
  return out;
}

}  // namespace tmc::load
