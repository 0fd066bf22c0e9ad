// JSON documents as tmc writes them, whoever builds them (the streaming
// render::JsonWriter, or an nlohmann::json value): nlohmann's layout, and
// no character a terminal acts on. A raw DEL is valid JSON, but printed on
// a terminal it has to become a visible escape, and terminal_safe()'s
// `\x7f` is no JSON escape: so the JSON itself spells it `\u007f`, and
// machine output on stdout is never post-processed into invalid syntax.
// The C1 controls (U+0080..U+009F) are escaped the same way: valid JSON
// too, but YAML readers (tmc's loader among them) refuse them raw, so a
// file tmc exported could not be imported back.
#pragma once

#include <string>

namespace tmc {

// `dumped`, JSON text as nlohmann's dump() writes it (valid UTF-8, C0
// controls escaped), with each DEL and each C1 control escaped (\u007f,
// \u009b). Such characters only occur inside strings, so the result is the
// same JSON value.
std::string escape_json_controls(std::string dumped);

// The text of `json` (an nlohmann::json or ordered_json): dump(2, ' ',
// false, error_handler_t::replace) -- two-space indentation, UTF-8 as is,
// each invalid byte sequence replaced by U+FFFD -- then
// escape_json_controls(). No trailing newline.
template <class Json>
std::string json_text(const Json& json) {
  return escape_json_controls(json.dump(2, ' ', false, Json::error_handler_t::replace));
}

// json_text() and a final newline: a whole JSON file.
template <class Json>
std::string json_document(const Json& json) {
  return json_text(json) + "\n";
}

}  // namespace tmc
