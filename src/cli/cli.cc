#include "cli/cli.h"

#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <vector>

#include "base/suggest.h"
#include "cli/command.h"

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
    {"coverage", define_coverage},
    {"tree", define_tree},
    {"rules", define_rules},
    {"controls", define_controls},
    {"cvss", define_cvss},
    {"schema", define_schema},
    {"init", define_init},
    {"version", define_version},
};

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const CommandSpec& command : kCommands) names.emplace_back(command.name);
  return names;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app("tmc, the threat model compiler: checks a threat model written as YAML like a compiler checks "
               "source, finds the threats it misses, ranks them and renders what people read.",
               "tmc");
  app.require_subcommand(0, 1);
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

  // An unknown command gets a suggestion instead of CLI11's generic error.
  if (argc > 1 && argv[1][0] != '-') {
    std::string word = argv[1];
    std::vector<std::string> names = command_names();
    names.push_back("help");
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      std::fprintf(stderr, "tmc: unknown command '%s'%s\nRun 'tmc --help' for the list of commands.\n",
                   word.c_str(), did_you_mean(word, names).c_str());
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return 0;
  } catch (const CLI::ParseError& error) {
    std::string where;
    for (CLI::App* sub : app.get_subcommands()) where = sub->get_name();
    std::fprintf(stderr, "tmc%s%s: error: %s\nRun 'tmc %s--help' for usage.\n", where.empty() ? "" : " ",
                 where.c_str(), error.what(), where.empty() ? "" : (where + " ").c_str());
    return 2;
  }
  if (help->parsed()) {
    if (help_topic.empty()) {
      std::fputs(app.help().c_str(), stdout);
      return 0;
    }
    for (CLI::App* sub : app.get_subcommands({})) {
      if (sub->get_name() == help_topic) {
        std::fputs(sub->help("tmc").c_str(), stdout);
        return 0;
      }
    }
    std::fprintf(stderr, "tmc: unknown command '%s'%s\n", help_topic.c_str(),
                 did_you_mean(help_topic, command_names()).c_str());
    return 2;
  }
  if (app.get_subcommands().empty()) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  }
  return exit_code;
}

}  // namespace tmc::cli
