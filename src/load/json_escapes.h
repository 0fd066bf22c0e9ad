// JSON spells a character outside the Basic Multilingual Plane (any emoji)
// as a UTF-16 surrogate pair escape, "\ud83d\ude00": Python's json.dump
// writes every such character that way. YAML's double-quoted strings know
// only "\U0001F600", and libyaml refuses the pair ("invalid Unicode
// character escape code"). The loader reads JSON through libyaml, so it
// first rewrites each pair inside the strings of a JSON text into the
// YAML escape, and maps libyaml's positions back to the file's.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tmc::load {

struct SurrogatePairRewrite {
  std::string text;  // the file's text, each pair written as \UXXXXXXXX
  // Where each pair was rewritten, in file order, in terms of `text`: its
  // byte offset, its character index and its line (0-based), as libyaml's
  // marks count them (lines end at LF, CR, CR LF, U+0085, U+2028, U+2029).
  // Each rewrite made `text` 2 bytes (2 ASCII characters) shorter than the
  // file from there on.
  struct At {
    size_t offset = 0;
    size_t index = 0;
    size_t line = 0;
  };
  std::vector<At> at;

  // The byte offset in the file of byte `offset` of `text`.
  size_t file_offset(size_t offset) const;
  // How many characters the file has more than `text` on line `line` before
  // character index `index` of `text`: what to add to a libyaml column.
  size_t column_shift(size_t line, size_t index) const;
};

// The rewrite of `text` when it is JSON (its first byte that is not
// whitespace is '{' or '[') and a string of it holds a surrogate pair escape
// (a high surrogate \uD800-\uDBFF followed by a low one \uDC00-\uDFFF);
// nullopt otherwise (then `text` is parsed as it is). A lone surrogate is
// left alone: libyaml reports it.
std::optional<SurrogatePairRewrite> rewrite_surrogate_pairs(std::string_view text);

}  // namespace tmc::load
