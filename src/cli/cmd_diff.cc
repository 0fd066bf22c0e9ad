// tmc diff: what changed between two versions of a model and whether the
// change needs a security review. Only wiring: the git revision is a
// load::GitFileSystem, the comparison is analyze::diff_models, the output
// is render/diff_render.h.
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <thread>

#include "analyze/diff.h"
#include "analyze/scoring.h"
#include "base/suggest.h"
#include "cli/command.h"
#include "cli/diagnostic_printer.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "load/git_file_system.h"
#include "render/diff_render.h"
#include "render/escape.h"

namespace tmc::cli {

namespace {

struct DiffOptions {
  ModelOptions model;              // shared flags; `path` unused
  std::vector<std::string> files;  // OLD NEW, or [MODEL] with --git
  std::string git;                 // --git REV
  std::string format = "text";
  std::string output = "-";
  std::string fail_on = "review";
  std::string link_base;
};

void usage_error(const std::string& message) { print_err(fmt::format("tmc diff: error: {}\n", message)); }

// Errors of an invalid side, one line each, without the warnings.
void print_errors(const FrontEnd& front, const ModelOptions& options) {
  std::vector<Diagnostic> errors;
  for (const Diagnostic& d : front.sink.sorted()) {
    if (d.severity == Severity::error) errors.push_back(d);
  }
  PrintOptions print;
  print.color = use_color(options.color, STDERR_FILENO);
  print.excerpt = options.excerpt;
  std::string text = format_diagnostics(errors, front.sources, print);
  print_err(text, print.color ? Colors::kept : Colors::escaped);
}

bool valid(const FrontEnd& front) { return front.analysis.has_value() && front.model_errors == 0 && !front.sink.has_errors(); }

void run_diff(const DiffOptions& options, int* exit_code) {
  *exit_code = 2;
  std::string format = options.format == "md" ? "markdown" : options.format;
  // --fail-on: review | never | new-finding=BUCKET (the bucket is checked
  // against the new model's scale below).
  std::string fail_bucket;
  if (options.fail_on.rfind("new-finding=", 0) == 0) {
    fail_bucket = options.fail_on.substr(12);
  } else if (options.fail_on != "review" && options.fail_on != "never") {
    usage_error(fmt::format("--fail-on takes review, never or new-finding=BUCKET, not '{}'{}", options.fail_on,
                            did_you_mean(options.fail_on, {"review", "never", "new-finding="})));
    return;
  }
  std::string old_path, new_path;
  if (!options.git.empty()) {
    if (options.files.size() > 1) {
      usage_error("with --git, give at most one MODEL (the model in the working tree)");
      return;
    }
    new_path = options.files.empty() ? "threat-model.tm.yaml" : options.files[0];
  } else {
    if (options.files.size() != 2) {
      usage_error("give two model files (OLD NEW), or --git REV [MODEL]; see 'tmc diff --help'");
      return;
    }
    old_path = options.files[0];
    new_path = options.files[1];
  }

  std::unique_ptr<load::GitFileSystem> git;
  ModelOptions old_options = options.model;
  ModelOptions new_options = options.model;
  new_options.path = new_path;
  old_options.path = old_path;
  bool old_is_empty = false;
  if (!options.git.empty()) {
    std::string error;
    git = load::GitFileSystem::open(options.git, new_path, error);
    if (!git) {
      usage_error(error);
      return;
    }
    old_options.path = git->shown_path();
    if (!git->exists()) {
      old_is_empty = true;
      print_err(fmt::format("tmc diff: note: '{}' does not exist at {}; comparing against an empty model\n", new_path,
                            options.git));
    }
  }

  // The two sides are independent: load and analyze them in parallel.
  // An exception on the second thread (out of memory) is rethrown here, so
  // it reaches the command line's handler like any other.
  std::unique_ptr<FrontEnd> before;
  std::exception_ptr old_side_failure;
  std::thread old_side([&] {
    try {
      before = git ? load_model_file(old_options, *git, old_is_empty) : load_model_file(old_options);
    } catch (...) {
      old_side_failure = std::current_exception();
    }
  });
  std::unique_ptr<FrontEnd> after;
  try {
    after = load_model_file(new_options);
  } catch (...) {
    old_side.join();
    throw;
  }
  old_side.join();
  if (old_side_failure) std::rethrow_exception(old_side_failure);

  if (!valid(*before) || !valid(*after)) {
    if (!valid(*before)) print_errors(*before, old_options);
    if (!valid(*after)) print_errors(*after, new_options);
    return;
  }
  int fail_rank = 0;
  if (!fail_bucket.empty()) {
    auto rank = analyze::parse_fail_on(after->model->scale, fail_bucket);
    if (!rank) {
      std::vector<std::string> names;
      for (const auto& bucket : analyze::buckets_of(after->model->scale)) names.push_back(bucket.name);
      usage_error(fmt::format("--fail-on new-finding='{}' is not a bucket of this scale-{} model{}", fail_bucket,
                              after->model->scale, did_you_mean(fail_bucket, names)));
      return;
    }
    fail_rank = *rank;
  }

  analyze::ModelDiff diff = analyze::diff_models({*before->model, *before->analysis}, {*after->model, *after->analysis});
  render::DiffRenderInput input{diff, before->sources, after->sources, old_is_empty ? options.git + " (no model)" : old_options.path,
                                new_path, options.link_base};
  std::string text;
  bool printed = false;  // colored terminal text goes out directly
  if (format == "markdown") {
    text = render::diff_markdown(input);
  } else if (format == "json") {
    text = render::diff_json(input);
  } else if (format == "github") {
    text = render::diff_github(input);
  } else {
    const bool to_terminal = options.output == "-";
    const bool color = to_terminal && use_color(options.model.color, STDOUT_FILENO);
    text = render::diff_text(input, color);
    if (color) {
      print_out(text, Colors::kept);  // the colors are tmc's own; the renderer escaped the model text
      printed = true;
    }
  }
  DiagnosticSink sink;
  std::vector<std::string> inputs = before->input_files();
  for (const std::string& file : after->input_files()) inputs.push_back(file);
  if (!printed && !write_output(options.output, text, sink, inputs)) {
    print_err(fmt::format("tmc diff: error: {}\n", sink.diagnostics()[0].message));
    return;
  }
  if (options.fail_on == "never") {
    *exit_code = 0;
  } else if (!fail_bucket.empty()) {
    bool failed = fail_rank >= 0 && std::any_of(diff.new_findings.begin(), diff.new_findings.end(),
                                                [&](const analyze::FindingChange& f) { return f.bucket.rank <= fail_rank; });
    *exit_code = failed ? 1 : 0;
  } else {
    *exit_code = diff.needs_review() ? 1 : 0;
  }
}

}  // namespace

void define_diff(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<DiffOptions>();
  CLI::App* command = app.add_subcommand("diff", "Compare two versions of a model: does this change need a security review?");
  command->add_option("FILES", options->files, "OLD NEW model files; with --git, the MODEL in the working tree (default threat-model.tm.yaml)");
  command->add_option("--git", options->git, "Compare MODEL as committed at REV (read with git, nothing checked out) with the working tree");
  command->add_option("--format", options->format, "Output: text, markdown (a pull-request comment), json or github (workflow annotations)")
      ->check(CLI::IsMember({"text", "markdown", "md", "json", "github"}));
  command->add_option("-o,--output", options->output, "Write to FILE atomically ('-' is stdout, the default)");
  command->add_option("--fail-on", options->fail_on,
                      "Exit 1 when: review (the change needs a security review; default), new-finding=BUCKET (a new open "
                      "finding at or above BUCKET, e.g. new-finding=fix-now or new-finding=P1), never");
  command->add_option("--link-base", options->link_base,
                      "Markdown: URL prefix for links to model lines, e.g. https://github.com/OWNER/REPO/blob/SHA/");
  command->add_flag("--strict", options->model.strict, "Treat unknown keys and undeclared crossings as errors");
  command->add_option("--max-file-size", options->model.max_file_size, "Largest input read, e.g. 16M (default), 512K: each file, and a model with its includes together")
      ->capture_default_str();
  // One value per flag: `--rules r.yaml OLD NEW` must leave OLD and NEW to
  // FILES (repeat the flag for more files).
  command->add_option("--rules", options->model.rule_files, "Load extra rules from FILE (repeatable: --rules a.yaml --rules b.yaml)")
      ->allow_extra_args(false);
  command->add_option("--today", options->model.today, "Take this date (YYYY-MM-DD) as today (staleness)");
  command->add_option("--color", options->model.color, "Color: auto, always or never (NO_COLOR is honored)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command->add_flag("--excerpt", options->model.excerpt, "Show the source line under each error of an invalid model");
  command->footer(
      "Both versions go through the whole pipeline (an invalid one is reported with its errors). Items are\n"
      "matched by id; a changed id with nothing else changed is a rename. The verdict is 'needs security\n"
      "review' when the change adds a crossing without defenses, puts sensitive data (pii, payment, health,\n"
      "credentials, secret, financial) on a crossing, opens a finding in the top two buckets, weakens a\n"
      "crossing or element, makes an attack cheaper, sets a mitigation back, accepts a risk or dismisses a\n"
      "finding, adds elements or crossings without STRIDE coverage, or matches a review_when entry.\n"
      "Cosmetic edits (names, descriptions, order, comments) never need a review. See docs/diff.md.\n\n"
      "Examples:\n"
      "  tmc diff old.tm.yaml new.tm.yaml\n"
      "  tmc diff --git HEAD~1                      # threat-model.tm.yaml as of HEAD~1 vs the working tree\n"
      "  tmc diff --git origin/main model.tm.yaml --format markdown -o comment.md\n"
      "  tmc diff --git main --format json | jq .verdict\n"
      "  tmc diff --git main --fail-on new-finding=fix-now\n\n"
      "Exit codes: 0 no security review needed (or --fail-on never), 1 review needed (or a new finding at\n"
      "or above the --fail-on bucket), 2 error: bad usage, an invalid model, a revision that does not exist,\n"
      "a path outside the repository, not a git repository (nothing is written then).");
  command->callback([options, exit_code] { run_diff(*options, exit_code); });
}

}  // namespace tmc::cli
