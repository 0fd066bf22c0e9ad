// Renderers: the analyzed model in every output format (SPEC section 5).
// Each renderer is a pure function of its input that returns the whole
// output as a string (the CLI writes it atomically); the same input gives
// byte-identical output. Renderers never include the YAML library and never
// print; every piece of model text goes through render/escape.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyze/analysis.h"
#include "base/source.h"
#include "model/model.h"

namespace tmc::render {

// What every renderer reads.
struct RenderInput {
  const model::Model& model;
  const analyze::Analysis& analysis;
  const SourceManager& sources;
};

// ---- Diagrams (diagram_*.cc) -------------------------------------------

struct DiagramOptions {
  std::optional<std::string> path;   // --path ID: only the flows of one request path
  std::optional<std::string> focus;  // --focus ID: one element and its direct neighbours
};

// Mermaid flowchart: one subgraph per boundary (nested), external [ ],
// process ( ), store [( )], arrows labelled protocol and data, crossing
// flows drawn distinct (thick, coloured).
std::string diagram_mermaid(const RenderInput& input, const DiagramOptions& options);
// Graphviz DOT: boundaries as dashed clusters.
std::string diagram_dot(const RenderInput& input, const DiagramOptions& options);
// SVG laid out in-process by the Graphviz libraries from diagram_dot().
// Returns nullopt with `error` set when Graphviz fails.
std::optional<std::string> diagram_svg(const RenderInput& input, const DiagramOptions& options,
                                       std::string& error);
// A terminal/code-review drawing with box-drawing characters.
std::string diagram_ascii(const RenderInput& input, const DiagramOptions& options);

// ---- Reports and machine outputs -----------------------------------------

enum class ReportTemplate { brief, full };
std::string report_markdown(const RenderInput& input, ReportTemplate which);
// One self-contained page. `draw_diagram` false leaves the Graphviz
// diagram out (the fuzzers render everything else without Graphviz).
std::string report_html(const RenderInput& input, bool draw_diagram = true);
std::string model_json(const RenderInput& input);       // docs/json-output.md
std::string threats_csv(const RenderInput& input);      // the twelve SPEC columns
// SARIF 2.1.0: open findings and open threats at or above `min_bucket_rank`
// (0 = top bucket only).
std::string sarif(const RenderInput& input, int min_bucket_rank);

// ---- Backlog --------------------------------------------------------------

struct BacklogFile {
  std::string name;     // relative file name inside the output directory
  std::string content;
};
// One Markdown issue per open threat or finding in the top two buckets,
// plus backlog.csv and backlog.json.
std::vector<BacklogFile> backlog(const RenderInput& input);

}  // namespace tmc::render
