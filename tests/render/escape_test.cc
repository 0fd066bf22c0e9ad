#include "render/escape.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace tmc::render {
namespace {

TEST(Escape, HtmlEscapesMarkupAndQuotes) {
  EXPECT_EQ(html_escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
}

TEST(Escape, MarkdownKeepsTableRowsIntactAndShowsTextLiterally) {
  EXPECT_EQ(markdown_escape("a|b\nc `code` *x* <img src=x>"),
            "a\\|b c \\`code\\` \\*x\\* &lt;img src=x&gt;");
  EXPECT_EQ(markdown_escape("# not a heading"), "\\# not a heading");
  EXPECT_EQ(markdown_escape("1. not a list"), "1\\. not a list");
  EXPECT_EQ(markdown_escape("row-level check"), "row-level check");
  EXPECT_EQ(markdown_escape("[link](javascript:x)"), "\\[link\\](javascript:x)");
}

TEST(Escape, MermaidLabelCannotCloseTheQuoteOrStartAComment) {
  EXPECT_EQ(mermaid_label("a\"] --> b %% click x"), "a#quot;#93; --#gt; b #37;#37; click x");
  EXPECT_EQ(mermaid_label("line\nbreak"), "line break");
}

TEST(Escape, MermaidIdsAreKeywordFreeAndDistinct) {
  EXPECT_EQ(mermaid_id("e", "end"), "e_end");
  EXPECT_NE(mermaid_id("e", "a-b"), mermaid_id("e", "a_b"));
  EXPECT_EQ(mermaid_id("f", "a.b"), "f_a_2eb");
}

TEST(Escape, DotQuote) { EXPECT_EQ(dot_quote("a\"b\\c\nd"), "a\\\"b\\\\c\\nd"); }

TEST(Escape, CsvQuotesAndNeutralizesFormulas) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(csv_field("+1"), "'+1");
  EXPECT_EQ(csv_field("-1"), "'-1");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("\tx"), "\"'\tx\"");
  EXPECT_EQ(csv_field("\rx"), "\"'\rx\"");
}

// Regression (issue 15): a spreadsheet that splits on ';' (or TAB, '|')
// saw `x;=1+1` as two cells, the second a formula.
TEST(Escape, CsvQuotesEveryLocaleSeparator) {
  EXPECT_EQ(csv_field("x;=1+1"), "\"x;'=1+1\"");
  EXPECT_EQ(csv_field("a\tb"), "\"a\tb\"");
  EXPECT_EQ(csv_field("a|b"), "\"a|b\"");
  EXPECT_EQ(csv_field("=1;2"), "\"'=1;2\"");
  EXPECT_EQ(csv_field("a|@SUM(1),-2"), "\"a|'@SUM(1),'-2\"");
  EXPECT_EQ(csv_field("1-2;3 - 4"), "\"1-2;3 - 4\"");
}

// Regression (issue 15): SARIF artifact URIs were not percent-encoded.
TEST(Escape, UriPathEscape) {
  EXPECT_EQ(uri_path_escape("models/my model#1%20?.tm.yaml"), "models/my%20model%231%2520%3F.tm.yaml");
  EXPECT_EQ(uri_path_escape("/abs/a-b_c.~x"), "/abs/a-b_c.~x");
  EXPECT_EQ(uri_path_escape("c:x"), "c%3Ax");  // a relative path never reads as a scheme
  EXPECT_EQ(uri_path_escape("caf\xC3\xA9\xff"), "caf%C3%A9%FF");
}

TEST(Escape, TerminalSafeShowsControlsVisibly) {
  EXPECT_EQ(terminal_safe("a\x1b[31mb"), "a\\x1b[31mb");
  EXPECT_EQ(terminal_safe("tab\tand\nnewline\r\n"), "tab\tand\nnewline\r\n");
  EXPECT_EQ(terminal_safe("cr\rover"), "cr\\x0dover");
  EXPECT_EQ(terminal_safe("del\x7f"), "del\\x7f");
  EXPECT_EQ(terminal_safe(std::string_view("nul\0x", 5)), "nul\\x00x");
}

