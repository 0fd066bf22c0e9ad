// Internal to the interchange stage: the model an importer builds before it
// is written as YAML, the readable-id maker, and the record of source
// fields that have no place in tmc's format.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/diagnostic.h"
#include "model/model.h"

namespace tmc::interchange {

// An imported model. Only the written fields of `model` are used (ids and
// references as text); nothing is resolved.
struct Draft {
  model::Model model;
  std::map<std::string, std::string> source_ids;  // tmc id -> id in the source tool
  std::map<std::string, std::pair<double, double>> positions;  // tmc id -> x, y in the source diagram
  std::vector<std::string> header;  // comment lines at the top of the file
};

// Readable, unique ids derived from names: "Web Application" -> web_application,
// then web_application_2, ... Ids match [A-Za-z][A-Za-z0-9_.-]* and are
// unique across every kind, as the format requires.
class IdMaker {
 public:
  // Reserves an id already in use (for example in a model merged into).
  void reserve(const std::string& id) { used_.insert(id); }
  bool used(const std::string& id) const { return used_.count(id) != 0; }
  // An id from `name`; `fallback` (e.g. "flow") when the name has no letters.
  std::string make(const std::string& name, const std::string& fallback);
  // `wanted` itself when it is a valid unused id, else make(wanted, fallback).
  std::string keep_or_make(const std::string& wanted, const std::string& fallback);
  // The next of prefix1, prefix2, ... not yet used ("T" -> T1, T2...).
  std::string next_numbered(const std::string& prefix);

 private:
  std::unordered_set<std::string> used_;
  // Per base ("user", or a prefix "T"), the first number not tried yet:
  // ids are never given back, so every number below it is taken, and N
  // entities of one name cost N tries, not N^2/2.
  std::unordered_map<std::string, int> suffixes_, counters_;
};

bool valid_id(const std::string& id);

// What only the whole draft can tell, checked as the model builder checks
// it: every reference (a boundary, asset, element, flow, target, actor or
// tag) names an entity of its kind, an `in_url` asset is in the flow's
// `data`, and boundaries nest without a cycle and at most 32 levels deep.
// Each problem is an error at the source location the reference keeps
// (one per cycle, one where a chain passes the depth). Returns false when
// it reported errors. Each entity and reference is looked at once.
bool check_draft(const Draft& draft, DiagnosticSink& sink);

// Source fields tmc has no place for, one warning per kind at its first
// occurrence: "3 components had attribute 'cmdbId': dropped".
class LossReport {
 public:
  // `subject` is singular ("component"); `what` describes the field.
  void note(const std::string& subject, const std::string& what, const std::string& fate,
            SourceLocation at);
  // Reports every kind as a warning with code `import-dropped`, in the
  // order first seen.
  void emit(DiagnosticSink& sink) const;

 private:
  struct Kind {
    std::string subject, what, fate;
    SourceLocation first;
    size_t count = 0;
  };
  std::vector<Kind> kinds_;
  std::map<std::string, size_t> index_;
};

// The model as YAML a person would write: fixed key order, flow-style
// one-liners for short lists, multi-line text as literal blocks.
// `x-source-ids` and `x-layout` close the file. Text stays text whatever it
// holds: every string reads back, with any YAML reader (1.1 or 1.2), as
// exactly the string the draft holds, and no character of it becomes
// structure (see yaml_string); the header lines stay comments. The result
// holds no character terminal_safe() would change.
std::string write_yaml(const Draft& draft);

// YAML scalar spelling of `value`: plain when that reads back as the same
// string, else double-quoted with an escape for every character that is
// not printable ASCII or plain UTF-8 text: controls, DEL, C1 controls, the
// line breaks of YAML 1.1 (U+0085, U+2028, U+2029), U+FEFF and the
// bidirectional controls (\x85, \u2028, \u202E, ...). Never spans lines.
std::string yaml_string(const std::string& value);

}  // namespace tmc::interchange
