// tmc check: the compiler of threat models.
#include <cstdio>

#include "cli/command.h"
#include "cli/diagnostic_printer.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "cli/report_json.h"

namespace tmc::cli {

namespace {
struct CheckOptions {
  ModelOptions model;
  std::string format = "text";
};
}  // namespace

void define_check(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* command = app.add_subcommand("check", "Check a model: diagnostics, analysis and the done gate");
  add_model_options(*command, options->model);
  command->add_option("--format", options->format, "Output: text (diagnostics on stderr), json or github (workflow annotations; both on stdout)")
      ->check(CLI::IsMember({"text", "json", "github"}));
  command->footer(
      "Prints every problem as path:line:col: severity: message [code] and nothing when the model is fine.\n\n"
      "Examples:\n"
      "  tmc check threat-model.tm.yaml\n"
      "  tmc check --strict --excerpt threat-model.tm.yaml\n"
      "  tmc check --format json threat-model.tm.yaml > diagnostics.json\n"
      "  tmc check --format github threat-model.tm.yaml   # in a GitHub Actions step: annotates the pull request\n\n"
      "Exit codes: 0 valid, 1 valid but not done, 2 invalid model, bad usage or I/O error.");
  command->callback([options, exit_code] {
    auto front = load_model_file(options->model);
    report_gate(*front);
    if (options->format == "json") {
      print_out(check_json(*front));
    } else if (options->format == "github") {
      print_out(format_github_annotations(front->sink.sorted(), front->sources));
    } else {
      print_diagnostics(*front, options->model);
    }
    *exit_code = front->exit_code();
  });
}

}  // namespace tmc::cli
