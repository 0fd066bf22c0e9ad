// The one diagnostic type of tmc. Every stage (load, model, analyze, cli)
// reports problems into a DiagnosticSink; the pipeline stops between
// stages when errors were recorded.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/source.h"

namespace tmc {

enum class Severity { note, warning, error };

const char* to_string(Severity severity);

struct DiagnosticNote {
  SourceLocation location;  // may be unknown
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;  // stable, kebab-case, e.g. "unknown-key", "yaml-syntax"
  std::string message;
  SourceLocation location;
  std::vector<DiagnosticNote> notes;
};

// Collects diagnostics. Not thread-safe. Like a compiler's error limit, at
// most kMaxKeptDiagnostics are kept, so a hostile input cannot turn a flood
// of diagnostics into gigabytes; but an error is never dropped in favour of
// a warning or a note: once the limit is reached, an error takes the place
// of the last kept warning or note, and only errors past kMaxKeptDiagnostics
// errors are dropped. Every count (errors, warnings, errors per code) is
// over all diagnostics reported, kept or not; sorted() ends with a note
// saying how many were not shown.
inline constexpr size_t kMaxKeptDiagnostics = 1000;

class DiagnosticSink {
 public:
  // `strict` turns warnings reported through warn_or_error() into errors.
  explicit DiagnosticSink(bool strict = false) : strict_(strict) {}

  void report(Diagnostic diagnostic);
  void error(std::string code, SourceLocation location, std::string message,
             std::vector<DiagnosticNote> notes = {});
  void warning(std::string code, SourceLocation location, std::string message,
               std::vector<DiagnosticNote> notes = {});
  // Information, never an error (not even under --strict).
  void note(std::string code, SourceLocation location, std::string message);
  // A warning that `--strict` makes an error (unknown keys, undeclared crossings...).
  void strict_warning(std::string code, SourceLocation location, std::string message,
                      std::vector<DiagnosticNote> notes = {});

  bool strict() const { return strict_; }
  // A policy can ask for --strict after the sink exists; what was reported
  // before keeps its severity.
  void set_strict(bool strict) { strict_ = strict; }
  bool has_errors() const { return error_count_ > 0; }
  // Errors and warnings reported, kept or not.
  size_t error_count() const { return error_count_; }
  size_t warning_count() const { return warning_count_; }
  // Errors reported with code `code`, kept or not.
  size_t error_count(std::string_view code) const;
  // Warnings reported through strict_warning() that --strict would make errors.
  size_t strict_warning_count() const { return strict_warning_count_; }
  // The kept diagnostics, in the order reported.
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  // Diagnostics reported and not kept (or no longer kept), in all and by
  // severity.
  size_t suppressed() const { return suppressed_errors_ + suppressed_warnings_ + suppressed_notes_; }
  size_t suppressed_errors() const { return suppressed_errors_; }
  size_t suppressed_warnings() const { return suppressed_warnings_; }
  // True once kMaxKeptDiagnostics errors are kept: a later report is only
  // counted, so a caller in a loop over hostile input may skip formatting
  // its message.
  bool full() const { return kept_errors_ >= kMaxKeptDiagnostics; }

  // Diagnostics in file order (file id, line, column), stable for ties;
  // those without a location come first. When some were not kept, a final
  // `too-many-diagnostics` note says how many, of which severities.
  std::vector<Diagnostic> sorted() const;

 private:
  bool strict_;
  size_t error_count_ = 0;
  size_t warning_count_ = 0;
  size_t strict_warning_count_ = 0;
  size_t kept_errors_ = 0;
  size_t suppressed_errors_ = 0;
  size_t suppressed_warnings_ = 0;
  size_t suppressed_notes_ = 0;
  std::vector<Diagnostic> diagnostics_;
  std::map<std::string, size_t, std::less<>> errors_by_code_;
};

}  // namespace tmc
