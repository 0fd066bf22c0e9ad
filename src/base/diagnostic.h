// The one diagnostic type of tmc. Every stage (load, model, analyze, cli)
// reports problems into a DiagnosticSink; the pipeline stops between
// stages when errors were recorded.
#pragma once

#include <string>
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
// most kMaxKeptDiagnostics are kept (counts stay exact); sorted() then ends
// with a note saying how many more were suppressed, so a hostile input
// cannot turn a flood of diagnostics into gigabytes.
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
  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  size_t warning_count() const { return warning_count_; }
  // Warnings reported through strict_warning() that --strict would make errors.
  size_t strict_warning_count() const { return strict_warning_count_; }
  // The kept diagnostics, in the order reported.
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  // Diagnostics reported past kMaxKeptDiagnostics and not kept.
  size_t suppressed() const { return suppressed_; }
  // True once kMaxKeptDiagnostics are kept: later reports are only counted,
  // so a caller in a loop over hostile input may skip formatting a message.
  bool full() const { return diagnostics_.size() >= kMaxKeptDiagnostics; }

  // Diagnostics in file order (file id, line, column), stable for ties;
  // those without a location come first. When some were suppressed, a
  // final `too-many-diagnostics` note says how many.
  std::vector<Diagnostic> sorted() const;

 private:
  bool strict_;
  size_t error_count_ = 0;
  size_t warning_count_ = 0;
  size_t strict_warning_count_ = 0;
  size_t suppressed_ = 0;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace tmc
