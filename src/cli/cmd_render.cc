// The renderers' commands: report, diagram, backlog. Each exits 0 when it
// wrote its output, whether or not the model is done (the gate is check's
// job), and 2 on an invalid model, writing nothing.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <set>

#include "analyze/scoring.h"
#include "base/suggest.h"
#include "cli/command.h"
#include "cli/diagnostic_printer.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "load/file_system.h"
#include "render/render.h"

namespace tmc::cli {

namespace {

// The root of the git working tree that holds `path`: the nearest directory
// at or above it with a .git entry (a folder, or a worktree's file), or ""
// when there is none. Read from the file system; no git is run.
std::string repository_root(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path directory = fs::weakly_canonical(fs::absolute(path, error), error);
  if (error) return "";
  if (!fs::is_directory(directory, error)) directory = directory.parent_path();
  for (; !directory.empty(); directory = directory.parent_path()) {
    if (fs::exists(directory / ".git", error)) return directory == directory.root_path() ? "" : directory.string();
    if (directory == directory.root_path()) break;
  }
  return "";
}

struct RenderOptions {
  ModelOptions model;
  std::string output = "-";
  std::string format;             // empty: from the extension
  std::string template_name = "brief";
  std::string min_bucket;         // SARIF: lowest bucket reported
  std::string path, focus;        // diagram views
  std::string boundary;           // diagram --boundary
  std::string labels = "short";   // full | short | none
  size_t overview_threshold = 300;
  int layout_timeout = 5;         // seconds for the layout, every attempt together
};

render::LabelMode label_mode(const std::string& name) {
  return name == "full" ? render::LabelMode::full : name == "none" ? render::LabelMode::none : render::LabelMode::short_form;
}

// The diagram settings shared by `diagram` and `report`.
render::DiagramOptions diagram_settings(const RenderOptions& options) {
  render::DiagramOptions view;
  view.labels = label_mode(options.labels);
  view.overview_threshold = options.overview_threshold;
  view.layout.time = std::chrono::seconds(options.layout_timeout);
  return view;
}

// Prints render-stage diagnostics (layout warnings and errors).
void print_render_diagnostics(const DiagnosticSink& sink, const FrontEnd& front, const ModelOptions& options) {
  if (sink.diagnostics().empty()) return;
  PrintOptions print;
  print.color = use_color(options.color, 2);
  std::string text = format_diagnostics(sink.diagnostics(), front.sources, print);
  print_err(text, print.color ? Colors::kept : Colors::escaped);
}

std::string extension_of(const std::string& path) {
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  return path.substr(dot + 1);
}

// Runs the pipeline and prints its diagnostics when there are problems.
// Returns nullptr (exit code 2 set) for an invalid model.
std::unique_ptr<FrontEnd> valid_model(const ModelOptions& options, int* exit_code) {
  auto front = load_model_file(options);
  if (!front->analysis || front->exit_code() == 2) {
    print_diagnostics(*front, options);
    *exit_code = 2;
    return nullptr;
  }
  if (front->sink.warning_count() > 0) print_diagnostics(*front, options);
  return front;
}

void run_report(const RenderOptions& options, int* exit_code) {
  std::string format = options.format.empty() ? extension_of(options.output) : options.format;
  if (format.empty() || format == "markdown") format = "md";
  static const std::vector<std::string> kFormats = {"md", "html", "json", "csv", "sarif", "xlsx", "codequality"};
  if (std::find(kFormats.begin(), kFormats.end(), format) == kFormats.end()) {
    print_err(fmt::format("tmc report: error: unknown format '{}' (md, html, json, csv, sarif, xlsx or codequality){}\n", format,
                          did_you_mean(format, kFormats)));
    *exit_code = 2;
    return;
  }
  // The analysis computes only what the format shows: at 10k elements the
  // coverage matrix alone is 21 MB, which the CSV, the workbook and SARIF
  // never read. The raises come with the facts a finding rests on, which
  // the HTML shows in its table's tooltips.
  ModelOptions model_options = options.model;
  bool full = options.template_name == "full";
  model_options.coverage = format == "html" || format == "json" || format == "md";
  model_options.fingerprints = format == "json" || format == "sarif" || format == "codequality";
  model_options.raises = format == "json" || format == "html" || (format == "md" && full);
  auto front = valid_model(model_options, exit_code);
  if (!front) return;
  render::RenderInput input{*front->model, *front->analysis, front->sources};
  if (format == "sarif" || format == "codequality") {
    input.working_directory = load::current_directory();
    input.source_root = repository_root(options.model.path == kStandardInput ? "." : options.model.path);
  }
  render::DiagramOptions diagram = diagram_settings(options);
  DiagnosticSink render_sink;
  std::string text;
  // HTML, JSON, CSV, SARIF and Markdown grow with the model: written to
  // the file as they are produced.
  std::function<void(render::Sink&)> stream;
  if (format == "md") {
    auto which = full ? render::ReportTemplate::full : render::ReportTemplate::brief;
    stream = [&input, &diagram, which](render::Sink& out) { render::report_markdown(input, which, diagram, out); };
  } else if (format == "html") {
    stream = [&](render::Sink& out) { render::report_html(input, diagram, render_sink, out); };
  } else if (format == "json") {
    stream = [&](render::Sink& out) { render::model_json(input, out); };
  } else if (format == "csv") {
    stream = [&](render::Sink& out) { render::threats_csv(input, out); };
  } else if (format == "xlsx") {
    std::string error;
    auto workbook = render::threats_xlsx(input, error);
    if (!workbook) {
      print_err(fmt::format("tmc report: error: {}\n", error));
      *exit_code = 2;
      return;
    }
    text = std::move(*workbook);
  } else {
    int rank = 1;  // by default the top two buckets
    if (options.min_bucket == "all") {
      rank = static_cast<int>(analyze::buckets_of(front->model->scale).size()) - 1;
    } else if (!options.min_bucket.empty()) {
      auto parsed = analyze::parse_fail_on(front->model->scale, options.min_bucket);
      if (!parsed || *parsed < 0) {
        print_err(fmt::format("tmc report: error: --min-bucket '{}' is not a bucket of this scale-{} model\n", options.min_bucket,
                     front->model->scale));
        *exit_code = 2;
        return;
      }
      rank = *parsed;
    }
    if (format == "codequality") {
      stream = [&input, rank](render::Sink& out) { render::code_quality(input, rank, out); };
    } else {
      stream = [&input, rank](render::Sink& out) { render::sarif(input, rank, out); };
    }
  }
  DiagnosticSink sink;
  bool written = stream ? write_output_streamed(options.output, stream, sink, front->input_files())
                        : write_output(options.output, text, sink, front->input_files());
  print_render_diagnostics(render_sink, *front, options.model);  // the page's layout warnings, known once it is written
  *exit_code = written ? 0 : 2;
  if (sink.has_errors()) print_err(fmt::format("tmc: error: {}\n", sink.diagnostics()[0].message));
}

void run_diagram(const RenderOptions& options, int* exit_code) {
  std::string format = options.format.empty() ? extension_of(options.output) : options.format;
  if (format.empty() || format == "mmd") format = "mermaid";
  if (format == "gv") format = "dot";
  if (format == "txt") format = "ascii";
  static const std::vector<std::string> kFormats = {"mermaid", "dot", "svg", "ascii"};
  if (std::find(kFormats.begin(), kFormats.end(), format) == kFormats.end()) {
    print_err(fmt::format("tmc diagram: error: unknown format '{}' (mermaid, dot, svg or ascii){}\n", format,
                 did_you_mean(format, kFormats)));
    *exit_code = 2;
    return;
  }
  auto front = valid_model(options.model, exit_code);
  if (!front) return;
  const model::Model& m = *front->model;
  render::DiagramOptions view = diagram_settings(options);
  if (!options.path.empty()) {
    std::vector<std::string> ids;
    for (const auto& p : m.paths) ids.push_back(p.id);
    if (std::find(ids.begin(), ids.end(), options.path) == ids.end()) {
      print_err(fmt::format("tmc diagram: error: no path '{}' in the model{}\n", options.path, did_you_mean(options.path, ids)));
      *exit_code = 2;
      return;
    }
    view.path = options.path;
  }
  if (!options.focus.empty()) {
    if (m.find_element(options.focus) < 0) {
      std::vector<std::string> ids;
      for (const auto& e : m.elements) ids.push_back(e.id);
      print_err(fmt::format("tmc diagram: error: no element '{}' in the model{}\n", options.focus, did_you_mean(options.focus, ids)));
      *exit_code = 2;
      return;
    }
    view.focus = options.focus;
  }
  if (!options.boundary.empty()) {
    std::vector<std::string> ids;
    for (const auto& b : m.boundaries) ids.push_back(b.id);
    if (std::find(ids.begin(), ids.end(), options.boundary) == ids.end()) {
      print_err(fmt::format("tmc diagram: error: no boundary '{}' in the model{}\n", options.boundary,
                            did_you_mean(options.boundary, ids)));
      *exit_code = 2;
      return;
    }
    view.boundary = options.boundary;
  }
  if ((view.path ? 1 : 0) + (view.focus ? 1 : 0) + (view.boundary ? 1 : 0) > 1) {
    print_err("tmc diagram: error: give one of --path, --focus and --boundary\n");
    *exit_code = 2;
    return;
  }
  render::RenderInput input{m, *front->analysis, front->sources};
  std::string text;
  if (format == "mermaid") {
    DiagnosticSink render_sink;
    text = render::diagram_mermaid(input, view, render_sink);
    print_render_diagnostics(render_sink, *front, options.model);
  }
  if (format == "dot") text = render::diagram_dot(input, view);
  if (format == "ascii") text = render::diagram_ascii(input, view);
  if (format == "svg") {
    // When no layout works, nothing is written: exit 2 with the reason.
    DiagnosticSink render_sink;
    auto svg = render::diagram_svg(input, view, render_sink);
    print_render_diagnostics(render_sink, *front, options.model);
    if (!svg) {
      *exit_code = 2;
      return;
    }
    text = std::move(*svg);
  }
  if (render::diagram_is_overview(input, view) && format != "mermaid") {
    print_err(fmt::format("tmc diagram: note: {} elements and {} flows, more than --overview-threshold {} allows ({} elements or {} "
                          "flows): drawing the overview, one node per trust boundary; draw one with --boundary ID\n",
                          m.elements.size(), m.flows.size(), view.overview_threshold, view.overview_threshold,
                          render::kOverviewFlowsPerElement * view.overview_threshold));
  }
  DiagnosticSink sink;
  *exit_code = write_output(options.output, text, sink, front->input_files()) ? 0 : 2;
  if (sink.has_errors()) print_err(fmt::format("tmc: error: {}\n", sink.diagnostics()[0].message));
}

// A manifest lists file names only; one larger than this is not tmc's.
constexpr size_t kMaxManifestBytes = 16 << 20;

void run_backlog(const RenderOptions& options, int* exit_code) {
  if (options.output == "-") {
    print_err(fmt::format("tmc backlog: error: give a directory with -o DIR\n"));
    *exit_code = 2;
    return;
  }
  auto front = valid_model(options.model, exit_code);
  if (!front) return;
  render::RenderInput input{*front->model, *front->analysis, front->sources};
  DiagnosticSink sink;
  if (!ensure_directory(options.output, sink)) {
    print_err(fmt::format("tmc: error: {}\n", sink.diagnostics()[0].message));
    *exit_code = 2;
    return;
  }
  auto files = render::backlog(input);
  // The issue files the previous run wrote, from its manifest: read only
  // when it is a regular file (a link there is not tmc's) of sane size.
  render::BacklogManifest previous;
  std::string manifest_path = options.output + "/" + render::kBacklogManifest;
  if (std::filesystem::is_regular_file(std::filesystem::symlink_status(manifest_path))) {
    std::string error;
    auto text = load::DiskFileSystem().read(manifest_path, kMaxManifestBytes, error);
    if (text && text->size() <= kMaxManifestBytes) previous = render::parse_backlog_manifest(*text);
  }
  if (!previous.ignored.empty()) {
    std::string names;
    for (size_t i = 0; i < previous.ignored.size() && i < 3; ++i) names += fmt::format("{}'{}'", i > 0 ? ", " : "", previous.ignored[i]);
    print_err(fmt::format("tmc backlog: warning: {} lists {} name(s) that are not issue files tmc writes ({}{}); they are left "
                          "alone\n", manifest_path, previous.ignored.size(), names, previous.ignored.size() > 3 ? ", ..." : ""));
  }
  std::vector<SetFile> set;
  std::set<std::string> current;
  for (const auto& file : files) {
    set.push_back({file.name, file.content});
    current.insert(file.name);
  }
  if (!write_output_set(options.output, set, sink, front->input_files())) {
    print_err(fmt::format("tmc: error: {}\n", sink.diagnostics()[0].message));
    *exit_code = 2;
    return;
  }
  // Remove the issue files tmc wrote before that are no longer urgent;
  // nothing else.
  size_t removed = 0;
  for (const std::string& name : previous.issues) {
    if (current.contains(name)) continue;
    std::error_code error;
    std::string path = options.output + "/" + name;
    if (std::filesystem::is_regular_file(std::filesystem::symlink_status(path)) && std::filesystem::remove(path, error)) {
      ++removed;
    }
  }
  print_err(fmt::format("wrote {} issue(s), backlog.csv and backlog.json to {}{}\n", files.size() - 3, options.output,
                        removed > 0 ? fmt::format("; removed {} no longer urgent", removed) : ""));
  *exit_code = 0;
}

CLI::App* render_command(CLI::App& app, const char* name, const char* summary, std::shared_ptr<RenderOptions> options) {
  CLI::App* command = app.add_subcommand(name, summary);
  add_model_options(*command, options->model);
  command->add_option("-o,--output", options->output, "Write to FILE ('-' = stdout); written atomically");
  return command;
}

// The diagram flags of `diagram` and `report`.
void add_diagram_flags(CLI::App& command, std::shared_ptr<RenderOptions> options) {
  command.add_option("--labels", options->labels,
                     "Arrow labels: short (protocol and at most two assets, then +N; the default), full, or none. "
                     "The full text stays in the SVG tooltip and the HTML flow table")
      ->check(CLI::IsMember({"full", "short", "none"}));
  command.add_option("--overview-threshold", options->overview_threshold,
                     "Above this many elements, or twice as many flows, the whole-model diagram is an overview: one node per trust boundary "
                     "(default 300; 0 = never)");
  command.add_option("--layout-timeout", options->layout_timeout,
                     "Seconds the Graphviz layout may take in all: the drawing as asked gets half, the simpler retries the rest (default 5)")
      ->check(CLI::Range(1, 3600));
}

}  // namespace

void define_report(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* command = render_command(app, "report", "Render the report: Markdown, HTML, JSON, CSV, Excel or SARIF", options);
  command->add_option("--format", options->format, "md, html, json, csv, xlsx, sarif or codequality (GitLab Code Quality JSON) (default: from the -o extension, else md)");
  command->add_option("--template", options->template_name, "Markdown: brief (one page) or full (the complete report)")
      ->check(CLI::IsMember({"brief", "full"}));
  command->add_option("--min-bucket", options->min_bucket, "SARIF and codequality: report open items down to this bucket, or all (default: the top two buckets)");
  add_diagram_flags(*command, options);
  command->footer("Examples:\n  tmc report threat-model.tm.yaml -o threat-model.md\n"
                  "  tmc report --template full threat-model.tm.yaml -o report.md\n"
                  "  tmc report threat-model.tm.yaml -o report.html\n"
                  "  tmc report threat-model.tm.yaml -o results.sarif --min-bucket fix-now\n"
                  "  tmc report threat-model.tm.yaml -o threats.xlsx    # the register for Excel: sheets Threats and Crossings\n"
                  "  tmc report --labels full threat-model.tm.yaml -o report.html\n\n"
                  "The HTML diagram zooms (+, -, Ctrl+wheel) and pans (drag). Graphviz runs in a separate, time- and memory-limited\n"
                  "process; if it fails, the page shows the diagram as text and tmc warns [layout-failed].\n\n"
                  "Exits 0 when the report is written (done or not: the gate is 'tmc check'), 2 on an invalid model or when it\n"
                  "cannot be written.");
  command->callback([options, exit_code] { run_report(*options, exit_code); });
}

void define_diagram(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* command = render_command(app, "diagram", "Draw the data-flow diagram: Mermaid, DOT, SVG or ASCII", options);
  command->add_option("--format", options->format, "mermaid, dot, svg or ascii (default: from the -o extension, else mermaid)");
  command->add_option("--path", options->path, "Only the flows of this request path");
  command->add_option("--focus", options->focus, "Only this element and its direct neighbours");
  command->add_option("--boundary", options->boundary,
                      "Only this trust boundary: its elements, its inner boundaries as one node each, outside neighbours grouped by boundary");
  add_diagram_flags(*command, options);
  command->footer("Boundaries are dashed zones; thick red arrows cross a trust boundary. A model with more elements than\n"
                  "--overview-threshold, or more than twice as many flows, is drawn as an overview: one node per boundary,\n"
                  "arrows counting the flows between them, colored by their worst open item; --boundary, --focus and --path\n"
                  "draw the detail.\n\n"
                  "SVG: Graphviz lays the diagram out in a separate process limited in time and memory. If it fails, tmc\n"
                  "retries with labels beside the arrows, then without boundary boxes (warning [layout-simplified]), all\n"
                  "within --layout-timeout; if that fails too, it writes nothing and exits 2 [layout-failed].\n\n"
                  "Mermaid stays within what GitHub renders (500 arrows, 50,000 characters): a drawing over that keeps the\n"
                  "most important arrows (worst open item, then crossings), says in the drawing how many it left out and\n"
                  "warns [mermaid-capped]; --focus or --format svg shows the rest.\n\nExamples:\n"
                  "  tmc diagram threat-model.tm.yaml -o dfd.svg\n  tmc diagram --format ascii threat-model.tm.yaml\n"
                  "  tmc diagram --path pay threat-model.tm.yaml -o pay.mmd\n"
                  "  tmc diagram --boundary vpc --labels full threat-model.tm.yaml -o vpc.svg\n\n"
                  "Exits 0 when the diagram is written, 2 on an invalid model, an unknown id, a failed layout or a write error.");
  command->callback([options, exit_code] { run_diagram(*options, exit_code); });
}

void define_backlog(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* command = render_command(app, "backlog", "One Markdown issue per urgent open item, plus CSV and JSON", options);
  command->footer("Writes one [SEC][bucket] issue per open threat or finding in the top two buckets into DIR,\n"
                  "named by the item's id (threat-T1.md, finding-TMC-IDOR-api.md), plus backlog.csv, backlog.json and\n"
                  "tmc-backlog-manifest.json, the list of files tmc owns there. A re-run rewrites the same names and\n"
                  "removes the issue files (threat-*.md, finding-*.md) it wrote before that are no longer urgent; it\n"
                  "never touches other files, whatever the manifest lists. A symbolic link at one of these names is\n"
                  "replaced by the file, never written through. The set is written whole or not at all: every file\n"
                  "goes to a temporary first, so a failed run (a full disk) leaves the previous set as it was.\n\n"
                  "Example:\n  tmc backlog threat-model.tm.yaml -o backlog/\n\n"
                  "Exit codes: 0 written (done or not: the gate is 'tmc check'), 2 invalid model, bad usage or I/O error.");
  command->callback([options, exit_code] { run_backlog(*options, exit_code); });
}

}  // namespace tmc::cli
