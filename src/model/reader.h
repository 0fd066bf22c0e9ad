// Typed reading of syntax-tree mappings for the model builder: each read
// checks the value's shape and reports a diagnostic at the offending text;
// keys never read are reported as unknown, with a suggestion.
#pragma once

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

  // Reports every key not read (unknown-key, a strict warning).
  void finish();

  const load::Node& node() const { return node_; }
  const std::string& what() const { return what_; }
  // Names the object once its id is known ("threat 'T1'").
  void set_what(std::string what) { what_ = std::move(what); }
  DiagnosticSink& sink() { return sink_; }

 private:
  const load::Node& node_;
  std::string what_;
  std::vector<std::string> known_keys_;
  std::vector<bool> read_;
  DiagnosticSink& sink_;
};

// Checks a value against a closed enumeration; reports `invalid-value` with
// "did you mean" and returns nullopt when it is not one of `allowed`.
std::optional<std::string> check_choice(const load::Node& value, std::string_view field,
                                        const std::vector<std::string>& allowed,
                                        DiagnosticSink& sink);

// Reports `wrong-type` unless `value` is a non-null scalar.
bool expect_scalar(const load::Node& value, std::string_view field, DiagnosticSink& sink);

}  // namespace tmc::model
