#include "render/escape.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "base/utf8.h"

namespace tmc::render {

namespace {
// The length of the character at text[i] when it has no place in any
// output format, 0 otherwise: a C0 control other than tab, newline and
// carriage return, DEL, and the noncharacters U+FFFE and U+FFFF (none of
// them is allowed in XML 1.0, so one of them makes an SVG or an xlsx part
// unreadable).
size_t stray_length(std::string_view text, size_t i) {
  unsigned char u = static_cast<unsigned char>(text[i]);
  if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7f) return 1;
  if (u == 0xEF && i + 2 < text.size() && text[i + 1] == '\xBF' && (text[i + 2] == '\xBE' || text[i + 2] == '\xBF')) return 3;
  return 0;
}
constexpr const char* kReplacement = "\xEF\xBF\xBD";  // U+FFFD
}  // namespace

std::string xml_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (size_t stray = stray_length(text, i)) {
      out += kReplacement;
      i += stray - 1;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (size_t stray = stray_length(text, i)) {
          out += kReplacement;
          i += stray - 1;
        } else {
          out += c;
        }
    }
  }
  return out;
}

namespace {
bool ascii_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
}  // namespace

std::string markdown_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    // GitHub turns @name into a mention (a notification) and #12, GH-12 and
    // owner/repo#12 into references (an event on that issue), escaped or
    // not: a zero-width space after the @, # or GH- keeps them text, as
    // Dependabot and Renovate do.
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    bool mention = c == '@' && ascii_alnum(next) && (i == 0 || !ascii_alnum(text[i - 1]));
    bool reference = (c == '#' && std::isdigit(static_cast<unsigned char>(next))) ||
                     (c == '-' && std::isdigit(static_cast<unsigned char>(next)) && i >= 2 &&
                      (text[i - 2] == 'G' || text[i - 2] == 'g') && (text[i - 1] == 'H' || text[i - 1] == 'h'));
    if (mention || reference) {
      out += c;
      out += "&#8203;";
      continue;
    }
    switch (c) {
      case '\r': break;
      case '\n': out += ' '; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '|': out += "\\|"; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '~': case '$':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  // Block markers only matter at the start: headings, lists, quotes.
  size_t digits = 0;
  while (digits < out.size() && std::isdigit(static_cast<unsigned char>(out[digits]))) ++digits;
  if (digits > 0 && digits < out.size() && (out[digits] == '.' || out[digits] == ')')) {
    out.insert(digits, "\\");
  } else if (!out.empty() && (out[0] == '#' || out[0] == '+' || out[0] == '-' || out[0] == '=' ||
                              out[0] == '!')) {
    out.insert(0, "\\");
  }
  return out;
}

std::string markdown_code(std::string_view text) {
  std::string body;
  body.reserve(text.size());
  size_t longest = 0, run = 0;
  for (char c : text) {
    if (c == '\r') continue;
    body += c == '\n' ? ' ' : c;
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  // A span that starts or ends with a backtick, or with spaces at both
  // ends, gets one space inside each side (CommonMark removes them).
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`' || (body.front() == ' ' && body.back() == ' '));
  std::string fence(longest + 1, '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string mermaid_label(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '"': out += "#quot;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '&': out += "#amp;"; break;
      case '#': out += "#35;"; break;
      case '`': out += "#96;"; break;
      case ';': out += "#59;"; break;
      case '%': out += "#37;"; break;
      case '|': out += "#124;"; break;
      case '[': out += "#91;"; break;
      case ']': out += "#93;"; break;
      case '{': out += "#123;"; break;
      case '}': out += "#125;"; break;
      case '(': out += "#40;"; break;
      case ')': out += "#41;"; break;
      case '\\': out += "#92;"; break;
      case '\n': case '\r': case '\t': out += ' '; break;
      default:
        if (size_t stray = stray_length(text, i)) {
          out += kReplacement;
          i += stray - 1;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string mermaid_id(std::string_view prefix, std::string_view id) {
  std::string out(prefix);
  out += '_';
  for (char c : id) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out += c;
    } else {
      // Keep ids distinct: a-b and a_b must not collide.
      static const char kHex[] = "0123456789abcdef";
      out += '_';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string json_for_script(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' && (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else if (c == '\xEF' && i + 2 < json.size() && json[i + 1] == '\xBF' && (json[i + 2] == '\xBE' || json[i + 2] == '\xBF')) {
      out += json[i + 2] == '\xBE' ? "\\ufffe" : "\\uffff";  // noncharacters: a parse error in HTML
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string dot_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      case '\t': out += ' '; break;
      // Graphviz reads &...; as an entity and copies it into the SVG, where
      // &#1; would be invalid XML: a literal & is always &amp;.
      case '&': out += "&amp;"; break;
      default:
        if (size_t stray = stray_length(text, i)) {
          out += kReplacement;
          i += stray - 1;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string formula_safe(std::string_view text) {
  std::string cell(text);
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r')) {
    cell.insert(0, "'");
  }
  // A spreadsheet of another locale splits the row on its own separator,
  // quotes or not, so a piece after a separator inside the cell must not
  // start a formula either.
  for (size_t i = 1; i < cell.size(); ++i) {
    if (std::string_view(",;\t|").find(cell[i - 1]) != std::string_view::npos &&
        std::string_view("=+-@").find(cell[i]) != std::string_view::npos) {
      cell.insert(i, "'");
      ++i;
    }
  }
  return cell;
}

std::string csv_field(std::string_view text) {
  std::string cell = formula_safe(text);
  // Quoted when it holds a quote, a line break or the field separator of
  // any common locale (',' ';' TAB '|'): a spreadsheet that splits on ';'
  // must see one cell, never a bare "=..." after a separator.
  bool needs_quotes = cell.find_first_of(",;\t|\"\r\n") != std::string::npos;
  if (!needs_quotes) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string uri_path_escape(std::string_view path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

namespace {

// The length of the SGR sequence (ESC [ digits-and-semicolons m) at
// text[i], or 0.
size_t sgr_length(std::string_view text, size_t i) {
  if (text.compare(i, 2, "\x1b[") != 0) return 0;
  for (size_t k = i + 2; k < text.size(); ++k) {
    if (text[k] == 'm') return k + 1 - i;
    if (!(std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == ';')) return 0;
  }
  return 0;
}

std::string escape_for_terminal(std::string_view text, bool keep_sgr) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (keep_sgr && text[i] == '\x1b') {
      if (size_t sgr = sgr_length(text, i)) {
        out.append(text.substr(i, sgr));
        i += sgr;
        continue;
      }
    }
    uint32_t code = 0;
    size_t length = utf8_sequence(text, i, code);
    if (length == 0) {  // not UTF-8: the byte, visibly
      unsigned char u = static_cast<unsigned char>(text[i]);
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
      ++i;
      continue;
    }
    bool kept_control = code == '\t' || code == '\n' || (code == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
    if ((code < 0x20 && !kept_control) || code == 0x7F) {
      out += "\\x";
      out += kHex[code >> 4];
      out += kHex[code & 15];
    } else if ((code >= 0x80 && code <= 0x9F) || is_bidi_control(code)) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(code >> shift) & 15];
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

}  // namespace

std::string terminal_safe(std::string_view text) { return escape_for_terminal(text, false); }

std::string terminal_safe_colored(std::string_view text) { return escape_for_terminal(text, true); }

std::string one_line(std::string_view text) {
  std::string out = terminal_safe(text);
  for (char& c : out) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  return out;
}

std::string github_message(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string github_property(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : github_message(text)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace tmc::render
