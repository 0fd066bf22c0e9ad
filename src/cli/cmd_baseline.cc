// tmc baseline: records the open items of a model so that `check
// --baseline` gates only on what is new.
#include <fmt/format.h>

#include "analyze/baseline.h"
#include "cli/command.h"
#include "cli/output.h"
#include "cli/pipeline.h"

namespace tmc::cli {

namespace {
struct BaselineOptions {
  ModelOptions model;
  std::string output;
};
}  // namespace

void define_baseline(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<BaselineOptions>();
  CLI::App* command = app.add_subcommand("baseline", "Record today's open items so check gates only on new ones");
  add_model_options(*command, options->model);
  command->add_option("-o,--output", options->output, "Write the baseline to FILE ('-' = stdout); written atomically")
      ->required();
  command->footer(
      "Records every open threat and open rule finding (all buckets) by its fingerprint: the rule, the\n"
      "target and what matched, never line numbers. Commit the file next to the model; then\n"
      "'tmc check --baseline FILE' fails only on items the baseline does not hold, and notes the\n"
      "baseline items that have gone (fixed, answered or dismissed) so the file can be regenerated.\n"
      "The format is JSON, described in docs/baseline.md.\n\n"
      "Examples:\n"
      "  tmc baseline threat-model.tm.yaml -o tmc-baseline.json\n"
      "  tmc check --baseline tmc-baseline.json threat-model.tm.yaml\n\n"
      "Exit codes: 0 the baseline was written, 2 invalid model, bad usage or I/O error.");
  command->callback([options, exit_code] {
    auto front = load_model_file(options->model);
    print_diagnostics(*front, options->model);
    if (!front->analysis) {
      *exit_code = 2;
      return;
    }
    analyze::Baseline baseline = analyze::make_baseline(*front->model, *front->analysis);
    DiagnosticSink sink;
    if (!write_output(options->output, analyze::write_baseline(baseline, front->model->title), sink,
                      front->input_files())) {
      print_err(fmt::format("tmc: error: {}\n", sink.diagnostics()[0].message));
      *exit_code = 2;
      return;
    }
    if (options->output != "-") {
      print_err(fmt::format("recorded {} open item(s) in {}\n", baseline.entries.size(), options->output));
    }
    *exit_code = 0;
  });
}

}  // namespace tmc::cli
