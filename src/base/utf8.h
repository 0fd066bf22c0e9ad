// UTF-8 decoding and the classes of characters that every writer of model
// text has to treat with care: the one decoder the escaping functions of
// render/ and the YAML writer of interchange/ share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tmc {

// The length (1 to 4) of the UTF-8 sequence at `text[i]` and, through
// `code`, its code point; 0 when the bytes there are not UTF-8 (a stray
// continuation byte, an overlong form, a surrogate, past U+10FFFF or cut
// off by the end of `text`). REQUIRES: i < text.size().
size_t utf8_sequence(std::string_view text, size_t i, uint32_t& code);

// The bidirectional controls that reorder what a terminal or an editor
// shows ("Trojan source"): U+061C, U+200E, U+200F, U+202A..U+202E and
// U+2066..U+2069.
bool is_bidi_control(uint32_t code);

// The characters some YAML reader takes for a line break besides LF and
// CR: NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR
// (U+2029), which YAML 1.1 and libyaml treat as line breaks.
inline bool is_unicode_line_break(uint32_t code) { return code == 0x85 || code == 0x2028 || code == 0x2029; }

}  // namespace tmc
