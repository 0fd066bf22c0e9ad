// The pre-parse text checks: the UTF-8 check skips ASCII eight bytes at a
// time and finds the line and column only when it fails; the tab check
// looks at lines only when the file holds a tab. Both must answer exactly
// as the plain byte-by-byte scans they replaced, kept here as references.
#include "load/text_checks.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace tmc::load {
namespace {

// The byte-by-byte UTF-8 check, line and column tracked as it goes.
std::optional<SourceLocation> reference_invalid_utf8(uint32_t file, std::string_view text) {
  uint32_t line = 1, column = 1;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (length == 0 || i + length > text.size()) return SourceLocation{file, line, column, 1};
    uint32_t code = length == 1 ? c : c & (0xFFu >> (length + 1));
    for (size_t k = 1; k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return SourceLocation{file, line, column, 1};
      code = (code << 6) | (next & 0x3Fu);
    }
    static const uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return SourceLocation{file, line, column, 1};
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
  return std::nullopt;
}

std::string where(const std::optional<SourceLocation>& location) {
  if (!location) return "valid";
  return std::to_string(location->line) + ":" + std::to_string(location->column);
}

TEST(TextChecks, InvalidUtf8IsFoundAtItsCharacter) {
  EXPECT_EQ(where(find_invalid_utf8(1, "plain ascii\nover two lines\n")), "valid");
  EXPECT_EQ(where(find_invalid_utf8(1, "")), "valid");
  // After a long ASCII run, on the third line, after two-, three- and four-byte characters.
  EXPECT_EQ(where(find_invalid_utf8(1, "title: a long line of ascii text\nb\ncaf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x92 \xFF")),
            "3:10");
  EXPECT_EQ(where(find_invalid_utf8(1, "0123456789abcdef\xC3")), "1:17");       // cut at the end
  EXPECT_EQ(where(find_invalid_utf8(1, "x: \xC0\xAF")), "1:4");                  // overlong
  EXPECT_EQ(where(find_invalid_utf8(1, "x: \xED\xA0\x80")), "1:4");              // a surrogate
  EXPECT_EQ(where(find_invalid_utf8(1, "x: \xF4\x90\x80\x80")), "1:4");          // past U+10FFFF
  EXPECT_EQ(where(find_invalid_utf8(1, "\n\n\n\n\n\n\n\n\n\x80")), "10:1");      // a lone continuation byte
  EXPECT_EQ(find_invalid_utf8(7, "\x80")->file, 7u);
}

TEST(TextChecks, InvalidUtf8AgreesWithTheByteByByteScan) {
  std::mt19937 random(20261130);
  const std::string pieces[] = {"a", "abcdefgh", "\n", " ", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x94\x92",
                                "\x80", "\xC3", "\xE2\x82", "\xFF", "\xED\xA0\x80", "0123456789012345"};
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    int count = static_cast<int>(random() % 24);
    for (int k = 0; k < count; ++k) {
      // Mostly valid pieces, so that errors sit at every offset.
      size_t pick = random() % 100 < 90 ? random() % 7 : random() % std::size(pieces);
      text += pieces[pick];
    }
    ASSERT_EQ(where(find_invalid_utf8(1, text)), where(reference_invalid_utf8(1, text))) << text;
  }
}

TEST(TextChecks, TabIndentationIsFoundOnlyWhereItIndents) {
  EXPECT_EQ(where(find_tab_indentation(1, "a: 1\nb:\n  - c\n")), "valid");
  EXPECT_EQ(where(find_tab_indentation(1, "a: 1\nb:\n\t- c\n")), "3:1");
  EXPECT_EQ(where(find_tab_indentation(1, "a: 1\tcomment\n")), "valid");  // not indentation
  EXPECT_EQ(where(find_tab_indentation(1, "s: >-\n  text\n  \tindented in text\nx:\n \ty\n")), "5:2");
  EXPECT_EQ(where(find_tab_indentation(1, "s: '|'\n\tx: 1\n")), "2:1");  // a quoted bar opens nothing
  EXPECT_EQ(where(find_tab_indentation(1, "{\"a\":\n\t1}\n")), "valid");  // JSON
}

}  // namespace
}  // namespace tmc::load
