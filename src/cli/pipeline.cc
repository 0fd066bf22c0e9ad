#include "cli/pipeline.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "analyze/scoring.h"
#include "base/suggest.h"
#include "cli/diagnostic_printer.h"
#include "model/builder.h"

namespace tmc::cli {

std::optional<size_t> parse_size(const std::string& text) {
  if (text.empty()) return std::nullopt;
  size_t factor = 1;
  std::string digits = text;
  char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(text.back())));
  if (unit == 'K' || unit == 'M' || unit == 'G') {
    factor = unit == 'K' ? 1024 : unit == 'M' ? 1024 * 1024 : 1024ull * 1024 * 1024;
    digits.pop_back();
  }
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoull(digits) * factor;
}

bool use_color(const std::string& mode, int fd) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return ::isatty(fd) != 0;
}

void add_model_options(CLI::App& command, ModelOptions& options) {
  command.add_option("MODEL", options.path, "The model file (.tm.yaml, .yaml or .json)")->required();
  command.add_flag("--strict", options.strict, "Treat unknown keys and undeclared crossings as errors");
  command.add_option("--max-file-size", options.max_file_size, "Largest file read, e.g. 16M (default), 512K")
      ->capture_default_str();
  command.add_option("--rules", options.rule_files, "Load extra rules from FILE (repeatable)");
  command.add_option("--today", options.today, "Take this date (YYYY-MM-DD) as today");
  command.add_option("--color", options.color, "Color diagnostics: auto, always or never (NO_COLOR is honored)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command.add_flag("--excerpt", options.excerpt, "Show the source line and a caret under each problem");
  command.add_option("--fail-on", options.fail_on,
                     "Gate bucket: open items at or above it make the model not done (fix-now, fix-soon, watch, "
                     "P0..P3, never; default: the top bucket)");
  command.add_flag("--fail-on-stale", options.fail_on_stale, "A model past its review date fails the gate");
}

int FrontEnd::exit_code() const {
  if (model_errors > 0 || !analysis) return 2;
  size_t gate_errors = 0;
  for (const Diagnostic& d : sink.diagnostics()) {
    if (d.severity == Severity::error && (d.code == "not-done" || d.code == "stale-model")) ++gate_errors;
  }
  if (sink.error_count() > model_errors + gate_errors) return 2;
  return analysis->done && gate_errors == 0 ? 0 : 1;
}

void report_gate(FrontEnd& front) {
  if (!front.analysis || !front.model || front.analysis->done) return;
  const model::Model& m = *front.model;
  for (const analyze::RankedItem& item : front.analysis->ranked) {
    if (item.resolved) continue;
    if (item.kind == analyze::RankedItem::Kind::threat) {
      const model::Threat& threat = m.threats[static_cast<size_t>(item.index)];
      if (item.bucket.rank > front.gate_rank) continue;
      front.sink.error("not-done", threat.location,
                       fmt::format("threat {} '{}' is {} in bucket {} (risk {}); mitigate, accept, transfer or "
                                   "eliminate it",
                                   threat.id, threat.title, model::to_string(threat.status), item.bucket.name, item.risk));
    } else {
      const analyze::RuleFinding& finding = front.analysis->findings[static_cast<size_t>(item.index)];
      if (item.bucket.rank > front.gate_rank) continue;
      front.sink.error("not-done", finding.location,
                       fmt::format("finding {} on '{}' is open in bucket {} (risk {}): {}; answer it with a threat "
                                   "(rule: {}) or dismiss it",
                                   finding.rule, finding.target_id, item.bucket.name, item.risk, finding.why, finding.rule));
    }
  }
}

std::unique_ptr<FrontEnd> load_model_file(const ModelOptions& options) {
  auto front = std::make_unique<FrontEnd>(options.strict);
  load::LoadLimits limits;
  auto size = parse_size(options.max_file_size);
  if (!size) {
    front->sink.error("usage", {}, "--max-file-size takes a size such as 16M, 512K or 1000000");
    return front;
  }
  limits.max_file_bytes = *size;
  Date today = today_utc();
  if (!options.today.empty()) {
    auto parsed = parse_date(options.today);
    if (!parsed) {
      front->sink.error("usage", {}, fmt::format("--today takes a date as YYYY-MM-DD, not '{}'", options.today));
      front->model_errors = front->sink.error_count();
      return front;
    }
    today = *parsed;
  }
  load::DiskFileSystem disk;
  front->rules = analyze::RuleLibrary::builtin(front->sources, front->sink);
  for (const std::string& file : options.rule_files) front->rules.add_file(file, disk, limits, front->sources, front->sink);
  if (front->sink.has_errors()) {
    front->model_errors = front->sink.error_count();
    return front;
  }
  auto documents = load::load_model(options.path, disk, limits, front->sources, front->sink);
  if (!front->sink.has_errors()) {
    model::BuildOptions build;
    build.extra_controls = front->rules.controls();
    front->model = model::build_model(documents, front->sink, build);
  }
  documents.clear();  // the model owns copies: free the syntax trees before analysis
  front->model_errors = front->sink.error_count();
  if (!front->model) return front;
  analyze::AnalyzeOptions analyze_options;
  analyze_options.today = today;
  analyze_options.fail_on_stale = options.fail_on_stale;
  if (!options.fail_on.empty()) {
    auto rank = analyze::parse_fail_on(front->model->scale, options.fail_on);
    if (!rank) {
      std::vector<std::string> names = {"never"};
      for (const auto& bucket : analyze::buckets_of(front->model->scale)) names.push_back(bucket.name);
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      front->sink.error("usage", {},
                        fmt::format("--fail-on '{}' is not a bucket of this scale-{} model (use one of: {}){}",
                                    options.fail_on, front->model->scale, list, did_you_mean(options.fail_on, names)));
      front->model_errors = front->sink.error_count();
      return front;
    }
    analyze_options.fail_on_rank = *rank;
  }
  front->gate_rank = analyze_options.fail_on_rank;
  front->analysis = analyze::analyze(*front->model, front->rules, analyze_options, front->sink);
  return front;
}

void print_diagnostics(const FrontEnd& front, const ModelOptions& options) {
  PrintOptions print;
  print.color = use_color(options.color, STDERR_FILENO);
  print.excerpt = options.excerpt || ::isatty(STDERR_FILENO) != 0;
  std::string text = format_diagnostics(front.sink.sorted(), front.sources, print);
  text += summary_line(options.path, front.sink);
  std::fputs(text.c_str(), stderr);
}

}  // namespace tmc::cli
