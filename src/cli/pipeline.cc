#include "cli/output.h"
#include "cli/pipeline.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include "analyze/scoring.h"
#include "base/suggest.h"
#include "cli/diagnostic_printer.h"
#include "load/loader.h"
#include "model/builder.h"
#include "render/escape.h"

namespace tmc::cli {

namespace {

// Reads the policy file `path` into `front`'s sources; nullopt (with its
// diagnostics in `front`) when it cannot be read or is invalid.
std::optional<model::Policy> read_policy_file(const std::string& path, const load::FileSystem& disk,
                                              const load::LoadLimits& limits, FrontEnd& front) {
  std::string error;
  auto text = disk.read(path, limits.max_file_bytes, error);
  if (!text) {
    front.sink.error("read-error", {}, fmt::format("cannot read the policy file '{}': {}", path, error));
    return std::nullopt;
  }
  uint32_t file = front.sources.add(path, std::move(*text));
  load::SyntaxTree root = load::parse_document(file, front.sources, limits, front.sink);
  if (!root) return std::nullopt;
  std::string directory = disk.canonical(path).value_or(path);
  directory = directory.find('/') == std::string::npos ? "." : directory.substr(0, directory.rfind('/'));
  if (directory.empty()) directory = "/";
  return model::read_policy(*root, path, directory, front.sink);
}

}  // namespace

std::optional<size_t> parse_size(const std::string& text) {
  if (text.empty()) return std::nullopt;
  size_t factor = 1;
  std::string digits = text;
  char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(text.back())));
  if (unit == 'K' || unit == 'M' || unit == 'G') {
    factor = unit == 'K' ? 1024 : unit == 'M' ? 1024 * 1024 : 1024ull * 1024 * 1024;
    digits.pop_back();
  }
  if (digits.empty() || digits.size() > 20) return std::nullopt;
  size_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    // Overflow-checked: 17179869184G is 2^64 bytes, which wrapped to 0.
    if (__builtin_mul_overflow(value, size_t{10}, &value) ||
        __builtin_add_overflow(value, static_cast<size_t>(c - '0'), &value)) {
      return std::nullopt;
    }
  }
  size_t bytes = 0;
  if (__builtin_mul_overflow(value, factor, &bytes)) return std::nullopt;
  return bytes;
}

bool use_color(const std::string& mode, int fd) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return ::isatty(fd) != 0;
}

