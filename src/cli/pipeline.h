// The pipeline every model-reading command runs: load -> model (and, for
// the commands that need it, analyze). Stops between stages when a stage
// reported errors.
#pragma once

#include <memory>
#include <optional>

#include "analyze/analysis.h"
#include "analyze/analyze.h"
#include "analyze/rules.h"
#include "base/diagnostic.h"
#include "base/source.h"
#include "cli/command.h"
#include "load/file_system.h"
#include "model/model.h"
#include "model/policy.h"

namespace tmc::cli {

struct FrontEnd {
  SourceManager sources;
  DiagnosticSink sink;
  analyze::RuleLibrary rules;
  std::optional<model::Model> model;        // set when the model is valid
  std::optional<analyze::Analysis> analysis;  // set when the analysis ran
  std::optional<model::Policy> policy;        // --policy / $TMC_POLICY, when given and valid
  size_t model_errors = 0;  // errors before the analysis (invalid model or usage)
  int gate_rank = 0;        // --fail-on as a bucket rank; -1 = never
  uint32_t first_input_file = 1;  // files before it are built in (the rule library)
  explicit FrontEnd(bool strict) : sink(strict) {}
  // The files this run read from disk (the model, its includes, --rules
  // files) as shown to users; outputs must never overwrite them.
  std::vector<std::string> input_files() const;
  // Exit code by SPEC 4: 2 invalid, 1 valid but not done (or stale under
  // --fail-on-stale), 0 done.
  int exit_code() const;
};

// A model path of `-` reads the model from standard input; diagnostics
// name it kStandardInputName.
inline constexpr const char* kStandardInput = "-";
inline constexpr const char* kStandardInputName = "<stdin>";

// Loads the rules (built-in and --rules), then loads and builds the model
// named by `options`, then analyzes it. Usage problems (a bad
// --max-file-size, --today or --fail-on) are diagnostics too.
std::unique_ptr<FrontEnd> load_model_file(const ModelOptions& options);
// The same with the model's files read through `model_files` (a git
// revision, for `tmc diff --git`); --rules files still come from disk.
// `empty_model` analyzes an empty model instead (a model that did not
// exist yet at that revision).
std::unique_ptr<FrontEnd> load_model_file(const ModelOptions& options, const load::FileSystem& model_files,
                                          bool empty_model = false);

// Adds one `not-done` error per open item at or above the gate's bucket.
void report_gate(FrontEnd& front);

// Prints the diagnostics of `front` to stderr in file order, compiler
// style, followed by a summary line when there are any.
void print_diagnostics(const FrontEnd& front, const ModelOptions& options);

}  // namespace tmc::cli
