#include "interchange/interchange.h"

#include <fmt/format.h>

#include <algorithm>

#include "interchange/draft.h"
#include "interchange/importers.h"

namespace tmc::interchange {

const char* to_string(SourceFormat format) {
  switch (format) {
    case SourceFormat::threat_dragon: return "threat-dragon";
    case SourceFormat::otm: return "otm";
    case SourceFormat::csv: return "csv";
  }
  return "";
}

std::optional<SourceFormat> parse_source_format(std::string_view name) {
  if (name == "threat-dragon" || name == "td") return SourceFormat::threat_dragon;
  if (name == "otm") return SourceFormat::otm;
  if (name == "csv") return SourceFormat::csv;
  return std::nullopt;
}

std::optional<SourceFormat> detect_format(const std::string& contents, const load::Node* root) {
  if (is_mapping(root)) {
    if (field(root, "otmVersion")) return SourceFormat::otm;
    if (field(root, "summary") || path(root, {"detail", "diagrams"})) return SourceFormat::threat_dragon;
    return std::nullopt;
  }
  // A register: the first line names columns, separated by commas.
  size_t end = contents.find('\n');
  std::string first = contents.substr(0, end);
  size_t commas = static_cast<size_t>(std::count(first.begin(), first.end(), ','));
  std::string trimmed = first.substr(first.find_first_not_of(" \t\xEF\xBB\xBF") == std::string::npos ? 0 : first.find_first_not_of(" \t\xEF\xBB\xBF"));
  if (commas >= 2 && !trimmed.empty() && trimmed[0] != '{' && trimmed[0] != '[') return SourceFormat::csv;
  return std::nullopt;
}

namespace {

// ';' or TAB when the first line of `contents` reads as a CSV header with
// that separator instead of commas: at least two of them, fewer than two
// commas.
std::optional<char> other_csv_separator(const std::string& contents) {
  std::string first = contents.substr(0, contents.find('\n'));
  if (std::count(first.begin(), first.end(), ',') >= 2) return std::nullopt;
  size_t start = first.find_first_not_of(" \t\xEF\xBB\xBF");
  // Not the first line of a JSON or YAML document.
  if (start == std::string::npos || std::string_view("{[#-").find(first[start]) != std::string_view::npos ||
      first.find(':') != std::string::npos) {
    return std::nullopt;
  }
  for (char separator : {';', '\t'}) {
    if (std::count(first.begin(), first.end(), separator) >= 2) return separator;
  }
  return std::nullopt;
}

std::string csv_separator_message(char separator) {
  return fmt::format("the first line reads as a CSV header separated by {}; tmc reads threat registers separated by "
                     "commas: save the register as comma-separated CSV",
                     separator == ';' ? "semicolons (';')" : "tabs");
}

}  // namespace

std::optional<std::string> import_model(uint32_t file, const SourceManager& sources, const ImportOptions& options,
                                        DiagnosticSink& sink) {
  const std::string& contents = sources.contents(file);
  const std::string& name = sources.path(file);
  if (contents.size() > options.limits.max_file_bytes) {
    sink.error("file-too-large", {file, 1, 1, 0},
               fmt::format("the file holds more than {} bytes, the limit (change it with --max-file-size)",
                           options.limits.max_file_bytes));
    return std::nullopt;
  }
  std::optional<SourceFormat> format = options.format;
  if (contents.find_first_not_of(" \t\r\n") == std::string::npos) {
    sink.error("import-format", {file, 1, 1, 0},
               "the file is empty: there is nothing to import (a CSV threat register starts with its header row, a "
               "Threat Dragon or OTM file with a JSON object)");
    return std::nullopt;
  }
  if (auto separator = other_csv_separator(contents); separator && (!format || format == SourceFormat::csv)) {
    sink.error("import-format", {file, 1, 1, 0}, csv_separator_message(*separator));
    return std::nullopt;
  }
  load::SyntaxTree root;
  // CSV is not parsed as YAML: a register's first line may well be valid YAML.
  bool looks_csv = !format && detect_format(contents, nullptr) == SourceFormat::csv;
  if (format != SourceFormat::csv && !looks_csv) {
    root = load::parse_document(file, sources, options.limits, sink);
    if (!root) return std::nullopt;
    if (!format) {
      format = detect_format(contents, root.root);
      if (!format) {
        sink.error("import-format", location(root.root),
                   "neither a Threat Dragon model (no 'summary' and 'detail') nor an Open Threat Model "
                   "(no 'otmVersion'); give --from threat-dragon|otm|csv to say which it is");
        return std::nullopt;
      }
    }
    if (!is_mapping(root.root)) {
      sink.error("import-format", location(root.root),
                 fmt::format("a {} file holds a JSON object at the top, not {}", to_string(*format), load::describe(*root)));
      return std::nullopt;
    }
  } else {
    format = SourceFormat::csv;
  }
  if (options.into != nullptr && format != SourceFormat::csv) {
    sink.error("usage", {}, "--into merges a CSV threat register; Threat Dragon and OTM files import as a whole model");
    return std::nullopt;
  }
  Draft draft;
  LossReport losses;
  bool ok = false;
  switch (*format) {
    case SourceFormat::threat_dragon: ok = import_threat_dragon(*root, draft, losses, sink); break;
    case SourceFormat::otm: ok = import_otm(*root, draft, losses, sink); break;
    case SourceFormat::csv: ok = import_csv(file, sources, options, draft, losses, sink); break;
  }
  if (!ok || sink.has_errors() || !check_draft(draft, sink)) return std::nullopt;
  losses.emit(sink);
  std::string base = name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1);
  static const char* const kNames[] = {"an OWASP Threat Dragon model", "an Open Threat Model (OTM) file", "a CSV threat register"};
  draft.header = {fmt::format("Imported by tmc from {}: {}", kNames[static_cast<int>(*format)], base),
                  options.into != nullptr ? "merged into the model given with --into (its comments are not kept)"
                                          : "Review it: names, types, boundaries and controls came from another tool.",
                  "Import warnings list every source field that had no place here.", ""};
  if (draft.model.scope.empty()) draft.model.scope = "Imported from " + base + ".";
  return write_yaml(draft);
}

std::map<std::string, std::string> read_source_ids(const load::Node& root) {
  std::map<std::string, std::string> out;
  for (const auto& [id, value] : entries(field(&root, "x-source-ids"))) {
    if (is_scalar(value)) out[id] = text(value);
  }
  return out;
}

}  // namespace tmc::interchange