// Regression (issue 15): C1 controls (the 8-bit CSI U+009B), bidi overrides
// (U+202E) and bytes that are not UTF-8 reached the terminal raw.
TEST(Escape, TerminalSafeShowsC1BidiAndInvalidUtf8) {
  EXPECT_EQ(terminal_safe("csi\xC2\x9B" "31m"), "csi\\u009b31m");
  EXPECT_EQ(terminal_safe("abc\xE2\x80\xAE" "def"), "abc\\u202edef");
  EXPECT_EQ(terminal_safe("\xE2\x81\xA6iso\xE2\x81\xA9"), "\\u2066iso\\u2069");
  EXPECT_EQ(terminal_safe("r\xff.yaml"), "r\\xff.yaml");
  EXPECT_EQ(terminal_safe("\xC0\x80"), "\\xc0\\x80");  // overlong NUL
  EXPECT_EQ(terminal_safe("caf\xC3\xA9 \xE2\x9C\x93"), "caf\xC3\xA9 \xE2\x9C\x93");
  std::string once = terminal_safe("\x1b\xE2\x80\xAE\xff");
  EXPECT_EQ(terminal_safe(once), once);
}

// Issue 15: control characters in names made invalid SVG XML and a
// Graphviz syntax error.
// Issue 22, item 7: colored output was printed raw, trusting every
// renderer to have escaped its model text. The colored variant lets only
// SGR color sequences through.
TEST(Escape, TerminalSafeColoredKeepsOnlyColorSequences) {
  EXPECT_EQ(terminal_safe_colored("\x1b[1;31merror:\x1b[0m text\x1b[m"), "\x1b[1;31merror:\x1b[0m text\x1b[m");
  EXPECT_EQ(terminal_safe_colored("\x1b]0;title\a \x1b]8;;http://x\x1b\\y \x1b[2J \x1b[1;31"),
            "\\x1b]0;title\\x07 \\x1b]8;;http://x\\x1b\\y \\x1b[2J \\x1b[1;31");
  EXPECT_EQ(terminal_safe_colored("csi \xc2\x9b" "31m rlo \xe2\x80\xae bad \xff"), "csi \\u009b31m rlo \\u202e bad \\xff");
  EXPECT_EQ(terminal_safe_colored("plain"), terminal_safe("plain"));
}

TEST(Escape, ControlCharactersNeverReachXmlDotOrMermaid) {
  const std::string nasty = std::string("a\x01" "b\x1b" "[31mc\x7f") + "\x0b" + "d";
  EXPECT_EQ(html_escape(nasty), "a\uFFFDb\uFFFD[31mc\uFFFD\uFFFDd");
  EXPECT_EQ(dot_quote(nasty), "a\uFFFDb\uFFFD[31mc\uFFFD\uFFFDd");
  EXPECT_EQ(mermaid_label(nasty), "a\uFFFDb\uFFFD#91;31mc\uFFFD\uFFFDd");
  EXPECT_EQ(html_escape("tab\tand\nline"), "tab\tand\nline");
  EXPECT_EQ(dot_quote("tab\there"), "tab here");
}

// Regression (issue 22, item 14): U+FFFE and U+FFFF (noncharacters, not
// allowed in XML) reached the SVG, the HTML and the workbook's XML raw; a
// NUL cut an xlsx cell, which xml_text() now keeps whole.
TEST(Escape, NoncharactersAndNulNeverReachXml) {
  const std::string nasty = std::string("a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c") + '\0' + "d\xEF\xBF\xBD\xEF\xBC\x81";
  const std::string replaced = "a\uFFFDb\uFFFDc\uFFFDd\uFFFD\uFF01";  // U+FFFD and U+FF01 stay
  EXPECT_EQ(html_escape(nasty), replaced);
  EXPECT_EQ(xml_text(nasty), replaced);
  EXPECT_EQ(dot_quote(nasty), replaced);
  EXPECT_EQ(mermaid_label(nasty), replaced);
  EXPECT_EQ(xml_text("<&>\t\r\n"), "<&>\t\r\n");  // markup is the XML writer's
  EXPECT_EQ(xml_text("\xEF\xBF"), "\xEF\xBF");     // a cut sequence is no noncharacter
}

