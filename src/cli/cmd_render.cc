// The renderers' commands: report, diagram, backlog. Each exits 0 when it
// wrote its output, whether or not the model is done (the gate is check's
// job), and 2 on an invalid model, writing nothing.
#include <fmt/format.h>

#include <cstdio>

#include "analyze/scoring.h"
#include "base/suggest.h"
#include "cli/command.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "render/render.h"

namespace tmc::cli {

namespace {

struct RenderOptions {
  ModelOptions model;
  std::string output = "-";
  std::string format;             // empty: from the extension
  std::string template_name = "brief";
  std::string min_bucket;         // SARIF: lowest bucket reported
  std::string path, focus;        // diagram views
};

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
  static const std::vector<std::string> kFormats = {"md", "html", "json", "csv", "sarif"};
  if (std::find(kFormats.begin(), kFormats.end(), format) == kFormats.end()) {
    print_err(fmt::format("tmc report: error: unknown format '{}' (md, html, json, csv or sarif){}\n", format,
                 did_you_mean(format, kFormats)));
    *exit_code = 2;
    return;
  }
  auto front = valid_model(options.model, exit_code);
  if (!front) return;
  render::RenderInput input{*front->model, *front->analysis, front->sources};
  std::string text;
  if (format == "md") {
    text = render::report_markdown(input, options.template_name == "full" ? render::ReportTemplate::full : render::ReportTemplate::brief);
  } else if (format == "html") {
    text = render::report_html(input);
  } else if (format == "json") {
    text = render::model_json(input);
  } else if (format == "csv") {
    text = render::threats_csv(input);
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
    text = render::sarif(input, rank);
  }
  DiagnosticSink sink;
  *exit_code = write_output(options.output, text, sink, front->input_files()) ? 0 : 2;
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
  render::DiagramOptions view;
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
  render::RenderInput input{m, *front->analysis, front->sources};
  std::string text;
  if (format == "mermaid") text = render::diagram_mermaid(input, view);
  if (format == "dot") text = render::diagram_dot(input, view);
  if (format == "ascii") text = render::diagram_ascii(input, view);
  if (format == "svg") {
    std::string error;
    auto svg = render::diagram_svg(input, view, error);
    if (!svg) {
      print_err(fmt::format("tmc diagram: error: {}\n", error));
      *exit_code = 2;
      return;
    }
    text = *svg;
  }
  DiagnosticSink sink;
  *exit_code = write_output(options.output, text, sink, front->input_files()) ? 0 : 2;
  if (sink.has_errors()) print_err(fmt::format("tmc: error: {}\n", sink.diagnostics()[0].message));
}

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
  for (const auto& file : files) {
    if (!write_output(options.output + "/" + file.name, file.content, sink, front->input_files())) {
      print_err(fmt::format("tmc: error: {}\n", sink.diagnostics()[0].message));
      *exit_code = 2;
      return;
    }
  }
  print_err(fmt::format("wrote {} issue(s), backlog.csv and backlog.json to {}\n", files.size() - 2, options.output));
  *exit_code = 0;
}

CLI::App* render_command(CLI::App& app, const char* name, const char* summary, std::shared_ptr<RenderOptions> options) {
  CLI::App* command = app.add_subcommand(name, summary);
  add_model_options(*command, options->model);
  command->add_option("-o,--output", options->output, "Write to FILE ('-' = stdout); written atomically");
  return command;
}

}  // namespace

void define_report(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* command = render_command(app, "report", "Render the report: Markdown, HTML, JSON, CSV or SARIF", options);
  command->add_option("--format", options->format, "md, html, json, csv or sarif (default: from the -o extension, else md)");
  command->add_option("--template", options->template_name, "Markdown: brief (one page) or full (the complete report)")
      ->check(CLI::IsMember({"brief", "full"}));
  command->add_option("--min-bucket", options->min_bucket, "SARIF: report open items down to this bucket, or all (default: the top two buckets)");
  command->footer("Examples:\n  tmc report threat-model.tm.yaml -o threat-model.md\n"
                  "  tmc report --template full threat-model.tm.yaml -o report.md\n"
                  "  tmc report threat-model.tm.yaml -o report.html\n"
                  "  tmc report threat-model.tm.yaml -o results.sarif --min-bucket fix-now\n\n"
                  "Exits 0 when the report is written (done or not: the gate is 'tmc check'), 2 on an invalid model.");
  command->callback([options, exit_code] { run_report(*options, exit_code); });
}

void define_diagram(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* command = render_command(app, "diagram", "Draw the data-flow diagram: Mermaid, DOT, SVG or ASCII", options);
  command->add_option("--format", options->format, "mermaid, dot, svg or ascii (default: from the -o extension, else mermaid)");
  command->add_option("--path", options->path, "Only the flows of this request path");
  command->add_option("--focus", options->focus, "Only this element and its direct neighbours");
  command->footer("Boundaries are dashed zones; thick red arrows cross a trust boundary.\n\nExamples:\n"
                  "  tmc diagram threat-model.tm.yaml -o dfd.svg\n  tmc diagram --format ascii threat-model.tm.yaml\n"
                  "  tmc diagram --path pay threat-model.tm.yaml -o pay.mmd");
  command->callback([options, exit_code] { run_diagram(*options, exit_code); });
}

void define_backlog(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* command = render_command(app, "backlog", "One Markdown issue per urgent open item, plus CSV and JSON", options);
  command->footer("Writes one [SEC][bucket] issue per open threat or finding in the top two buckets into DIR.\n\n"
                  "Example:\n  tmc backlog threat-model.tm.yaml -o backlog/");
  command->callback([options, exit_code] { run_backlog(*options, exit_code); });
}

}  // namespace tmc::cli
