#include "base/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace tmc {

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::note: return "note";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

void DiagnosticSink::report(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::error) ++error_count_;
  if (diagnostic.severity == Severity::warning) ++warning_count_;
  if (diagnostics_.size() >= kMaxKeptDiagnostics) {
    ++suppressed_;
    return;
  }
  diagnostics_.push_back(std::move(diagnostic));
}

void DiagnosticSink::error(std::string code, SourceLocation location, std::string message,
                           std::vector<DiagnosticNote> notes) {
  report({Severity::error, std::move(code), std::move(message), location, std::move(notes)});
}

void DiagnosticSink::warning(std::string code, SourceLocation location, std::string message,
                             std::vector<DiagnosticNote> notes) {
  report({Severity::warning, std::move(code), std::move(message), location, std::move(notes)});
}

void DiagnosticSink::note(std::string code, SourceLocation location, std::string message) {
  report({Severity::note, std::move(code), std::move(message), location, {}});
}

void DiagnosticSink::strict_warning(std::string code, SourceLocation location,
                                    std::string message, std::vector<DiagnosticNote> notes) {
  if (!strict_) ++strict_warning_count_;
  report({strict_ ? Severity::error : Severity::warning, std::move(code), std::move(message),
          location, std::move(notes)});
}

std::vector<Diagnostic> DiagnosticSink::sorted() const {
  std::vector<Diagnostic> out = diagnostics_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.location.file, a.location.line, a.location.column) <
           std::tie(b.location.file, b.location.line, b.location.column);
  });
  if (suppressed_ > 0) {
    out.push_back({Severity::note, "too-many-diagnostics",
                   fmt::format("{} more diagnostic{} not shown (tmc keeps the first {})", suppressed_,
                               suppressed_ == 1 ? " was" : "s were", kMaxKeptDiagnostics),
                   {}, {}});
  }
  return out;
}

}  // namespace tmc
