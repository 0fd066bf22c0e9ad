// Typed reading of syntax-tree mappings for the model builder: each read
// checks the value's shape and reports a diagnostic at the offending text;
// keys never read are reported as unknown, with a suggestion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "load/syntax_tree.h"
#include "model/model.h"

namespace tmc::model {

// Reads the keys of one mapping. `what` names the object in messages
// ("element 'api'", "the model").
class MapReader {
 public:
  MapReader(const load::Node& node, std::string what, std::vector<std::string> known_keys,
            DiagnosticSink& sink);
  // The same with a list that outlives the reader (a static table of the
  // keys of a kind of object), so that reading 10,000 objects does not
  // build the list 10,000 times.
  MapReader(const load::Node& node, std::string what, const std::vector<std::string>* known_keys,
            DiagnosticSink& sink);
  MapReader(const MapReader&) = delete;  // may point at its own key list
  MapReader& operator=(const MapReader&) = delete;

  // The value of `key`, or nullptr. Marks the key as read.
  const load::Node* get(std::string_view key);
  const load::MappingEntry* entry(std::string_view key);
  bool has(std::string_view key) const { return node_.find(key) != nullptr; }

  // Required keys report `missing-key` at the mapping when absent.
  std::optional<Text> text(std::string_view key, bool required = false);
  std::string string(std::string_view key, bool required = false);
  std::vector<Text> text_list(std::string_view key);  // a scalar is a one-item list
  std::vector<std::string> string_list(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  // An integer in [min, max]; reports `wrong-type` or `invalid-value`.
  std::optional<long> integer(std::string_view key, long min, long max, bool required = false);
  std::optional<Date> date(std::string_view key);
  // One of `allowed` (exact spelling), with "did you mean".
  std::optional<std::string> choice(std::string_view key, const std::vector<std::string>& allowed);

  // Reports every key not read as an `unknown-key` error with "did you
  // mean"; keys starting with `x-` (a team's own extensions) are ignored.
  void finish();

  const load::Node& node() const { return node_; }
  const std::string& what() const { return what_; }
  // Names the object once its id is known ("threat 'T1'").
  void set_what(std::string what) { what_ = std::move(what); }
  DiagnosticSink& sink() { return sink_; }

 private:
  const load::Node& node_;
  std::string what_;
  std::vector<std::string> own_keys_;
  const std::vector<std::string>* known_keys_;  // own_keys_ or a static list
  // Which entries were read: bits of read_small_ for a mapping of at most
  // 64 keys (nearly all), read_large_ beyond.
  void mark_read(size_t i) {
    if (i < 64) read_small_ |= uint64_t{1} << i;
    else read_large_[i] = true;
  }
  bool was_read(size_t i) const { return i < 64 ? (read_small_ >> i & 1u) != 0 : read_large_[i]; }
  uint64_t read_small_ = 0;
  std::vector<bool> read_large_;
  size_t next_ = 0;  // where entry() starts looking: keys are mostly asked in the order written
  DiagnosticSink& sink_;
};

// Checks a value against a closed enumeration. A spelling that differs
// from exactly one allowed value only in case is accepted with an
// `enum-case` warning naming the canonical spelling, which is returned.
// Otherwise reports `invalid-value` with "did you mean" and returns nullopt.
std::optional<std::string> check_choice(const load::Node& value, std::string_view field,
                                        const std::vector<std::string>& allowed,
                                        DiagnosticSink& sink);

// The allowed value that equals `word` ignoring case, when exactly one does.
std::optional<std::string> canonical_spelling(std::string_view word, const std::vector<std::string>& allowed);

// Reports `enum-case` (a strict warning): `written` is read as `canonical`.
void warn_spelling(const SourceLocation& location, std::string_view field, std::string_view written,
                   std::string_view canonical, DiagnosticSink& sink);

// The message for a number written in quotes ('3' where 3 is expected).
std::string quoted_number_message(std::string_view key, std::string_view text);

// True for `x-...` keys: a team's own extensions, kept and ignored.
bool is_extension_key(std::string_view key);

// Reports an `unknown-key` error at `entry` (nothing for `x-` keys).
void report_unknown_key(const load::MappingEntry& entry, std::string_view what,
                        const std::vector<std::string>& known_keys, DiagnosticSink& sink);

// Reports `wrong-type` unless `value` is a non-null scalar.
bool expect_scalar(const load::Node& value, std::string_view field, DiagnosticSink& sink);

}  // namespace tmc::model
