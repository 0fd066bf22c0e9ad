#include "render/json_writer.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

namespace tmc::render {

namespace {

// Björn Höhrmann's UTF-8 decoder, the table nlohmann's serializer uses:
// byte classes, then transitions. State 0 accepts, 1 rejects.
constexpr uint8_t kAccept = 0;
constexpr uint8_t kReject = 1;
constexpr uint8_t kUtf8[400] = {
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   // 00..1F
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   // 20..3F
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   // 40..5F
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   // 60..7F
    1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   // 80..9F
    7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   // A0..BF
    8,   8,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   // C0..DF
    0xA, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x4, 0x3, 0x3,                                                                        // E0..EF
    0xB, 0x6, 0x6, 0x6, 0x5, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8,                                                                        // F0..FF
    0x0, 0x1, 0x2, 0x3, 0x5, 0x8, 0x7, 0x1, 0x1, 0x1, 0x4, 0x6, 0x1, 0x1, 0x1, 0x1,                                                                        // s0..s0
    1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   0,   1,   1,   1,   1,   1,   0,   1,   0,   1,   1,   1,   1,   1,   1,   // s1..s2
    1,   2,   1,   1,   1,   1,   1,   2,   1,   2,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   2,   1,   1,   1,   1,   1,   1,   1,   1,   // s3..s4
    1,   2,   1,   1,   1,   1,   1,   1,   1,   2,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   3,   1,   3,   1,   1,   1,   1,   1,   1,   // s5..s6
    1,   3,   1,   1,   1,   1,   1,   3,   1,   3,   1,   1,   1,   1,   1,   1,   1,   3,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   // s7..s8
};

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The escape of an ASCII byte, or empty when it is written as is.
std::string_view ascii_escape(unsigned char c, char (&scratch)[6]) {
  switch (c) {
    case '\b': return "\\b";
    case '\t': return "\\t";
    case '\n': return "\\n";
    case '\f': return "\\f";
    case '\r': return "\\r";
    case '"': return "\\\"";
    case '\\': return "\\\\";
    default: break;
  }
  if (c > 0x1F && c != 0x7F) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  scratch[0] = '\\';
  scratch[1] = 'u';
  scratch[2] = '0';
  scratch[3] = '0';
  scratch[4] = kHex[c >> 4];
  scratch[5] = kHex[c & 0xF];
  return {scratch, 6};
}

// True when one of the eight bytes in `v` is a control character, DEL,
// '"', '\\' or not ASCII: the bytes a JSON string does not take as they are.
[[gnu::always_inline]] inline bool needs_care(uint64_t v) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto has_zero = [&](uint64_t x) { return ((x - kOnes) & ~x & kHigh) != 0; };
  bool control = ((v - kOnes * 0x20) & ~v & kHigh) != 0;  // a byte below 0x20
  // A high bit, or (when no byte has one, so adding 1 carries out of none)
  // a byte that becomes 0x80 when 1 is added: DEL.
  bool high_or_del = ((v | (v + kOnes)) & kHigh) != 0;
  return control || high_or_del || has_zero(v ^ (kOnes * '"')) || has_zero(v ^ (kOnes * '\\'));
}

// Bytes a JSON string takes as they are: printable ASCII but '"' and '\\'.
constexpr auto kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x7F; ++c) plain[static_cast<size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

// The end of the run of bytes from `at` that are written as they are:
// eight at a time, then one by one.
[[gnu::always_inline]] inline size_t plain_run_end(std::string_view text, size_t at) {
  uint64_t eight;
  while (at + 8 <= text.size() && (std::memcpy(&eight, text.data() + at, 8), !needs_care(eight))) at += 8;
  while (at < text.size() && kPlain[static_cast<unsigned char>(text[at])]) ++at;
  return at;
}

}  // namespace

