// Renderers: the analyzed model in every output format (SPEC section 5).
// Each renderer is a pure function of its input; the same input gives
// byte-identical output. Most return the whole output as a string (the CLI
// writes it atomically); the outputs that grow with the model (JSON, CSV,
// SARIF, Markdown) are also written to a Sink as they are produced
// (render/sink.h), and their string form is that output collected.
// Renderers never include the YAML library and never print; every piece
// of model text goes through render/escape.h.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyze/analysis.h"
#include "base/diagnostic.h"
#include "base/source.h"
#include "model/model.h"
#include "render/layout.h"
#include "render/sink.h"

namespace tmc::render {

// What every renderer reads.
struct RenderInput {
  const model::Model& model;
  const analyze::Analysis& analysis;
  const SourceManager& sources;
  // Where SARIF's URIs are relative to: the repository holding the model
  // (absolute, found by the CLI) and the directory tmc runs in, to place a
  // relative model path. Empty: URIs stay as the paths were given.
  std::string source_root = {};
  std::string working_directory = {};
};

// ---- Diagrams (diagram.cc) ------------------------------------------------

// What an arrow says: the full text (label or protocol, and every asset
// name), the short form (label or protocol and at most two asset names,
// then "+N"; the default) or nothing. Shortened text stays in the SVG
// tooltip.
enum class LabelMode { full, short_form, none };

// Flows count toward the overview too: Graphviz's time grows with the
// arrows (250 elements with 4,000 labelled flows ran past every limit).
inline constexpr size_t kOverviewFlowsPerElement = 2;

struct DiagramOptions {
  std::optional<std::string> path;      // --path ID: only the flows of one request path
  std::optional<std::string> focus;     // --focus ID: one element and its direct neighbours
  std::optional<std::string> boundary;  // --boundary ID: one boundary's elements, child boundaries
                                        // folded, outside neighbours grouped by boundary
  LabelMode labels = LabelMode::short_form;
  // The whole-model drawing of a model with more elements than this, or
  // more than kOverviewFlowsPerElement times as many flows, is the
  // overview: one node per trust boundary, flows aggregated. 0 = never.
  size_t overview_threshold = 300;
  LayoutLimits layout;                  // for diagram_svg()
  bool draw = true;                     // report_html: false leaves Graphviz out (the fuzzers); the ASCII drawing stands in
};

// Whether the whole-model drawing of these options is the boundary overview.
bool diagram_is_overview(const RenderInput& input, const DiagramOptions& options);
// The overview's note (what it is, how to get the detail); empty when the
// drawing is not an overview.
std::string diagram_overview_note(const RenderInput& input, const DiagramOptions& options);

// Mermaid flowchart: one subgraph per boundary (nested), external [ ],
// process ( ), store [( )], groups [[ ]], arrows labelled, crossing flows
// drawn distinct (thick, coloured). Stays within what GitHub renders: a
// whole-model drawing over 480 edges or 48,000 characters becomes the
// overview; any drawing still over (a large --boundary, --focus, --path,
// an overview) keeps the most important arrows (worst open item, then
// crossings, then by id), says in a note node and a %% comment how many
// were left out and how to see them, and reports a `mermaid-capped`
// warning to `sink` (the first form drops it). Deterministic.
std::string diagram_mermaid(const RenderInput& input, const DiagramOptions& options);
std::string diagram_mermaid(const RenderInput& input, const DiagramOptions& options, DiagnosticSink& sink);
// Graphviz DOT: boundaries as dashed clusters. Size linear in the model
// (indentation stops at depth 8).
std::string diagram_dot(const RenderInput& input, const DiagramOptions& options);
// SVG from diagram_dot(), laid out in an isolated child process
// (render/layout.h). When the layout fails, retries with edge labels as
// xlabel, then also without clusters, and reports a `layout-simplified`
// warning; when all fail, reports `layout-failed` with `on_failure`
// severity and returns nullopt. Never a partial SVG.
std::optional<std::string> diagram_svg(const RenderInput& input, const DiagramOptions& options, DiagnosticSink& sink,
                                       Severity on_failure = Severity::error);
// A terminal/code-review drawing with box-drawing characters.
std::string diagram_ascii(const RenderInput& input, const DiagramOptions& options);

// The full arrow text of a flow: label (or protocol) and every asset name.
std::string flow_text(const model::Model& m, const model::Flow& flow);

// The per-boundary drawings of the HTML overview: one per boundary that
// holds elements directly (file order), then one for the elements outside
// every boundary, each handed to `visit` as it is drawn (together they are
// megabytes at 10k elements). Laid out without Graphviz in linear time
// (columns: senders, the boundary's own elements, receivers); neighbours
// outside grouped by boundary. `svg` is a standalone <svg> element.
struct BoundarySketch {
  int boundary = -1;        // index into Model::boundaries, -1 = outside every boundary
  size_t elements = 0;      // elements directly in it
  std::string svg;
  std::vector<int> flows;   // flows from or to those elements, file order
};
void boundary_sketches(const RenderInput& input, LabelMode labels, const std::function<void(const BoundarySketch&)>& visit);

// ---- Reports and machine outputs -----------------------------------------

enum class ReportTemplate { brief, full };
// `diagram` sets the labels and the overview threshold of the diagrams.
void report_markdown(const RenderInput& input, ReportTemplate which, const DiagramOptions& diagram, Sink& out);
std::string report_markdown(const RenderInput& input, ReportTemplate which, const DiagramOptions& diagram = {});
// One self-contained page. The diagram is laid out in the isolated layout
// process; when that fails, the page holds the ASCII drawing instead and a
// `layout-failed` warning goes to `sink`. Above the overview threshold the
// page shows the overview and one drawing per boundary, drawn when opened.
// Written to `out` as it is produced: the page of a 10k-element model is
// tens of megabytes.
void report_html(const RenderInput& input, const DiagramOptions& diagram, DiagnosticSink& sink, Sink& out);
std::string report_html(const RenderInput& input, const DiagramOptions& diagram, DiagnosticSink& sink);
std::string report_html(const RenderInput& input);
void model_json(const RenderInput& input, Sink& out);  // docs/json-output.md
std::string model_json(const RenderInput& input);
void threats_csv(const RenderInput& input, Sink& out);  // the twelve SPEC columns
std::string threats_csv(const RenderInput& input);
// The threat register as an .xlsx workbook (sheets "Threats" and
// "Crossings"); nullopt with `error` set when libxlsxwriter fails.
std::optional<std::string> threats_xlsx(const RenderInput& input, std::string& error);
// SARIF 2.1.0: open findings and open threats at or above `min_bucket_rank`
// (0 = top bucket only).
void sarif(const RenderInput& input, int min_bucket_rank, Sink& out);
// GitLab's Code Quality report (every GitLab tier shows it on a merge
// request): one entry per open item at or above `min_bucket_rank`.
void code_quality(const RenderInput& input, int min_bucket_rank, Sink& out);
std::string sarif(const RenderInput& input, int min_bucket_rank);

// ---- Backlog --------------------------------------------------------------

struct BacklogFile {
  std::string name;     // relative file name inside the output directory
  std::string content;
};
// One Markdown issue per open threat or finding in the top two buckets,
// named by the item's id (threat-T1.md, finding-TMC-IDOR-api.md), plus
// backlog.csv, backlog.json and, last, the manifest kBacklogManifest that
// lists every file of this set.
std::vector<BacklogFile> backlog(const RenderInput& input);

inline constexpr const char* kBacklogManifest = "tmc-backlog-manifest.json";

// Whether `name` is one backlog() gives an issue file: "threat-" or
// "finding-", then one or more of [A-Za-z0-9_.-], then ".md".
bool is_backlog_issue_name(std::string_view name);

// What a previous run's manifest lists. Only issue files may ever be
// removed as stale; the manifest is a file in the repository that anyone
// can edit, so any other name in it (README.md, ../x, /etc/passwd) is
// `ignored`: never removed. backlog.csv, backlog.json and the manifest are
// in every set, never stale, and in neither list.
struct BacklogManifest {
  std::vector<std::string> issues;   // is_backlog_issue_name()
  std::vector<std::string> ignored;  // every other string entry
};
// Both lists are empty when the text is not a manifest.
BacklogManifest parse_backlog_manifest(std::string_view text);

}  // namespace tmc::render
