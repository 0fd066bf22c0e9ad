// The interchange stage: other tools' formats in and out. Reads OWASP
// Threat Dragon (v1 and v2 JSON), Open Threat Model 0.2.0 (JSON or YAML)
// and CSV threat registers into a tmc model written as the YAML a person
// would write, and writes a Model back as Threat Dragon v2 or OTM 0.2.0.
// It uses load/ (syntax trees with positions, so every problem in a source
// file is reported at file:line:col), model/ and analyze/; nothing below it
// uses it. docs/interchange.md documents every field in both directions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyze/analysis.h"
#include "base/diagnostic.h"
#include "base/source.h"
#include "load/loader.h"
#include "model/model.h"

namespace tmc::interchange {

enum class SourceFormat { threat_dragon, otm, csv };

// "threat-dragon", "otm", "csv".
const char* to_string(SourceFormat format);
std::optional<SourceFormat> parse_source_format(std::string_view name);

struct ImportOptions {
  std::optional<SourceFormat> format;       // --from; nullopt = detect from content
  // --into: the model a CSV register is merged into (already built), with
  // its source ids. nullptr = write a skeleton model.
  const model::Model* into = nullptr;
  std::map<std::string, std::string> into_source_ids;
  load::LoadLimits limits;
};

// Imports file `file` (already in `sources`) and returns the model as YAML
// text, with a comment header naming the source. Every source field that has
// no place in tmc's format is reported as one warning per kind. Returns
// nullopt when errors were reported (each at the file, line and column of
// the offending text; the caller then writes nothing).
std::optional<std::string> import_model(uint32_t file, const SourceManager& sources,
                                        const ImportOptions& options, DiagnosticSink& sink);

// Detects the format of a loaded source: a JSON/YAML tree with `otmVersion`
// is OTM, one with `summary` and `detail` is Threat Dragon; text that parses
// as neither but has a comma-separated header line is CSV.
std::optional<SourceFormat> detect_format(const std::string& contents, const load::Node* root);

struct ExportOptions {
  // Findings of the analysis written as threats (--with-findings); nullptr
  // = only the model's own threats.
  const analyze::Analysis* findings = nullptr;
  // tmc id -> the id it had in the tool it was imported from (x-source-ids),
  // used instead of a generated id so a re-import matches.
  std::map<std::string, std::string> source_ids;
};

// A Threat Dragon v2 model (valid against Threat Dragon's schema): one
// diagram, every element on a grid with no overlaps, each boundary a box
// around its members (nested boxes for nested boundaries). What Threat
// Dragon has no field for travels in `tmc` objects so a re-import is exact.
std::string export_threat_dragon(const model::Model& model, const ExportOptions& options);

// An OTM 0.2.0 file as JSON (valid against the OTM schema).
std::string export_otm(const model::Model& model, const ExportOptions& options);

// The `x-source-ids` mapping of a loaded model file's root, or empty.
std::map<std::string, std::string> read_source_ids(const load::Node& root);

}  // namespace tmc::interchange
