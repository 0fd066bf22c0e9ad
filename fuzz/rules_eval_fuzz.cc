// libFuzzer target over user rule files evaluated against a model: the
// input is a rule file, optionally followed by a line "---8<---" and a
// model (otherwise a fixed model with boundaries, a crossing and a store).
// Beyond "no crash, hang or leak": every finding names a rule of the
// library and a target of the model, findings are deterministic, and the
// diagnostics print terminal-safe.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyze/analyze.h"
#include "analyze/rules.h"
#include "base/date.h"
#include "base/diagnostic.h"
#include "base/source.h"
#include "cli/diagnostic_printer.h"
#include "fuzz_checks.h"
#include "load/file_system.h"
#include "load/loader.h"
#include "model/builder.h"

namespace {

const char kModel[] = R"(tmc: 1
title: Fuzz
scope: A model for rule files to run against.
reviewed: 2026-11-01
assets:
  - {id: card, name: Card data, classes: [payment, pii]}
boundaries:
  - {id: internet, name: Internet, trust: 0}
  - {id: dmz, name: DMZ, trust: 1}
  - {id: core, name: Core, trust: 2, parent: dmz}
elements:
  - {id: user, name: User, type: external, boundary: internet}
  - {id: web, name: Web, type: process, boundary: dmz, internet_facing: true, assets: [card], controls: [rate-limit]}
  - {id: db, name: DB, type: store, store: sql, boundary: core, assets: [card]}
  - {id: queue, name: Queue, type: store, boundary: core}
flows:
  - {id: f1, from: user, to: web, protocol: HTTPS, data: [card], authentication: password}
  - {id: f2, from: web, to: db, protocol: SQL, data: [card]}
  - {id: f3, from: web, to: queue, protocol: AMQP}
  - {id: f4, from: queue, to: web, protocol: AMQP}
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  tmc::load::MemoryFileSystem fs;
  size_t cut = input.find("\n---8<---\n");
  fs.files["/m/fuzz.rules.yaml"] = std::string(input.substr(0, cut));
  fs.files["/m/model.tm.yaml"] = cut == std::string_view::npos ? std::string(kModel) : std::string(input.substr(cut + 10));

  tmc::SourceManager sources;
  tmc::DiagnosticSink sink;
  tmc::load::LoadLimits limits;
  limits.max_nodes = 100'000;
  limits.max_alias_nodes = 100'000;
  tmc::analyze::RuleLibrary rules;  // the user's rules alone: the findings are theirs
  rules.add_file("/m/fuzz.rules.yaml", fs, limits, sources, sink);
  tmc::cli::PrintOptions print;
  if (!tmc::fuzz::terminal_clean(tmc::cli::format_diagnostics(sink.sorted(), sources, print))) {
    tmc::fuzz::fail("rule diagnostics are not terminal-safe", tmc::cli::format_diagnostics(sink.sorted(), sources, print));
  }
  if (sink.has_errors() || rules.size() == 0) return 0;
  auto documents = tmc::load::load_model("/m/model.tm.yaml", fs, limits, sources, sink);
  if (sink.has_errors()) return 0;
  tmc::model::BuildOptions build;
  build.extra_controls = rules.controls();
  auto model = tmc::model::build_model(documents, sink, build);
  if (!model) return 0;
  tmc::analyze::AnalyzeOptions options;
  options.today = *tmc::parse_date("2026-11-29");
  tmc::analyze::Analysis first = tmc::analyze::analyze(*model, rules, options, sink);
  std::vector<std::string> ids = rules.ids();
  for (const auto& finding : first.findings) {
    if (rules.find(finding.rule) < 0) tmc::fuzz::fail("a finding names no rule of the library", finding.rule);
    bool known = model->find_element(finding.target_id) >= 0 || model->find_flow(finding.target_id) >= 0;
    if (!known) tmc::fuzz::fail("a finding names no element or flow of the model", finding.target_id);
  }
  auto again = tmc::analyze::run_rules(*model, first.crossings, rules);
  if (again.size() != first.findings.size()) tmc::fuzz::fail("rule findings are not deterministic", "");
  for (size_t i = 0; i < again.size(); ++i) {
    if (again[i].rule != first.findings[i].rule || again[i].target_id != first.findings[i].target_id) {
      tmc::fuzz::fail("rule findings are not deterministic", again[i].rule);
    }
  }
  return 0;
}