void write_json_escaped(Sink& out, std::string_view text) {
  // Most strings (keys, ids, names) need nothing: find out before anything else.
  const size_t start = plain_run_end(text, 0);
  if (start == text.size()) {
    out.write(text);
    return;
  }
  // Bytes [written, i) are accepted and not yet written; an incomplete
  // sequence starts at `sequence` while `state` is neither accept nor reject.
  uint8_t state = kAccept;
  size_t written = 0, sequence = 0;
  char scratch[6];
  for (size_t i = start; i < text.size(); ++i) {
    if (state == kAccept) {  // runs of plain ASCII at once
      i = plain_run_end(text, i);
      if (i == text.size()) break;
    }
    auto byte = static_cast<unsigned char>(text[i]);
    if (state == kAccept && byte < 0x80) {
      std::string_view escape = ascii_escape(byte, scratch);
      if (escape.empty()) continue;
      out.write(text.substr(written, i - written));
      out.write(escape);
      written = i + 1;
      continue;
    }
    uint8_t before = state;
    state = kUtf8[256u + state * 16u + kUtf8[byte]];
    if (state == kReject) {
      // nlohmann drops the incomplete sequence, writes U+FFFD, and reads
      // the byte that broke a sequence again on its own.
      size_t keep = before == kAccept ? i : sequence;
      out.write(text.substr(written, keep - written));
      out.write(kReplacement);
      state = kAccept;
      if (before == kAccept) {
        written = i + 1;
      } else {
        written = i;
        --i;
      }
    } else if (state == kAccept && i == sequence + 1 && text[sequence] == '\xC2' && byte <= 0x9F) {
      // A C1 control (0xC2 0x80..0x9F), escaped like the C0 ones.
      static constexpr char kHex[] = "0123456789abcdef";
      const char escape[6] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xF]};
      out.write(text.substr(written, sequence - written));
      out.write({escape, 6});
      written = i + 1;
    } else if (state != kAccept && before == kAccept) {
      sequence = i;
    }
  }
  if (state == kAccept) {
    out.write(text.substr(written));
  } else {  // the text ends inside a sequence
    out.write(text.substr(written, sequence - written));
    out.write(kReplacement);
  }
}

void JsonWriter::indent(size_t depth) {
  static constexpr std::string_view kSpaces = "                                                                ";
  size_t count = depth * 2;
  while (count > 0) {
    size_t now = std::min(count, kSpaces.size());
    out_.write(kSpaces.substr(0, now));
    count -= now;
  }
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (open_.empty()) return;  // the document's one top-level value
  Frame& frame = open_.back();
  out_.write(frame.count == 0 ? std::string_view("\n") : std::string_view(",\n"));
  ++frame.count;
  indent(open_.size());
}

void JsonWriter::begin_object() {
  before_value();
  out_.put('{');
  open_.push_back({true, 0});
}

void JsonWriter::begin_array() {
  before_value();
  out_.put('[');
  open_.push_back({false, 0});
}

void JsonWriter::close(char bracket) {
  size_t count = open_.back().count;
  open_.pop_back();
  if (count > 0) {
    out_.put('\n');
    indent(open_.size());
  }
  out_.put(bracket);
}

void JsonWriter::end_object() { close('}'); }
void JsonWriter::end_array() { close(']'); }

void JsonWriter::key(std::string_view name) {
  before_value();
  out_.put('"');
  write_json_escaped(out_, name);
  out_.write("\": ");
  after_key_ = true;
}

void JsonWriter::value(std::string_view text) {
  before_value();
  out_.put('"');
  write_json_escaped(out_, text);
  out_.put('"');
}

void JsonWriter::value(bool flag) {
  before_value();
  out_.write(flag ? "true" : "false");
}

void JsonWriter::value(std::nullptr_t) {
  before_value();
  out_.write("null");
}

void JsonWriter::value(double number) {
  before_value();
  // nlohmann's own number formatting (Grisu2, ".0" on integers, null when
  // not finite), so the bytes match; numbers are rare in tmc's outputs.
  out_.write(nlohmann::json(number).dump());
}

void string_array(JsonWriter& w, const std::vector<std::string>& list) {
  w.begin_array();
  for (const std::string& s : list) w.value(s);
  w.end_array();
}

}  // namespace tmc::render
