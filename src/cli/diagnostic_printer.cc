#include "cli/diagnostic_printer.h"

#include <fmt/format.h>

#include <algorithm>

#include "render/escape.h"

namespace tmc::cli {

namespace {

const char* color_of(Severity severity) {
  switch (severity) {
    case Severity::error: return "\033[1;31m";
    case Severity::warning: return "\033[1;35m";
    case Severity::note: return "\033[1;36m";
  }
  return "";
}

void append_line(std::string& out, const SourceLocation& location, Severity severity, const std::string& message,
                 const std::string& code, const SourceManager& sources, const PrintOptions& options) {
  const char* bold = options.color ? "\033[1m" : "";
  const char* reset = options.color ? "\033[0m" : "";
  std::string where;
  if (location.file != 0 && location.line != 0) {
    where = fmt::format("{}:{}:{}", sources.path(location.file), location.line, location.column);
  } else if (location.file != 0) {
    where = sources.path(location.file);
  } else {
    where = "tmc";
  }
  where = render::terminal_safe(where);  // a file name is user text too
  // One line per diagnostic: newlines inside model text are shown as spaces.
  std::string text = render::terminal_safe(message);
  std::replace(text.begin(), text.end(), '\n', ' ');
  out += fmt::format("{}{}:{} {}{}:{} {}", bold, where, reset, options.color ? color_of(severity) : "",
                     to_string(severity), reset, text);
  if (!code.empty()) out += fmt::format(" [{}]", code);
  out += '\n';
  if (!options.excerpt || location.file == 0 || location.line == 0) return;
  std::string_view line = sources.line_text(location.file, location.line);
  std::string gutter = fmt::format("{:>5} | ", location.line);
  out += gutter + render::terminal_safe(line) + '\n';
  // The caret goes under the column, counting displayed characters (not
  // bytes; an escaped control counts as its escape) and keeping tabs so it
  // lines up.
  size_t prefix = 0;
  uint32_t column = 1;
  while (prefix < line.size() && column < location.column) {
    ++prefix;
    while (prefix < line.size() && (static_cast<unsigned char>(line[prefix]) & 0xC0) == 0x80) ++prefix;
    ++column;
  }
  std::string pad;
  for (char c : render::terminal_safe(line.substr(0, prefix))) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) pad += c == '\t' ? '\t' : ' ';
  }
  std::string marker = "^";
  if (location.length > 1) marker += std::string(std::min<uint32_t>(location.length, 200) - 1, '~');
  out += std::string(gutter.size() - 2, ' ') + "| " + pad + (options.color ? "\033[1;32m" : "") + marker + reset + '\n';
}

}  // namespace

std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                               const PrintOptions& options) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    append_line(out, d.location, d.severity, d.message, d.code, sources, options);
    for (const DiagnosticNote& note : d.notes) {
      append_line(out, note.location, Severity::note, note.message, "", sources, options);
    }
  }
  return out;
}

void write_diagnostics_members(render::JsonWriter& json, const DiagnosticSink& sink, const SourceManager& sources) {
  auto located = [&](const SourceLocation& location) {
    json.key("file");
    if (location.file != 0) {
      json.value(sources.path(location.file));
    } else {
      json.value(nullptr);
    }
    json.member("line", location.line);
    json.member("column", location.column);
  };
  json.key("diagnostics");
  json.begin_array();
  for (const Diagnostic& d : sink.sorted()) {
    json.begin_object();
    json.member("severity", to_string(d.severity));
    json.member("code", d.code);
    json.member("message", d.message);
    located(d.location);
    json.key("notes");
    json.begin_array();
    for (const DiagnosticNote& note : d.notes) {
      json.begin_object();
      json.member("message", note.message);
      located(note.location);
      json.end_object();
    }
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.member("errors", sink.error_count());
  json.member("warnings", sink.warning_count());
  json.member("not_shown", sink.suppressed());
}

std::string diagnostics_json(const DiagnosticSink& sink, const SourceManager& sources) {
  render::StringSink out;
  render::JsonWriter json(out);
  json.begin_object();
  write_diagnostics_members(json, sink, sources);
  json.end_object();
  return std::move(out.str());
}

std::string summary_line(const std::string& path, const DiagnosticSink& sink, size_t open_below_gate) {
  size_t errors = sink.error_count(), warnings = sink.warning_count();
  if (errors == 0 && warnings == 0) return "";
  // Open items at or above the gate are errors for the exit code, but the
  // model itself is valid: they are counted apart from the model's errors.
  size_t open = sink.error_count("not-done");
  errors -= open;
  std::string out = path + ": ";
  if (errors > 0) out += fmt::format("{} error{}", errors, errors == 1 ? "" : "s");
  if (errors > 0 && open > 0) out += ", ";
  if (open > 0) out += fmt::format("{} open item{} block{} the gate", open, open == 1 ? "" : "s", open == 1 ? "s" : "");
  // The rest of the list is not printed by check: say that it exists.
  if (open > 0 && open_below_gate > 0) out += fmt::format(" ({} more open below it: tmc threats lists all)", open_below_gate);
  if ((errors > 0 || open > 0) && warnings > 0) out += ", ";
  if (warnings > 0) out += fmt::format("{} warning{}", warnings, warnings == 1 ? "" : "s");
  // These warnings do not fail the run; say how to make them do so in CI.
  if (size_t strict = sink.strict_warning_count(); strict > 0) {
    out += fmt::format(" ({} would be {} under --strict; run CI with --strict)", strict, strict == 1 ? "an error" : "errors");
  }
  return out + "\n";
}

std::string format_github_annotations(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    const char* command = d.severity == Severity::error ? "error" : d.severity == Severity::warning ? "warning" : "notice";
    std::string properties;
    if (d.location.file != 0 && d.location.file <= sources.file_count()) {
      properties += "file=" + render::github_property(sources.path(d.location.file)) + ",";
      if (d.location.line != 0) properties += fmt::format("line={},col={},", d.location.line, d.location.column);
    }
    properties += "title=" + render::github_property("tmc " + (d.code.empty() ? std::string("check") : d.code));
    std::string message = d.message;
    for (const DiagnosticNote& note : d.notes) {
      message += "\nnote: ";
      if (note.location.file != 0 && note.location.line != 0 && note.location.file <= sources.file_count()) {
        message += fmt::format("{}:{}: ", sources.path(note.location.file), note.location.line);
      }
      message += note.message;
    }
    out += fmt::format("::{} {}::{}\n", command, properties, render::github_message(render::terminal_safe(message)));
  }
  return out;
}

}  // namespace tmc::cli
