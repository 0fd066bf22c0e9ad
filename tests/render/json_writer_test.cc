// The streaming JSON writer against tmc::json_text() (nlohmann's dump(2,
// ' ', false, error_handler_t::replace), which every machine output used
// before, with DEL and the C1 controls escaped): the same document must give the same bytes
// (tests/golden pins whole outputs; this pins the writer on the strings and
// shapes no golden model holds).
#include "render/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

#include "base/json_text.h"
#include "render/escape.h"

namespace tmc::render {
namespace {

using Json = nlohmann::ordered_json;

std::string dumped(const Json& json) { return json_text(json); }

// A sink that hands on every `capacity` bytes, so chunk borders fall
// everywhere, escapes and UTF-8 sequences included.
class SmallChunkSink : public Sink {
 public:
  explicit SmallChunkSink(size_t capacity) : Sink(capacity) {}
  std::string text;

 protected:
  void take(std::string_view chunk) override { text.append(chunk); }
};

// Writes `json` through the writer, mirroring its structure.
void write(JsonWriter& w, const Json& json) {
  switch (json.type()) {
    case Json::value_t::object:
      w.begin_object();
      for (const auto& [key, value] : json.items()) {
        w.key(key);
        write(w, value);
      }
      w.end_object();
      break;
    case Json::value_t::array:
      w.begin_array();
      for (const Json& value : json) write(w, value);
      w.end_array();
      break;
    case Json::value_t::string: w.value(json.get_ref<const std::string&>()); break;
    case Json::value_t::boolean: w.value(json.get<bool>()); break;
    case Json::value_t::number_integer: w.value(json.get<int64_t>()); break;
    case Json::value_t::number_unsigned: w.value(json.get<uint64_t>()); break;
    case Json::value_t::number_float: w.value(json.get<double>()); break;
    default: w.value(nullptr); break;
  }
}

std::string streamed(const Json& json, size_t capacity = 64 * 1024) {
  SmallChunkSink out(capacity);
  JsonWriter w(out);
  write(w, json);
  out.flush();
  return out.text;
}

void expect_same(const Json& json) {
  std::string expected = dumped(json);
  EXPECT_EQ(streamed(json), expected);
  EXPECT_EQ(streamed(json, 1), expected);
  EXPECT_EQ(streamed(json, 5), expected);
}

// One string as a value and as a key.
void expect_same_string(const std::string& text) {
  SCOPED_TRACE(::testing::PrintToString(text));
  Json json = Json::object();
  json[text] = text;
  expect_same(Json(text));
  expect_same(json);
}

TEST(JsonWriter, EscapesEveryControlCharacterAsNlohmann) {
  for (int c = 0; c < 0x20; ++c) expect_same_string(std::string("a") + static_cast<char>(c) + "b");
  expect_same_string(std::string("\0nul\0", 5));
  expect_same_string("\x7f del");
}

// Issue 22, item 8: DEL was written raw; the terminal-safe printer then
// made it `\x7f`, which is not a JSON escape, so every JSON document on
// stdout of a model holding a DEL was invalid.
TEST(JsonWriter, EscapesDelSoThatTerminalSafeTextStaysJson) {
  for (const char* text : {"\x7f", "del \x7f here", "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f", "eight ok\x7f"}) {
    std::string written = streamed(Json(text));
    EXPECT_EQ(written.find('\x7f'), std::string::npos) << written;
    EXPECT_NE(written.find("\\u007f"), std::string::npos) << written;
    EXPECT_EQ(terminal_safe(written), written);
    EXPECT_EQ(Json::parse(written), Json(text));
    expect_same_string(text);
  }
  EXPECT_EQ(json_text(Json("a\x7f")), "\"a\\u007f\"");
}

// Issue 22, item 11: the C1 controls went raw into tmc's exports, and
// YAML readers (tmc's loader among them) refuse them: an export of a model
// holding U+009B could not be imported back.
TEST(JsonWriter, EscapesC1Controls) {
  for (const char* text : {"\xc2\x9b", "csi \xc2\x9b" "31m", "\xc2\x80\xc2\x85\xc2\x9f", "not C1: \xc2\xa0 \xc3\x9b"}) {
    std::string written = streamed(Json(text));
    EXPECT_EQ(Json::parse(written), Json(text));
    EXPECT_EQ(terminal_safe(written), written);
    expect_same_string(text);
  }
  EXPECT_EQ(json_text(Json("csi \xc2\x9b" "31m")), "\"csi \\u009b31m\"");
  EXPECT_EQ(json_text(Json("\xc2\x80\xc2\x9f\xc2\xa0")), "\"\\u0080\\u009f\xc2\xa0\"");
  EXPECT_EQ(streamed(Json("a\xc2\x85z")), "\"a\\u0085z\"");
}

TEST(JsonWriter, QuotesBackslashesAndSlashes) {
  expect_same_string("say \"hi\"");
  expect_same_string("C:\\path\\to\\file\\");
  expect_same_string("</script> a/b \\u0041");
  expect_same_string("\"");
  expect_same_string("\\");
  expect_same_string("");
}

TEST(JsonWriter, KeepsValidUtf8AsIs) {
  expect_same_string("caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x94\x92");  // é, 中文, 🔒
  expect_same_string("line\xe2\x80\xa8separator\xe2\x80\xa9paragraph");          // U+2028, U+2029
  expect_same_string("\xe2\x80\xae reversed \xef\xbb\xbf bom \xef\xbf\xbd");      // U+202E, U+FEFF, U+FFFD
  expect_same_string("\xc2\x80\xc2\x9f C1 \xf4\x8f\xbf\xbf max");                 // U+0080, U+009F, U+10FFFF
}

TEST(JsonWriter, ReplacesInvalidUtf8AsNlohmann) {
  for (const char* text : {"\x80", "\xff", "a\x80z", "\xc0\xaf overlong", "\xe0\x80\xaf overlong3", "\xed\xa0\x80 surrogate",
                           "\xf4\x90\x80\x80 above max", "\xf5\x80\x80\x80", "cut at end \xe2\x82", "cut at end \xf0\x9f\x94",
                           "\xe2\x82" "A", "\xe2\xe2\x82\xac", "\xf0\x9f" "\xf0\x9f\x94\x92", "\xc3\xc3\xa9", "\xe2\x82\xff\xfe",
                           "\xc3", "\xe2", "\xf0", "\xc3" "\"", "\xe2\x82\n", "\xf0\x9f\x94\\", "\xe2\x82\x80\x80\x80"}) {
    expect_same_string(text);
  }
}

// Every pair of bytes, and every byte after each interesting prefix.
TEST(JsonWriter, MatchesNlohmannOnEveryByteSequenceOfLengthTwo) {
  std::string pairs;
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      std::string text = {static_cast<char>(a), static_cast<char>(b)};
      ASSERT_EQ(streamed(Json(text)), dumped(Json(text))) << ::testing::PrintToString(text);
    }
  }
  for (const char* prefix : {"\xe2", "\xe2\x82", "\xf0", "\xf0\x9f", "\xf0\x9f\x94", "\xed", "\xe0", "\xf4", "\xf4\x8f"}) {
    for (int c = 0; c < 256; ++c) {
      std::string text = std::string(prefix) + static_cast<char>(c) + "x";
      ASSERT_EQ(streamed(Json(text), 3), dumped(Json(text))) << ::testing::PrintToString(text);
    }
  }
}