void add_model_options(CLI::App& command, ModelOptions& options) {
  command.add_option("MODEL", options.path, "The model file (.tm.yaml, .yaml or .json); - reads it from standard input")->required();
  command.add_flag("--strict", options.strict, "Treat the remaining warnings as errors: case-corrected spellings, undeclared crossings (unknown keys always are)");
  command.add_option("--max-file-size", options.max_file_size, "Largest input read, e.g. 16M (default), 512K: each file, and a model with its includes together")
      ->capture_default_str();
  // One value per flag: `--rules r.yaml model.tm.yaml` must leave the model
  // to MODEL (repeat the flag for more files).
  command.add_option("--rules", options.rule_files, "Load extra rules from FILE (repeatable: --rules a.yaml --rules b.yaml)")
      ->allow_extra_args(false);
  command.add_option("--policy", options.policy,
                     "The organisation's policy file (docs/policy.md): scale, gate, required keys, locked rules, rule packs")
      ->envname("TMC_POLICY");
  command.add_option("--today", options.today, "Take this date (YYYY-MM-DD) as today");
  command.add_option("--color", options.color, "Color diagnostics: auto, always or never (NO_COLOR is honored)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command.add_flag("--excerpt", options.excerpt, "Show the source line and a caret under each problem");
  command.add_option("--fail-on", options.fail_on,
                     "Gate bucket: open items at or above it make the model not done (fix-now, fix-soon, watch, "
                     "P0..P3, never; default: the top bucket)");
  command.add_flag("--fail-on-stale", options.fail_on_stale, "A model past its review date fails the gate");
  command.add_flag("--fail-on-overdue", options.fail_on_overdue,
                   "A mitigation past its due date and not done fails the gate");
}

std::vector<std::string> FrontEnd::input_files() const {
  std::vector<std::string> paths;
  for (uint32_t file = first_input_file; file <= sources.file_count(); ++file) paths.push_back(sources.path(file));
  return paths;
}

int FrontEnd::exit_code() const {
  if (model_errors > 0 || !analysis) return 2;
  // Counted over every error reported, not only the kept ones (a model
  // with more than kMaxKeptDiagnostics diagnostics).
  size_t gate_errors = sink.error_count("not-done") + sink.error_count("stale-model") + sink.error_count("overdue-mitigation");
  if (sink.error_count() > model_errors + gate_errors) return 2;
  return analysis->done && gate_errors == 0 ? 0 : 1;
}

void report_gate(FrontEnd& front) {
  if (!front.analysis || !front.model || front.analysis->done) return;
  const model::Model& m = *front.model;
  for (const analyze::RankedItem& item : front.analysis->ranked) {
    if (item.resolved || item.baselined) continue;
    if (item.kind == analyze::RankedItem::Kind::threat) {
      const model::Threat& threat = m.threats[static_cast<size_t>(item.index)];
      if (item.bucket.rank > front.gate_rank) continue;
      if (item.acceptance_expired) {
        front.sink.error("not-done", threat.location,
                         fmt::format("threat {} '{}' was accepted until {}, which has passed; it is open again in "
                                     "bucket {} (risk {}): review it and accept it anew with a later "
                                     "'accepted_until', or mitigate it",
                                     threat.id, threat.title, item.accepted_until->to_string(), item.bucket.name,
                                     item.risk));
        continue;
      }
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

// Notes on what the baseline holds and what has gone from it since.
void report_baseline(FrontEnd& front, const std::string& path) {
  const analyze::Analysis& analysis = *front.analysis;
  SourceLocation at = front.model->location;
  if (analysis.baselined > 0) {
    front.sink.report({Severity::note, "baselined", fmt::format("{} open item(s) are held by the baseline {} and do not fail the gate",
                                                               analysis.baselined, path),
                       at, {}});
  }
  // New since the baseline but below the gate: they pass today, and the
  // change that added them should still say so.
  size_t below = 0;
  for (const analyze::RankedItem& item : analysis.ranked) {
    if (!item.resolved && !item.baselined && item.bucket.rank > front.gate_rank) ++below;
  }
  if (below > 0) {
    front.sink.report({Severity::note, "new-below-gate",
                       fmt::format("{} new open item{} (not in the baseline {}) below the gate: {} not fail it; 'tmc "
                                   "threats' lists {}",
                                   below, below == 1 ? "" : "s", path, below == 1 ? "it does" : "they do",
                                   below == 1 ? "it" : "them"),
                       at, {}});
  }
  for (const std::string& gone : analysis.baseline_gone) {
    front.sink.report({Severity::note, "baseline-gone",
                       fmt::format("'{}' is in the baseline {} but no longer open; regenerate the baseline with "
                                   "'tmc baseline' to drop it",
                                   gone, path),
                       at, {}});
  }
}

std::unique_ptr<FrontEnd> load_model_file(const ModelOptions& options) {
  load::DiskFileSystem disk;
  if (options.path != kStandardInput) return load_model_file(options, disk);
  // `-` is the model on standard input (`git show REV:m | tmc check -`). It
  // is held as "<stdin>" in the current directory: its includes resolve,
  // and are confined, there. Standard input can be read once per run.
  // `tmc diff` loads its two sides on two threads.
  static std::atomic<bool> consumed{false};
  std::string error;
  std::optional<std::string> text;
  if (consumed.exchange(true)) {
    error = "standard input was already read for another model; only one model can come from '-'";
  } else {
    auto limit = parse_size(options.max_file_size);
    text = load::read_standard_input(limit.value_or(load::LoadLimits().max_file_bytes), error);
  }
  if (!text) {
    auto front = std::make_unique<FrontEnd>(options.strict);
    front->sink.error("read-error", {}, fmt::format("cannot read the model from standard input: {}", error));
    front->model_errors = front->sink.error_count();
    return front;
  }
  load::OverlayFileSystem with_stdin(disk, load::current_directory() + "/" + kStandardInputName, std::move(*text));
  ModelOptions named = options;
  named.path = kStandardInputName;
  return load_model_file(named, with_stdin);
}

std::unique_ptr<FrontEnd> load_model_file(const ModelOptions& options, const load::FileSystem& model_files,
                                          bool empty_model) {
  auto front = std::make_unique<FrontEnd>(options.strict);
  load::LoadLimits limits;
  auto size = parse_size(options.max_file_size);
  if (!size) {
    front->sink.error("usage", {},
                      fmt::format("--max-file-size takes a size such as 16M, 512K or 1000000 (at most {} bytes), not '{}'",
                                  std::numeric_limits<size_t>::max(), options.max_file_size));
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
  front->first_input_file = static_cast<uint32_t>(front->sources.file_count()) + 1;
  std::vector<std::string> pack_rules;  // the ids of the policy's mandatory rule packs
  if (!options.policy.empty()) {
    front->policy = read_policy_file(options.policy, disk, limits, *front);
    if (front->policy) {
      if (front->policy->strict) front->sink.set_strict(true);
      std::vector<std::string> before = front->rules.ids();
      for (const std::string& pack : front->policy->rule_packs) {
        front->rules.add_file(pack, disk, limits, front->sources, front->sink);
      }
      for (const std::string& id : front->rules.ids()) {
        if (std::find(before.begin(), before.end(), id) == before.end()) pack_rules.push_back(id);
      }
    }
  }
  for (const std::string& file : options.rule_files) front->rules.add_file(file, disk, limits, front->sources, front->sink);
  if (front->sink.has_errors()) {
    front->model_errors = front->sink.error_count();
    return front;
  }
  std::vector<load::Document> documents;
  if (empty_model) {
    front->model.emplace();
  } else {
    documents = load::load_model(options.path, model_files, limits, front->sources, front->sink);
  }
  if (!front->sink.has_errors() && !empty_model) {
    model::BuildOptions build;
    build.extra_controls = front->rules.controls();
    build.known_rules = front->rules.ids();
    front->model = model::build_model(documents, front->sink, build);
    if (front->model && front->policy) {
      const load::Node* root = documents.empty() ? nullptr : documents.front().root;
      model::check_policy(*front->policy, *front->model, root, pack_rules, front->sink);
      if (front->sink.has_errors()) front->model.reset();
    }
  }
  documents.clear();  // the model owns copies: free the syntax trees before analysis
  front->model_errors = front->sink.error_count();
  if (!front->model) return front;
  analyze::AnalyzeOptions analyze_options;
  analyze_options.today = today;
  analyze_options.fail_on_stale = options.fail_on_stale;
  // The policy's gate is the default, and the weakest gate allowed.
  std::string fail_on = options.fail_on;
  if (front->policy && !front->policy->fail_on.empty()) {
    auto floor = analyze::parse_fail_on(front->model->scale, front->policy->fail_on);
    if (!floor) {
      front->sink.error("policy-violation", front->policy->fail_on_location,
                        fmt::format("the policy's gate '{}' is not a bucket of this scale-{} model",
                                    front->policy->fail_on, front->model->scale));
      front->model_errors = front->sink.error_count();
      return front;
    }
    auto asked = fail_on.empty() ? floor : analyze::parse_fail_on(front->model->scale, fail_on);
    if (asked && *asked < *floor) {
      front->sink.error("usage", {},
                        fmt::format("--fail-on {} is a weaker gate than the policy's ({}, in '{}'); the policy sets the "
                                    "weakest gate a run may use",
                                    fail_on, front->policy->fail_on, front->policy->path));
      front->model_errors = front->sink.error_count();
      return front;
    }
    if (fail_on.empty()) fail_on = front->policy->fail_on;
  }
  if (!fail_on.empty()) {
    auto rank = analyze::parse_fail_on(front->model->scale, fail_on);
    if (!rank) {
      std::vector<std::string> names = {"never"};
      for (const auto& bucket : analyze::buckets_of(front->model->scale)) names.push_back(bucket.name);
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      front->sink.error("usage", {},
                        fmt::format("--fail-on '{}' is not a bucket of this scale-{} model (use one of: {}){}",
                                    fail_on, front->model->scale, list, did_you_mean(fail_on, names)));
      front->model_errors = front->sink.error_count();
      return front;
    }
    analyze_options.fail_on_rank = *rank;
  }
  front->gate_rank = analyze_options.fail_on_rank;
  analyze_options.fail_on_overdue = options.fail_on_overdue;
  analyze_options.coverage = options.coverage;
  analyze_options.fingerprints = options.fingerprints;
  analyze_options.raises = options.raises;
  std::optional<analyze::Baseline> baseline;
  if (!options.baseline.empty()) {
    std::string error;
    auto text = disk.read(options.baseline, limits.max_file_bytes, error);
    if (!text) {
      front->sink.error("read-error", {}, fmt::format("cannot read baseline '{}': {}", options.baseline, error));
    } else if (text->size() > limits.max_file_bytes) {  // read up to one byte past the limit
      front->sink.error("file-too-large", {},
                        fmt::format("cannot read baseline '{}': it holds more than {} bytes, the limit (change it with "
                                    "--max-file-size)",
                                    options.baseline, limits.max_file_bytes));
    } else {
      uint32_t file = front->sources.add(options.baseline, *text);
      baseline = analyze::parse_baseline(*text, file, front->sink);
    }
    if (!baseline) {
      front->model_errors = front->sink.error_count();
      return front;
    }
    analyze_options.baseline = &*baseline;
  }
  front->analysis = analyze::analyze(*front->model, front->rules, analyze_options, front->sink);
  if (front->analysis && baseline) report_baseline(*front, options.baseline);
  return front;
}

void print_diagnostics(const FrontEnd& front, const ModelOptions& options) {
  PrintOptions print;
  print.color = use_color(options.color, STDERR_FILENO);
  print.excerpt = options.excerpt || ::isatty(STDERR_FILENO) != 0;
  std::string text = format_diagnostics(front.sink.sorted(), front.sources, print);
  // Open items the gate does not count (a lower bucket), beside those it does.
  size_t open_items = 0;
  if (front.analysis) {
    for (const analyze::RankedItem& item : front.analysis->ranked) open_items += !item.resolved && !item.baselined ? 1 : 0;
  }
  const size_t blocking = front.sink.error_count("not-done");
  text += render::terminal_safe(summary_line(options.path == kStandardInput ? kStandardInputName : options.path, front.sink,
                                             open_items > blocking ? open_items - blocking : 0));
  print_err(text, print.color ? Colors::kept : Colors::escaped);
}

}  // namespace tmc::cli
