// libFuzzer target over the whole pipeline: bytes -> model (with includes)
// -> analysis -> every output format. Beyond "no crash, hang or leak" it
// checks what each output promises: JSON and SARIF parse, SARIF URIs are
// percent-encoded, the CSV has twelve columns on every row and no formula,
// the HTML has no tag or attribute that came from model text (the corpus
// puts `<zz` and ` zz=` into names), diagnostics and terminal tables are
// terminal-safe, and every renderer is deterministic.
//
// Input: the model file, optionally followed by included files, each after
// a line "---8<---" (named inc1.yaml, inc2.yaml, ... next to the model).
// The Graphviz SVG is not drawn (DOT is): Graphviz is not ours to fuzz and
// runs in-process.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyze/analyze.h"
#include "analyze/attack_tree.h"
#include "analyze/rules.h"
#include "base/date.h"
#include "base/diagnostic.h"
#include "base/source.h"
#include "cli/diagnostic_printer.h"
#include "cli/table.h"
#include "fuzz_checks.h"
#include "load/file_system.h"
#include "load/loader.h"
#include "model/builder.h"
#include "render/attack_tree_render.h"
#include "render/render.h"

using tmc::fuzz::fail;

namespace {

void check_terminal(const std::string& text) {
  if (!tmc::fuzz::terminal_clean(text)) fail("terminal output carries a control or bidi character", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  tmc::load::MemoryFileSystem fs;
  const std::string_view cut = "\n---8<---\n";
  int part = 0;
  for (;;) {
    size_t at = input.find(cut);
    std::string name = part == 0 ? "/m/model.tm.yaml" : "/m/inc" + std::to_string(part) + ".yaml";
    fs.files[name] = std::string(input.substr(0, at));
    ++part;
    if (at == std::string_view::npos || part > 4) break;
    input.remove_prefix(at + cut.size());
  }

  tmc::SourceManager sources;
  tmc::DiagnosticSink sink;
  tmc::load::LoadLimits limits;
  limits.max_nodes = 100'000;
  limits.max_alias_nodes = 100'000;
  auto rules = tmc::analyze::RuleLibrary::builtin(sources, sink);
  auto documents = tmc::load::load_model("/m/model.tm.yaml", fs, limits, sources, sink);
  std::optional<tmc::model::Model> model;
  if (!sink.has_errors()) {
    tmc::model::BuildOptions build;
    build.extra_controls = rules.controls();
    model = tmc::model::build_model(documents, sink, build);
  }
  std::optional<tmc::analyze::Analysis> analysis;
  if (model) {
    tmc::analyze::AnalyzeOptions options;
    options.today = *tmc::parse_date("2026-11-29");
    analysis = tmc::analyze::analyze(*model, rules, options, sink);
  }

  // Diagnostics, for people and for machines.
  tmc::cli::PrintOptions print;
  print.excerpt = true;
  check_terminal(tmc::cli::format_diagnostics(sink.sorted(), sources, print));
  std::string diagnostics = tmc::cli::diagnostics_json(sink, sources);
  if (!tmc::fuzz::parses_as_json(diagnostics)) fail("diagnostics JSON does not parse", diagnostics);
  if (!analysis) return 0;

  tmc::render::RenderInput in{*model, *analysis, sources};
  std::string json = tmc::render::model_json(in);
  if (!tmc::fuzz::parses_as_json(json)) fail("model JSON does not parse", json);

  std::string sarif = tmc::render::sarif(in, 3);
  auto log = nlohmann::json::parse(sarif, nullptr, false);
  if (log.is_discarded() || log.value("version", "") != "2.1.0") fail("SARIF does not parse", sarif);
  for (const auto& result : log["runs"][0]["results"]) {
    std::string uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>();
    if (!tmc::fuzz::uri_is_encoded(uri)) fail("SARIF URI is not percent-encoded", uri);
  }

  std::string csv = tmc::render::threats_csv(in);
  if (!tmc::fuzz::csv_is_safe(csv, 12)) fail("CSV is not 12 safe columns per row", csv);

  tmc::render::DiagramOptions no_layout;
  no_layout.draw = false;
  tmc::DiagnosticSink html_sink;
  std::string html = tmc::render::report_html(in, no_layout, html_sink);
  if (!tmc::fuzz::html_has_no_marker_markup(html, "zz")) fail("HTML carries markup from model text", html);

  std::string brief = tmc::render::report_markdown(in, tmc::render::ReportTemplate::brief);
  std::string full = tmc::render::report_markdown(in, tmc::render::ReportTemplate::full);
  if (full != tmc::render::report_markdown(in, tmc::render::ReportTemplate::full)) fail("Markdown is not deterministic", full);

  tmc::render::DiagramOptions whole;
  std::string mermaid = tmc::render::diagram_mermaid(in, whole);
  std::string dot = tmc::render::diagram_dot(in, whole);
  if (dot != tmc::render::diagram_dot(in, whole)) fail("DOT is not deterministic", dot);
  std::string ascii = tmc::render::diagram_ascii(in, whole);
  check_terminal(ascii);
  for (const auto& path : model->paths) {
    tmc::render::DiagramOptions one;
    one.path = path.id;
    (void)tmc::render::diagram_mermaid(in, one);
    (void)tmc::render::diagram_ascii(in, one);
    break;
  }
  if (!model->elements.empty()) {
    tmc::render::DiagramOptions focus;
    focus.focus = model->elements.front().id;
    (void)tmc::render::diagram_dot(in, focus);
  }

  for (const auto& file : tmc::render::backlog(in)) {
    if (file.name == "backlog.json" && !tmc::fuzz::parses_as_json(file.content)) fail("backlog.json does not parse", file.content);
  }

  std::vector<tmc::analyze::TreeReport> reports;
  for (const auto& tree : model->attack_trees) {
    reports.push_back(tmc::analyze::report_tree(*model, tree, {}));
    check_terminal(tmc::render::attack_tree_text(*model, reports.back()));
    std::string tree_json = tmc::render::attack_tree_json(*model, reports.back());
    if (!tmc::fuzz::parses_as_json(tree_json)) fail("attack tree JSON does not parse", tree_json);
  }
  (void)tmc::render::attack_tree_mermaid(*model, reports);

  // The terminal views print model text through the table printer.
  std::vector<std::vector<std::string>> rows = {{"ID", "NAME"}};
  for (const auto& element : model->elements) rows.push_back({element.id, element.name});
  for (const auto& threat : model->threats) rows.push_back({threat.id, threat.title});
  check_terminal(tmc::cli::format_table(rows, 60));
  return 0;
}
