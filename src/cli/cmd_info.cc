// Small informational commands: controls, version, completion.
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/json_text.h"
#include "base/version.h"
#include "cli/command.h"
#include "cli/docgen.h"
#include "model/controls.h"
#include "cli/output.h"

namespace tmc::cli {

void define_controls(CLI::App& app, int* exit_code) {
  auto format = std::make_shared<std::string>("text");
  CLI::App* command = app.add_subcommand("controls", "List the known security controls");
  command->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  command->footer(
      "List these names under 'controls:' on elements and flows; the rules look for them. An unknown name\n"
      "is a warning with a suggestion, so a typo never silently counts as a control.");
  command->callback([format, exit_code] {
    const auto& controls = model::known_controls();
    if (*format == "json") {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const auto& control : controls) {
        list.push_back({{"name", control.name}, {"applies_to", control.applies_to}, {"description", control.description}});
      }
      print_out(json_document(list));
    } else {
      size_t width = 0;
      for (const auto& control : controls) width = std::max(width, control.name.size());
      std::string out;
      for (const auto& control : controls) {
        out += fmt::format("{:<{}}  {:<13}  {}\n", control.name, width, control.applies_to, control.description);
      }
      print_out(out);
    }
    *exit_code = 0;
  });
}

void define_version(CLI::App& app, int* exit_code) {
  CLI::App* command = app.add_subcommand("version", "Print the version of tmc");
  command->callback([exit_code] {
    print_out(fmt::format("tmc {}\n", tmc::version()));
    *exit_code = 0;
  });
}

void define_completion(CLI::App& app, int* exit_code) {
  auto shell = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("completion", "Print a shell completion script (bash, zsh or fish)");
  command->add_option("SHELL", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  command->footer(
      "Installed packages put these scripts where each shell finds them. To use one by hand:\n"
      "  bash: source <(tmc completion bash)              (or save it as ~/.local/share/bash-completion/completions/tmc)\n"
      "  zsh:  tmc completion zsh > ~/.zfunc/_tmc         (with fpath+=(~/.zfunc) before compinit)\n"
      "  fish: tmc completion fish > ~/.config/fish/completions/tmc.fish");
  // The completion describes the whole command line, so it reads the root.
  CLI::App* root = &app;
  command->callback([root, shell, exit_code] {
    print_out(completion_script(*root, *shell));
    *exit_code = 0;
  });
}

}  // namespace tmc::cli
