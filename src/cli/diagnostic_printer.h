// Prints diagnostics for people (compiler style) and for machines (JSON).
#pragma once

#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/source.h"
#include "render/json_writer.h"

namespace tmc::cli {

struct PrintOptions {
  bool color = false;
  bool excerpt = false;  // source line and a caret under the offending text
};

// `path:line:col: severity: message [code]`, notes below it, each with an
// optional excerpt; `tmc: severity: message [code]` without a location.
std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                               const PrintOptions& options);

// {"diagnostics": [...], "errors": N, "warnings": N, "not_shown": N} as a
// JSON value text: the sink's sorted() diagnostics (the last one a
// `too-many-diagnostics` note when some were not kept), and the counts of
// every error and warning reported, kept or not, and of those not kept.
std::string diagnostics_json(const DiagnosticSink& sink, const SourceManager& sources);
// The same four members written into the object `json` has open.
void write_diagnostics_members(render::JsonWriter& json, const DiagnosticSink& sink, const SourceManager& sources);

// GitHub workflow annotations, one per diagnostic:
// `::error file=PATH,line=L,col=C,title=tmc CODE::message` (warning and
// notice for the other severities), with GitHub's escaping; notes are
// appended to the message on their own lines.
std::string format_github_annotations(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources);

// "model.tm.yaml: 2 errors, 1 warning" (empty when there is nothing), with
// a hint to use --strict in CI when some warnings would be errors under it.
// `open_below_gate`: open items in buckets the gate does not count, named
// beside the ones that block it.
std::string summary_line(const std::string& path, const DiagnosticSink& sink, size_t open_below_gate = 0);

}  // namespace tmc::cli
