#include "base/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
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
  const bool error = diagnostic.severity == Severity::error;
  auto count_not_kept = [&](Severity severity) {
    ++(severity == Severity::error ? suppressed_errors_ : severity == Severity::warning ? suppressed_warnings_ : suppressed_notes_);
  };
  if (error) {
    ++error_count_;
    auto it = errors_by_code_.find(diagnostic.code);
    if (it == errors_by_code_.end()) {
      errors_by_code_.emplace(diagnostic.code, 1);
    } else {
      ++it->second;
    }
  }
  if (diagnostic.severity == Severity::warning) ++warning_count_;
  if (diagnostics_.size() >= kMaxKeptDiagnostics) {
    if (!error || kept_errors_ == diagnostics_.size()) {
      count_not_kept(diagnostic.severity);
      return;
    }
    // An error takes the place of the last kept warning or note.
    auto last = std::find_if(diagnostics_.rbegin(), diagnostics_.rend(),
                             [](const Diagnostic& d) { return d.severity != Severity::error; });
    count_not_kept(last->severity);
    diagnostics_.erase(std::next(last).base());
  }
  if (error) ++kept_errors_;
  diagnostics_.push_back(std::move(diagnostic));
}

size_t DiagnosticSink::error_count(std::string_view code) const {
  auto it = errors_by_code_.find(code);
  return it == errors_by_code_.end() ? 0 : it->second;
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
  if (size_t not_shown = suppressed(); not_shown > 0) {
    std::string kinds;
    auto add = [&](size_t count, const char* what) {
      if (count > 0) kinds += fmt::format("{}{} {}{}", kinds.empty() ? "" : ", ", count, what, count == 1 ? "" : "s");
    };
    add(suppressed_errors_, "error");
    add(suppressed_warnings_, "warning");
    add(suppressed_notes_, "note");
    out.push_back({Severity::note, "too-many-diagnostics",
                   fmt::format("{} more diagnostic{} not shown: {} (tmc keeps {}, errors first)", not_shown,
                               not_shown == 1 ? " was" : "s were", kinds, kMaxKeptDiagnostics),
                   {}, {}});
  }
  return out;
}

}  // namespace tmc
