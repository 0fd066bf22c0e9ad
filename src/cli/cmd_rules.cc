// tmc rules: the rule library, listed or explained.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "analyze/rule_language.h"
#include "analyze/rules.h"
#include "base/json_text.h"
#include "base/suggest.h"
#include "cli/command.h"
#include "cli/diagnostic_printer.h"
#include "cli/output.h"
#include "cli/table.h"
#include "load/file_system.h"

namespace tmc::cli {

namespace {

struct RulesOptions {
  std::string id;
  std::vector<std::string> rule_files;
  std::string format = "text";
};

std::string classes(const analyze::Rule& rule) {
  std::string out;
  for (int l = 0; l < model::kStrideCount; ++l) {
    if (model::has(rule.stride, static_cast<model::Stride>(l))) out += model::letter(static_cast<model::Stride>(l));
  }
  for (const char* name : model::privacy_names(rule.privacy)) out += (out.empty() ? "" : " ") + std::string(name);
  return out;
}

const char* target_name(analyze::RuleTarget target) {
  static const char* const kNames[] = {"element", "process", "store", "external", "flow", "crossing"};
  return kNames[static_cast<int>(target)];
}

// When a rule fires, in words: its condition, or for the checklist item the
// rules whose open findings it gathers.
std::string fires_when(const analyze::Rule& rule, const analyze::RuleLibrary& library) {
  if (!rule.collector) return analyze::describe(rule.when);
  std::vector<std::string> members;
  for (size_t i = 0; i < library.size(); ++i) {
    if (library.rule(i).checklist) members.push_back(library.rule(i).id);
  }
  return fmt::format("one of the checklist rules fires and is not answered ({})", fmt::join(members, ", "));
}

nlohmann::ordered_json rule_json(const analyze::Rule& rule, const analyze::RuleLibrary& library) {
  return {{"id", rule.id},         {"title", rule.title},         {"on", target_name(rule.target)},
          {"classes", classes(rule)}, {"likelihood", rule.likelihood}, {"impact", rule.impact},
          {"stakes", rule.stakes == analyze::RuleStakes::data           ? "data"
                     : rule.stakes == analyze::RuleStakes::availability ? "availability"
                                                                        : "none"},
          {"once", rule.once},
          {"folds", rule.folds},
          {"when", fires_when(rule, library)}, {"rationale", rule.rationale}, {"mitigation", rule.mitigation},
          {"references", rule.references}, {"source", rule.source}};
}

void run(const RulesOptions& options, int* exit_code) {
  SourceManager sources;
  DiagnosticSink sink;
  auto library = analyze::RuleLibrary::builtin(sources, sink);
  for (const std::string& file : options.rule_files) {
    library.add_file(file, load::DiskFileSystem(), load::LoadLimits(), sources, sink);
  }
  if (sink.has_errors()) {
    print_err(format_diagnostics(sink.sorted(), sources, {}));
    *exit_code = 2;
    return;
  }
  if (!options.id.empty()) {
    int index = library.find(options.id);
    if (index < 0) {
      print_err(fmt::format("tmc: error: no rule '{}'{}\n", options.id, did_you_mean(options.id, library.ids())));
      *exit_code = 2;
      return;
    }
    const analyze::Rule& rule = library.rule(static_cast<size_t>(index));
    if (options.format == "json") {
      print_out(json_document(rule_json(rule, library)));
    } else {
      std::string refs;
      for (const std::string& r : rule.references) refs += (refs.empty() ? "" : ", ") + r;
      const char* stakes =
          rule.stakes == analyze::RuleStakes::data           ? "the data at the target: impact rises to what is at stake there"
          : rule.stakes == analyze::RuleStakes::availability ? "availability: impact rises with the availability of the assets there"
                                                             : "nothing by itself (hardening): impact keeps its default";
      const char* exposure = rule.likelihood <= 1
                                 ? "likelihood stays 1 however exposed the target is (the weakness needs a further "
                                   "condition)"
                                 : "likelihood +1 when the target is exposed to the internet, -1 when no untrusted input "
                                   "reaches it";
      std::string folds =
          rule.folds.empty() ? ""
                             : fmt::format("folds:       {} (their open findings on its target, or on the flows into "
                                           "it, are parts of its item)\n",
                                           fmt::join(rule.folds, ", "));
      std::string text = fmt::format(
          "{}: {}\n\nclasses:     {}\napplies to:  every {}\nfires when:  {}\ndefaults:    likelihood {}, impact {} (scale 3; "
          "one step higher on scale 5); {}\nat stake:    {}\n{}{}\nwhy:         {}\nmitigation:  {}\n"
          "references:  {}\nsource:      {}\n",
          rule.id, rule.title, classes(rule), target_name(rule.target), fires_when(rule, library), rule.likelihood,
          rule.impact, exposure, stakes,
          rule.checklist   ? "grouping:    a hygiene reminder: its open findings are places of the checklist item\n"
          : rule.collector ? "grouping:    one item per model, a place for every open reminder; it scores like the "
                             "gravest of them\n"
          : rule.once      ? "grouping:    one item per model, every target a place of it\n"
                           : "",
          folds, rule.rationale, rule.mitigation, refs, rule.source);
      print_out(text);
    }
    *exit_code = 0;
    return;
  }
  if (options.format == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (size_t i = 0; i < library.size(); ++i) list.push_back(rule_json(library.rule(i), library));
    print_out(json_document(list));
  } else {
    std::vector<std::vector<std::string>> rows = {{"RULE", "ON", "CLASSES", "TITLE"}};
    for (size_t i = 0; i < library.size(); ++i) {
      const analyze::Rule& rule = library.rule(i);
      rows.push_back({rule.id, target_name(rule.target), classes(rule), rule.title});
    }
    std::string text = format_table(rows);
    text += fmt::format("\n{} rules. 'tmc rules ID' explains one.\n", library.size());
    print_out(text);
  }
  *exit_code = 0;
}

}  // namespace

void define_rules(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RulesOptions>();
  CLI::App* command = app.add_subcommand("rules", "List the rules, or explain one");
  command->add_option("ID", options->id, "Explain this rule");
  command->add_option("--rules", options->rule_files, "Also load the rules of FILE (repeatable: --rules a.yaml --rules b.yaml)")
      ->allow_extra_args(false);
  command->add_option("--format", options->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  command->footer("Examples:\n  tmc rules\n  tmc rules TMC-IDOR\n  tmc rules --rules team-rules.yaml\n\n"
                  "Rules are data (docs/rules.md); none can run code.");
  command->callback([options, exit_code] { run(*options, exit_code); });
}

}  // namespace tmc::cli