// Regression (issue 22, item 14): the xlsx wrote = + - @ at the start of a
// cell as they were; it now calls the CSV's function.
TEST(Escape, FormulaSafeIsTheCsvNeutralization) {
  EXPECT_EQ(formula_safe("=1+1"), "'=1+1");
  EXPECT_EQ(formula_safe("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(formula_safe("x;=1"), "x;'=1");
  EXPECT_EQ(formula_safe("plain, text"), "plain, text");
  EXPECT_EQ(csv_field("x;=1"), "\"" + formula_safe("x;=1") + "\"");
}

// Regression (issue 22, item 16): @name, #12 and GH-12 in model text stayed
// live in every Markdown output, so a posted comment notified people and
// cross-referenced issues.
TEST(Escape, MarkdownNeutralizesMentionsAndReferences) {
  EXPECT_EQ(markdown_escape("ask @octocat"), "ask @&#8203;octocat");
  EXPECT_EQ(markdown_escape("@acme/security-team"), "@&#8203;acme/security-team");
  EXPECT_EQ(markdown_escape("(@a)"), "(@&#8203;a)");
  EXPECT_EQ(markdown_escape("see #12 and acme/app#3"), "see #&#8203;12 and acme/app#&#8203;3");
  EXPECT_EQ(markdown_escape("#12 first"), "\\#&#8203;12 first");
  EXPECT_EQ(markdown_escape("GH-7, gh-8"), "GH-&#8203;7, gh-&#8203;8");
  // Not mentions or references: left as they are.
  EXPECT_EQ(markdown_escape("ops@example.com"), "ops@example.com");
  EXPECT_EQ(markdown_escape("a @ b, # 1, C#, x-1, @"), "a @ b, # 1, C#, x-1, @");
}

TEST(Escape, MarkdownCodeShowsTextExactly) {
  EXPECT_EQ(markdown_code("a_b@c #1.yaml"), "`a_b@c #1.yaml`");
  EXPECT_EQ(markdown_code("x`y``z"), "```x`y``z```");
  EXPECT_EQ(markdown_code("`x"), "`` `x ``");
  EXPECT_EQ(markdown_code("two\nlines"), "`two lines`");
}

TEST(Escape, DotAmpersandCannotBecomeAGraphvizEntity) {
  EXPECT_EQ(dot_quote("&#1; & &amp;"), "&amp;#1; &amp; &amp;amp;");
}

// The JSON data block of a large HTML report: nothing in a string can end
// the <script> block or start a comment, and line separators are escaped.
TEST(Escape, JsonForScript) {
  std::string json = "[\"</script><!--x-->&amp;\",\"a\xE2\x80\xA8" "b\xE2\x80\xA9" "c\xE2\x80\xA6\"]";
  std::string safe = json_for_script(json);
  EXPECT_EQ(safe, "[\"\\u003c/script\\u003e\\u003c!--x--\\u003e\\u0026amp;\",\"a\\u2028b\\u2029c\xE2\x80\xA6\"]");
  EXPECT_EQ(safe.find('<'), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(safe), nlohmann::json::parse(json));
  std::string noncharacters = "[\"a\xEF\xBF\xBE" "b\xEF\xBF\xBF\"]";
  EXPECT_EQ(json_for_script(noncharacters), "[\"a\\ufffeb\\uffff\"]");
  EXPECT_EQ(nlohmann::json::parse(json_for_script(noncharacters)), nlohmann::json::parse(noncharacters));
}

}  // namespace
}  // namespace tmc::render
