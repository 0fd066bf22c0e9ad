// tmc check: the compiler of threat models.
#include <cstdio>

#include "cli/command.h"
#include "cli/diagnostic_printer.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "cli/report_json.h"

namespace tmc::cli {

namespace {

#if defined(__SANITIZE_ADDRESS__)
#define TMC_FREE_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TMC_FREE_AT_EXIT 1
#endif
#endif

// Ends the front end's life at the end of `check`. A 10k-element model,
// its analysis and its diagnostics are hundreds of thousands of small
// heap objects; freeing them one by one just before the process exits is
// measurable (docs/performance.md) and buys nothing, so check lets the
// operating system take them back. Sanitizer builds free them, so that
// LeakSanitizer keeps watching every other allocation.
void end_of_check(std::unique_ptr<FrontEnd> front) {
#ifdef TMC_FREE_AT_EXIT
  front.reset();
#else
  (void)front.release();  // deliberate: see above
#endif
}

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
  command->add_option("--baseline", options->model.baseline,
                      "Gate only on items not in this baseline (written by 'tmc baseline'); report those gone");
  command->footer(
      "Prints every problem as path:line:col: severity: message [code] and nothing when the model is fine.\n\n"
      "Examples:\n"
      "  tmc check threat-model.tm.yaml\n"
      "  tmc check --strict --excerpt threat-model.tm.yaml\n"
      "  tmc check --format json threat-model.tm.yaml > diagnostics.json\n"
      "  tmc check --format github threat-model.tm.yaml   # in a GitHub Actions step: annotates the pull request\n"
      "  tmc baseline threat-model.tm.yaml -o tmc-baseline.json   # once, when adopting tmc\n"
      "  tmc check --baseline tmc-baseline.json threat-model.tm.yaml\n"
      "  tmc check --fail-on-overdue --today 2026-12-01 threat-model.tm.yaml\n\n"
      "Unknown keys are errors (keys starting with x- are yours, kept and ignored); --strict also turns the\n"
      "remaining warnings (case-corrected spellings, undeclared crossings...) into errors.\n\n"
      "Exit codes: 0 valid and done, 1 valid but not done (an open item at or above --fail-on that the\n"
      "baseline does not hold, an expired acceptance, or a stale model / overdue mitigation under\n"
      "--fail-on-stale / --fail-on-overdue), 2 invalid model, bad usage or I/O error.");
  // check shows no coverage matrix. Its text and annotations show neither
  // fingerprints nor raises; its JSON has the report's finding shape,
  // which holds both (and the facts that come with the raises).
  options->model.coverage = false;
  command->callback([options, exit_code] {
    options->model.fingerprints = options->model.raises = options->format == "json";
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
    end_of_check(std::move(front));
  });
}

}  // namespace tmc::cli
