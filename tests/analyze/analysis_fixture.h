// Test helper: load, build and analyze a model from text or a file.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "analyze/analyze.h"
#include "load/loader.h"
#include "model/builder.h"

namespace tmc::testing_support {

struct Analyzed {
  SourceManager sources;
  DiagnosticSink sink;
  analyze::RuleLibrary rules;
  std::optional<model::Model> model;
  std::optional<analyze::Analysis> analysis;

  std::string diagnostics() const {
    std::string out;
    for (const Diagnostic& d : sink.sorted()) {
      out += std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + " " + d.code + ": " + d.message + "\n";
    }
    return out;
  }
};

inline std::unique_ptr<Analyzed> analyze_documents(std::unique_ptr<Analyzed> run,
                                                   const std::vector<load::Document>& documents,
                                                   const analyze::AnalyzeOptions& options) {
  if (run->sink.has_errors()) return run;
  model::BuildOptions build;
  build.extra_controls = run->rules.controls();
  run->model = model::build_model(documents, run->sink, build);
  if (run->model) run->analysis = analyze::analyze(*run->model, run->rules, options, run->sink);
  return run;
}

inline analyze::AnalyzeOptions default_options() {
  analyze::AnalyzeOptions options;
  options.today = *parse_date("2026-11-22");
  return options;
}

inline std::unique_ptr<Analyzed> analyze_text(const std::string& text,
                                              const analyze::AnalyzeOptions& options = default_options()) {
  auto run = std::make_unique<Analyzed>();
  run->rules = analyze::RuleLibrary::builtin(run->sources, run->sink);
  load::MemoryFileSystem fs;
  fs.files["/m/model.tm.yaml"] = text;
  auto documents = load::load_model("/m/model.tm.yaml", fs, load::LoadLimits(), run->sources, run->sink);
  return analyze_documents(std::move(run), documents, options);
}

inline std::unique_ptr<Analyzed> analyze_file(const std::string& path,
                                              const analyze::AnalyzeOptions& options = default_options()) {
  auto run = std::make_unique<Analyzed>();
  run->rules = analyze::RuleLibrary::builtin(run->sources, run->sink);
  auto documents = load::load_model(path, load::DiskFileSystem(), load::LoadLimits(), run->sources, run->sink);
  return analyze_documents(std::move(run), documents, options);
}

}  // namespace tmc::testing_support
