// The command table. Each command lives in its own cmd_*.cc file and
// provides a `define` function that adds its CLI11 subcommand (flags and
// help) and sets `*exit_code` from its callback.
//
// To add a command: write src/cli/cmd_NAME.cc with
//   void define_NAME(CLI::App& app, int* exit_code);
// declare it below and add a row to kCommands in cli.cc.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "base/date.h"
#include "base/diagnostic.h"
#include "load/loader.h"

namespace tmc::cli {

struct CommandSpec {
  const char* name;  // also in the define function's add_subcommand(); --help lists commands in table order
  void (*define)(CLI::App& app, int* exit_code);
};

void define_check(CLI::App& app, int* exit_code);
void define_controls(CLI::App& app, int* exit_code);
void define_version(CLI::App& app, int* exit_code);
void define_completion(CLI::App& app, int* exit_code);
void define_init(CLI::App& app, int* exit_code);
void define_schema(CLI::App& app, int* exit_code);
void define_threats(CLI::App& app, int* exit_code);
void define_crossings(CLI::App& app, int* exit_code);
void define_facts(CLI::App& app, int* exit_code);
void define_coverage(CLI::App& app, int* exit_code);
void define_rules(CLI::App& app, int* exit_code);
void define_cvss(CLI::App& app, int* exit_code);
void define_tree(CLI::App& app, int* exit_code);
void define_report(CLI::App& app, int* exit_code);
void define_diagram(CLI::App& app, int* exit_code);
void define_backlog(CLI::App& app, int* exit_code);
void define_diff(CLI::App& app, int* exit_code);
void define_import(CLI::App& app, int* exit_code);
void define_export(CLI::App& app, int* exit_code);
void define_baseline(CLI::App& app, int* exit_code);

// Flags shared by every command that reads a model.
struct ModelOptions {
  std::string path;
  bool strict = false;
  std::string max_file_size = "16M";
  std::vector<std::string> rule_files;
  std::string policy;          // --policy FILE or $TMC_POLICY; empty = none
  std::string today;           // --today YYYY-MM-DD; empty = the clock
  std::string color = "auto";  // auto | always | never
  bool excerpt = false;
  std::string fail_on;         // --fail-on BUCKET; empty = the top bucket
  bool fail_on_stale = false;
  bool fail_on_overdue = false;  // --fail-on-overdue
  std::string baseline;          // check --baseline FILE; empty = none
  // What the analysis computes for the reports only (check shows none of
  // it; `report` asks for what its format shows): the STRIDE coverage
  // matrix, the items' fingerprints, the reasons a finding was raised and
  // the facts it rests on.
  bool coverage = true;
  bool fingerprints = true;
  bool raises = true;
};

// Adds MODEL and the shared flags to `command`.
void add_model_options(CLI::App& command, ModelOptions& options);

// Parses sizes such as 16M, 512K, 2G or a plain number of bytes; nullopt
// for anything else, including a size that does not fit in size_t.
std::optional<size_t> parse_size(const std::string& text);

// Whether to color output on a stream, from --color and NO_COLOR.
bool use_color(const std::string& mode, int fd);

}  // namespace tmc::cli
