// Invariants the fuzz targets assert on outputs, beyond "no crash": each
// returns false (and the target traps) when an output is malformed.
#pragma once

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tmc::fuzz {

// Stops the run with a message libFuzzer keeps in its log.
[[noreturn]] inline void fail(const char* what, std::string_view output) {
  std::fprintf(stderr, "invariant broken: %s\n--- output (first 2000 bytes) ---\n%.*s\n", what,
               static_cast<int>(std::min<size_t>(output.size(), 2000)), output.data());
  std::abort();
}

// The text parses as JSON (strictly: nlohmann without exceptions).
inline bool parses_as_json(std::string_view text) { return nlohmann::json::accept(text); }

// A small RFC 4180 reader: records end in CRLF (or LF), fields are
// separated by ',', a quoted field doubles its quotes. Returns false on a
// malformed file. An unquoted field must not contain a separator of any
// common locale (';', TAB, '|') nor a quote.
inline bool read_csv(std::string_view text, std::vector<std::vector<std::string>>& rows) {
  rows.clear();
  std::vector<std::string> row;
  std::string field;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) return false;  // unterminated quote
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') return false;
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
        char c = text[i++];
        if (c == '"' || c == ';' || c == '\t' || c == '|') return false;
        field += c;
      }
    }
    row.push_back(std::move(field));
    field.clear();
    if (i >= text.size()) {
      rows.push_back(std::move(row));
      return true;  // a last record without its line break
    }
    if (text[i] == ',') {
      ++i;
      if (i >= text.size()) return false;
      continue;
    }
    if (text[i] == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') return false;
      ++i;
    }
    ++i;  // '\n'
    rows.push_back(std::move(row));
    row.clear();
  }
  return true;
}

// Every row has `columns` cells and no cell can start a spreadsheet formula.
inline bool csv_is_safe(std::string_view text, size_t columns) {
  std::vector<std::vector<std::string>> rows;
  if (!read_csv(text, rows) || rows.empty()) return false;
  for (const auto& row : rows) {
    if (row.size() != columns) return false;
    for (const std::string& cell : row) {
      if (!cell.empty() && std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos) return false;
    }
  }
  return true;
}

// The HTML has no element and no attribute whose name starts with `marker`
// (the fuzz corpus puts markers such as `<zz` and `zz=` into model text, so
// a name from model text can only appear when escaping failed). Content of
// <script> and <style> is skipped; comments are skipped.
inline bool html_has_no_marker_markup(std::string_view html, std::string_view marker) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::string text = lower(html);
  std::string mark = lower(marker);
  size_t i = 0;
  while ((i = text.find('<', i)) != std::string::npos) {
    if (text.compare(i, 4, "<!--") == 0) {
      size_t end = text.find("-->", i + 4);
      if (end == std::string::npos) return false;
      i = end + 3;
      continue;
    }
    size_t start = i + 1;
    if (start < text.size() && (text[start] == '/' || text[start] == '!')) ++start;
    size_t end = start;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-' || text[end] == ':')) ++end;
    std::string name = text.substr(start, end - start);
    if (name.empty()) {  // a '<' that starts no tag (only possible in text when unescaped)
      return false;
    }
    if (name.compare(0, mark.size(), mark) == 0) return false;
    // Attributes up to '>', honouring quotes.
    size_t j = end;
    while (j < text.size() && text[j] != '>') {
      if (text[j] == '"' || text[j] == '\'') {
        size_t close = text.find(text[j], j + 1);
        if (close == std::string::npos) return false;
        j = close + 1;
        continue;
      }
      if (std::isspace(static_cast<unsigned char>(text[j]))) {
        size_t a = j + 1;
        while (a < text.size() && std::isspace(static_cast<unsigned char>(text[a]))) ++a;
        if (text.compare(a, mark.size(), mark) == 0) return false;
        j = a;
        continue;
      }
      ++j;
    }
    if (j >= text.size()) return false;
    i = j + 1;
    if (text[start - 1] != '/' && (name == "script" || name == "style")) {
      size_t close = text.find("</" + name, i);
      if (close == std::string::npos) return false;
      i = close;
    }
  }
  return true;
}

// Text a terminal can show safely: valid UTF-8, no C0 control other than
// TAB and LF, no DEL, no C1 control and no bidirectional override or
// isolate (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C).
inline bool terminal_clean(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) return false;
      ++i;
      continue;
    }
    size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (length == 0 || c > 0xF4 || i + length > text.size()) return false;
    uint32_t code = c & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)) ||
        (code >= 0xD800 && code <= 0xDFFF))
      return false;
    if (code >= 0x80 && code <= 0x9F) return false;
    if ((code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069) || code == 0x200E ||
        code == 0x200F || code == 0x061C)
      return false;
    i += length;
  }
  return true;
}

}  // namespace tmc::fuzz

namespace tmc::fuzz {

// A URI reference as RFC 3986 writes it: unreserved and structural
// characters as they are, everything else (space, '#', '?', '%', non-ASCII)
// percent-encoded.
inline bool uri_is_encoded(std::string_view uri) {
  for (size_t i = 0; i < uri.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(uri[i]);
    if (std::isalnum(c) || std::string_view("-._~/:@!$&'()*+,;=").find(static_cast<char>(c)) != std::string_view::npos) continue;
    if (c == '%' && i + 2 < uri.size() && std::isxdigit(static_cast<unsigned char>(uri[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace tmc::fuzz
