// tmc init: a starter model from a built-in template.
#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdio>
#include <string_view>

#include "cli/command.h"
#include "cli/output.h"

namespace tmc::embedded {
extern const std::string_view template_blank;
extern const std::string_view template_web_login;
extern const std::string_view template_payments;
}  // namespace tmc::embedded

namespace tmc::cli {

namespace {
struct InitOptions {
  std::string path = "threat-model.tm.yaml";
  std::string template_name = "blank";
  bool force = false;
};
}  // namespace

void define_init(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<InitOptions>();
  CLI::App* command = app.add_subcommand("init", "Write a starter model from a template");
  command->add_option("FILE", options->path, "Where to write the model")->capture_default_str();
  command->add_option("--template", options->template_name,
                      "blank (a commented skeleton), web-login or payments (complete, realistic models)")
      ->check(CLI::IsMember({"blank", "web-login", "payments"}))
      ->capture_default_str();
  command->add_flag("--force", options->force, "Overwrite an existing file");
  command->footer(
      "Examples:\n"
      "  tmc init                                  # threat-model.tm.yaml from the blank template\n"
      "  tmc init --template payments payments.tm.yaml");
  command->callback([options, exit_code] {
    std::string text(options->template_name == "web-login"  ? embedded::template_web_login
                     : options->template_name == "payments" ? embedded::template_payments
                                                            : embedded::template_blank);
    // A new model starts its review clock today.
    size_t reviewed = text.find("\nreviewed: ");
    if (reviewed != std::string::npos) text.replace(reviewed + 11, 10, today_utc().to_string());
    struct stat info {};
    if (!options->force && options->path != "-" && ::stat(options->path.c_str(), &info) == 0) {
      print_err(fmt::format("tmc: error: '{}' already exists; use --force to overwrite it\n", options->path));
      *exit_code = 2;
      return;
    }
    DiagnosticSink sink;
    if (!write_output(options->path, text, sink, {})) {
      print_err(fmt::format("tmc: error: {}\n", sink.diagnostics().front().message));
      *exit_code = 2;
      return;
    }
    if (options->path != "-") {
      print_err(fmt::format("wrote {} from the '{}' template; next: tmc check {}\n", options->path,
                   options->template_name, options->path));
    }
    *exit_code = 0;
  });
}

}  // namespace tmc::cli
