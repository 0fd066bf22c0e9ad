// Escaping of model text for every output format. Renderers never write
// user text without one of these: a model is untrusted input, and its names
// and descriptions must show literally, never as markup or script.
#pragma once

#include <string>
#include <string_view>

namespace tmc::render {

// HTML text and attribute values: & < > " ' escaped.
std::string html_escape(std::string_view text);

// Inline Markdown (paragraphs and table cells): escapes the characters
// forges interpret inline (\ ` * _ [ ] ~ $ |), makes a leading heading,
// list or quote marker literal, turns newlines into spaces so a table row
// stays one row, and entity-escapes < > & so no raw HTML gets through.
std::string markdown_escape(std::string_view text);

// Text inside a Mermaid quoted label ("..."): quotes, angle brackets,
// backticks and other syntax characters become Mermaid entity codes
// (#quot; #lt; #gt; #35; ...), newlines become spaces. The result is always
// used between double quotes.
std::string mermaid_label(std::string_view text);

// A Mermaid node or subgraph id made from a model id: only [A-Za-z0-9_],
// prefixed so it can never be a Mermaid keyword (end, click, style, ...).
std::string mermaid_id(std::string_view prefix, std::string_view id);

// A DOT double-quoted string body: \ and " escaped, newlines as \n.
std::string dot_quote(std::string_view text);

// One CSV field per RFC 4180 (quoted when needed, quotes doubled), with
// spreadsheet formulas neutralized: a cell starting with = + - @ TAB or CR
// gets a leading apostrophe.
std::string csv_field(std::string_view text);

// Replaces control characters (other than tab and newline) with U+FFFD so
// terminals cannot be driven by escape sequences hidden in model text.
std::string terminal_safe(std::string_view text);

// terminal_safe() on one line: newlines and tabs become spaces, for text
// placed inside a drawing (attack trees, ASCII diagrams).
std::string one_line(std::string_view text);

// GitHub workflow commands (`::error file=...,line=...::message`): the
// message escapes % CR LF as %25 %0D %0A; a property value (file, title)
// also escapes : and , as %3A and %2C, so model text cannot end the
// command or add properties.
std::string github_message(std::string_view text);
std::string github_property(std::string_view text);

}  // namespace tmc::render