// Random strings over bytes that matter (ASCII controls, quotes,
// backslashes, lead and continuation bytes), fixed seed.
TEST(JsonWriter, MatchesNlohmannOnRandomByteStrings) {
  const std::string alphabet = std::string("a\"\\\n\t\x01\x1f\x7f", 8) + "\xc2\xc3\xdf\xe0\xe2\xed\xef\xf0\xf4\xf5\xff\x80\x82\x9f\xa0\xac\xbf";
  std::mt19937 rng(13);
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    size_t length = rng() % 12;
    for (size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
    ASSERT_EQ(streamed(Json(text), 1 + rng() % 7), dumped(Json(text))) << ::testing::PrintToString(text);
  }
}

TEST(JsonWriter, EmptyAndNestedContainersIndentAsNlohmann) {
  expect_same(Json::object());
  expect_same(Json::array());
  expect_same(Json::array({Json::object(), Json::array(), Json::array({Json::array({Json::array()})})}));
  Json nested = Json::object();
  nested["empty_object"] = Json::object();
  nested["empty_array"] = Json::array();
  nested["list"] = Json::array({1, "two", nullptr, true, false, Json::object({{"k", Json::array({Json::object()})}})});
  nested["deep"]["deeper"]["deepest"] = Json::array({Json::array({"x"})});
  expect_same(nested);
  Json deep = "leaf";
  for (int i = 0; i < 300; ++i) deep = Json::array({deep, Json::object({{"level", i}})});  // past nlohmann's 512-space indent string
  expect_same(deep);
}

TEST(JsonWriter, NumbersAndLiteralsAsNlohmann) {
  expect_same(Json::array({0, -1, 42, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                           std::numeric_limits<uint64_t>::max(), uint32_t{4000000000u}}));
  expect_same(Json::array({0.0, -0.0, 3.0, 0.1, 2.5, 1e300, 1e-7, 123456789.125, 1e15, 1e16, 1.0 / 3.0}));
  expect_same(Json::array({std::numeric_limits<double>::infinity(), std::nan("")}));
  expect_same(Json::array({true, false, nullptr}));
  expect_same(Json(true));
  expect_same(Json(nullptr));
  expect_same(Json(7));
}

TEST(JsonWriter, OverloadsWriteTheTypeTheCallerMeans) {
  StringSink out;
  JsonWriter w(out);
  w.begin_array();
  w.value("text");                // a literal is a string, not a bool
  w.value(std::string("string"));
  w.value(true);
  w.value(size_t{3});
  w.value(-2);
  w.value(1.5);
  w.value(nullptr);
  w.end_array();
  EXPECT_EQ(out.str(), "[\n  \"text\",\n  \"string\",\n  true,\n  3,\n  -2,\n  1.5,\n  null\n]");
}

}  // namespace
}  // namespace tmc::render
