// Escaping of model text for every output format. Renderers never write
// user text without one of these: a model is untrusted input, and its names
// and descriptions must show literally, never as markup or script.
#pragma once

#include <string>
#include <string_view>

namespace tmc::render {

// HTML (and SVG/XML) text and attribute values: & < > " ' escaped; what
// XML 1.0 does not allow (C0 control characters other than tab and line
// breaks, NUL included, and the noncharacters U+FFFE and U+FFFF) and DEL
// become U+FFFD, so the text is kept whole and the document stays XML.
std::string html_escape(std::string_view text);

// The same replacement of what XML does not allow, with no markup escaped:
// for text an XML writer (libxlsxwriter) escapes itself.
std::string xml_text(std::string_view text);

// Inline Markdown (paragraphs and table cells): escapes the characters
// forges interpret inline (\ ` * _ [ ] ~ $ |), makes a leading heading,
// list or quote marker literal, turns newlines into spaces so a table row
// stays one row, and entity-escapes < > & so no raw HTML gets through.
// Mentions and references (@name, @org/team, #12, owner/repo#12, GH-12)
// get a zero-width space (&#8203;) after the @, # or GH-, so a comment or
// an issue never notifies whoever the model names (GitHub ignores a
// backslash there). Every Markdown renderer writes model text through it.
std::string markdown_escape(std::string_view text);

// Model text as an inline code span: shown exactly (a code span shows
// backslashes and entities as written, and no forge finds mentions in it),
// so nothing is escaped; the fence is longer than any backtick run inside
// and newlines become spaces. Not for table cells ('|' ends the cell).
std::string markdown_code(std::string_view text);

// Text inside a Mermaid quoted label ("..."): quotes, angle brackets,
// backticks and other syntax characters become Mermaid entity codes
// (#quot; #lt; #gt; #35; ...), newlines become spaces, other control
// characters and U+FFFE, U+FFFF U+FFFD. The result is always used between double quotes.
std::string mermaid_label(std::string_view text);

// A Mermaid node or subgraph id made from a model id: only [A-Za-z0-9_],
// prefixed so it can never be a Mermaid keyword (end, click, style, ...).
std::string mermaid_id(std::string_view prefix, std::string_view id);

// JSON text made safe inside an HTML <script type="application/json">
// block: < > & become \u003c \u003e \u0026 (so no "</script>" or "<!--"
// can end or change the block), U+2028 U+2029 become \u2028 \u2029 and
// the noncharacters U+FFFE U+FFFF \ufffe \uffff (no page holds them raw).
// `json` must be valid JSON; those characters only occur inside its
// strings, so the result parses to the same value.
std::string json_for_script(std::string_view json);

// A DOT double-quoted string body: \ and " escaped, newlines as \n, & as
// &amp; (Graphviz reads entities), other control characters and U+FFFE,
// U+FFFF U+FFFD (Graphviz copies them into the SVG).
std::string dot_quote(std::string_view text);

// Text a spreadsheet shows as text, never as a formula: a cell starting
// with = + - @ TAB or CR gets a leading apostrophe, and so does = + - @
// right after a separator (, ; TAB |) inside the cell (a spreadsheet
// splitting on ';' sees that piece as a cell of its own, quoted or not).
// Every spreadsheet output (CSV, xlsx) writes model text through it.
std::string formula_safe(std::string_view text);

// One CSV field per RFC 4180 (quoted when it holds a quote, a line break or
// a separator of any common locale: , ; TAB |; quotes doubled), its text
// formula_safe().
std::string csv_field(std::string_view text);

// A file path as an RFC 3986 URI path: every byte but the unreserved
// characters (A-Z a-z 0-9 - . _ ~) and '/' percent-encoded (%23 for '#',
// %25 for '%', %20 for a space, UTF-8 bytes one by one), so '#', '?' and
// '%' in a file name stay part of the path.
std::string uri_path_escape(std::string_view path);

// Text a terminal shows literally: control characters become visible
// escapes instead of driving the terminal. C0 controls (but tab, newline
// and a CR right before a newline) and DEL become `\x1b`, C1 controls
// (U+0080..U+009F, e.g. the 8-bit CSI U+009B) and the bidirectional
// controls (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069, which
// reorder what is shown, "Trojan source") become `\u009b` / `\u202e`, and
// bytes that are not UTF-8 become `\xff`. Everything else, backslashes
// included, is kept, so escaping twice changes nothing and JSON text stays
// valid JSON with the same meaning. With terminal_safe_colored() below,
// the escaping of every byte tmc prints on stdout or stderr
// (cli::print_out, cli::print_err).
std::string terminal_safe(std::string_view text);

// terminal_safe() for text tmc colored itself: its SGR sequences (ESC [,
// digits and ';', then m) are kept as they are; every other control, C1 and
// bidi character and every non-UTF-8 byte is escaped all the same. So a
// model string a renderer failed to escape could at most change a color,
// never move the cursor, set a title, open a link or clear the screen.
std::string terminal_safe_colored(std::string_view text);

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
