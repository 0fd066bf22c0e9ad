#include "cli/cli.h"

#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "base/suggest.h"
#include "base/version.h"
#include "cli/command.h"
#include "cli/docgen.h"
#include "cli/output.h"

namespace tmc::cli {

namespace {

const CommandSpec kCommands[] = {
    {"check", define_check},
    {"report", define_report},
    {"diagram", define_diagram},
    {"backlog", define_backlog},
    {"baseline", define_baseline},
    {"threats", define_threats},
    {"crossings", define_crossings},
    {"facts", define_facts},
    {"coverage", define_coverage},
    {"diff", define_diff},
    {"tree", define_tree},
    {"rules", define_rules},
    {"controls", define_controls},
    {"cvss", define_cvss},
    {"schema", define_schema},
    {"init", define_init},
    {"import", define_import},
    {"export", define_export},
    {"version", define_version},
    {"completion", define_completion},
};

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const CommandSpec& command : kCommands) names.emplace_back(command.name);
  return names;
}

int run_command_line(int argc, char** argv) {
  CLI::App app("tmc, the threat model compiler: checks a threat model written as YAML like a compiler checks "
               "source, finds the threats it misses, ranks them and renders what people read.",
               "tmc");
  app.require_subcommand(0, 1);
  app.set_version_flag("-V,--version", fmt::format("tmc {}", version()), "Print the version of tmc and exit");
  app.fallthrough(false);
  app.footer(
      "Examples:\n"
      "  tmc init --template web-login threat-model.tm.yaml\n"
      "  tmc check threat-model.tm.yaml\n"
      "  tmc help check\n\n"
      "Exit codes: 0 success, 1 the model is valid but not done, 2 invalid model, bad usage or I/O error.");
  int exit_code = 0;
  for (const CommandSpec& command : kCommands) command.define(app, &exit_code);
  CLI::App* help = app.add_subcommand("help", "Show help for a command");
  std::string help_topic;
  help->add_option("COMMAND", help_topic, "The command to explain");
  bool man = false;
  help->add_flag("--man", man, "Print the manual page tmc(1) in roff (man -l <(tmc help --man))");

  // An unknown command gets a suggestion instead of CLI11's generic error.
  if (argc > 1 && argv[1][0] != '-') {
    std::string word = argv[1];
    std::vector<std::string> names = command_names();
    names.push_back("help");
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      print_err(fmt::format("tmc: unknown command '{}'{}\nRun 'tmc --help' for the list of commands.\n",
                   word, did_you_mean(word, names)));
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    print_out(app.help());
    return 0;
  } catch (const CLI::CallForVersion& version_text) {
    print_out(fmt::format("{}\n", version_text.what()));
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    print_out(app.help("", CLI::AppFormatMode::All));
    return 0;
  } catch (const CLI::ParseError& error) {
    std::string where;
    for (CLI::App* sub : app.get_subcommands()) where = sub->get_name();
    print_err(fmt::format("tmc{}{}: error: {}\nRun 'tmc {}--help' for usage.\n", where.empty() ? "" : " ",
                 where, error.what(), where.empty() ? "" : (where + " ")));
    return 2;
  }
  if (help->parsed()) {
    if (man) {
      print_out(man_page(app));
      return 0;
    }
    if (help_topic.empty()) {
      print_out(app.help());
      return 0;
    }
    for (CLI::App* sub : app.get_subcommands({})) {
      if (sub->get_name() == help_topic) {
        print_out(sub->help("tmc"));
        return 0;
      }
    }
    print_err(fmt::format("tmc: unknown command '{}'{}\n", help_topic,
                 did_you_mean(help_topic, command_names())));
    return 2;
  }
  if (app.get_subcommands().empty()) {
    print_out(app.help());
    return 0;
  }
  return exit_code;
}

}  // namespace

int run(int argc, char** argv) {
  // No exception leaves tmc: the libraries report problems as diagnostics,
  // and anything unexpected (a library that throws, memory exhaustion)
  // becomes one message and exit 2 instead of an abort.
  int exit_code = 2;
  try {
    exit_code = run_command_line(argc, argv);
  } catch (const std::bad_alloc&) {
    print_err("tmc: error: out of memory\n");
    exit_code = 2;
  } catch (const std::exception& error) {
    print_err(fmt::format("tmc: error: internal error: {}\n", error.what()));
    exit_code = 2;
  } catch (...) {
    print_err("tmc: error: internal error (unknown exception)\n");
    exit_code = 2;
  }
  if (!finish_stdout()) exit_code = 2;
  return exit_code;
}

}  // namespace tmc::cli
