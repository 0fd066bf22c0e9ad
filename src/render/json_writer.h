// A streaming JSON writer: a document written to a Sink as it is produced,
// never held whole. Its bytes are exactly those of tmc::json_text() of the
// same document (base/json_text.h: nlohmann's `dump(2, ' ', false,
// error_handler_t::replace)`, DEL and C1 controls escaped;
// tests/render/json_writer_test.cc pins it): two-space indentation,
// `"key": value`, `{}` and `[]` for empty containers; in strings the
// escapes \" \\ \b \f \n \r \t, \u00XX for the other C0 controls, DEL
// and the C1 controls U+0080..U+009F, every other valid UTF-8 sequence as
// is (U+2028 included), and each invalid sequence replaced by U+FFFD as
// nlohmann replaces it.
#pragma once

#include <charconv>
#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "render/sink.h"

namespace tmc::render {

class JsonWriter {
 public:
  explicit JsonWriter(Sink& out) : out_(out) {}

  // Containers. Each begin_* is one value (of an array, or after key());
  // end_* closes the innermost open container.
  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // The name of the next member; REQUIRES: inside an object, and a value
  // follows.
  void key(std::string_view name);

  // Scalar values.
  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(const std::string& text) { value(std::string_view(text)); }
  void value(bool flag);
  void value(std::nullptr_t);
  void value(double number);  // as nlohmann writes it; null when not finite
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>)
  void value(T number) {
    before_value();
    char digits[24];
    auto [end, error] = std::to_chars(digits, digits + sizeof digits, number);
    (void)error;
    out_.write({digits, static_cast<size_t>(end - digits)});
  }

  // key(name) then value(v).
  template <class T>
  void member(std::string_view name, const T& v) {
    key(name);
    value(v);
  }

 private:
  struct Frame {
    bool object = false;
    size_t count = 0;  // values written in it
  };
  // The separator and indentation before a value (nothing after a key).
  void before_value();
  void indent(size_t depth);
  void close(char bracket);

  Sink& out_;
  std::vector<Frame> open_;  // the program's nesting, never the input's
  bool after_key_ = false;
};

// A JSON string's body (without its quotes), escaped as json_text()
// escapes it.
void write_json_escaped(Sink& out, std::string_view text);

// An array of strings as one value of `w`.
void string_array(JsonWriter& w, const std::vector<std::string>& list);

}  // namespace tmc::render
