// tmc tree: attack trees with their cheapest attack.
#include <fmt/format.h>

#include <cstdio>

#include "analyze/attack_tree.h"
#include "base/suggest.h"
#include "cli/command.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "render/attack_tree_render.h"

namespace tmc::cli {

namespace {
struct TreeOptions {
  ModelOptions model;
  std::string id;
  std::vector<std::string> assume;
  std::string format = "text";
};
}  // namespace

void define_tree(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<TreeOptions>();
  CLI::App* command = app.add_subcommand("tree", "Attack trees: the cheapest attack, what to fix first, what-if");
  add_model_options(*command, options->model);
  command->add_option("ID", options->id, "Only this attack tree");
  command->add_option("--assume", options->assume, "Evaluate as if mitigation M were done (repeatable: --assume M1 --assume M2)")
      ->allow_extra_args(false);
  command->add_option("--format", options->format, "text, mermaid or json")->check(CLI::IsMember({"text", "mermaid", "json"}));
  command->footer("Costs: trivial 1, low 10, medium 100, high 1000, impossible; OR takes the cheapest child, AND pays\n"
                  "for all. A leaf whose mitigations are all done or verified is impossible.\n\n"
                  "Examples:\n  tmc tree threat-model.tm.yaml\n  tmc tree threat-model.tm.yaml AT1 --assume M7\n"
                  "  tmc tree --format mermaid threat-model.tm.yaml AT1");
  command->callback([options, exit_code] {
    auto front = load_model_file(options->model);
    if (!front->model || front->model_errors > 0) {
      print_diagnostics(*front, options->model);
      *exit_code = 2;
      return;
    }
    const model::Model& m = *front->model;
    std::set<int> assumed;
    for (const std::string& id : options->assume) {
      int index = m.find_mitigation(id);
      if (index < 0) {
        std::vector<std::string> ids = m.mitigation_ids.sorted_ids();
        print_err(fmt::format("tmc: error: no mitigation '{}' in the model{}\n", id, did_you_mean(id, ids)));
        *exit_code = 2;
        return;
      }
      assumed.insert(index);
    }
    std::vector<const model::AttackTree*> trees;
    for (const model::AttackTree& tree : m.attack_trees) {
      if (options->id.empty() || tree.id == options->id) trees.push_back(&tree);
    }
    if (!options->id.empty() && trees.empty()) {
      std::vector<std::string> ids;
      for (const auto& tree : m.attack_trees) ids.push_back(tree.id);
      print_err(fmt::format("tmc: error: no attack tree '{}' in the model{}\n", options->id,
                   did_you_mean(options->id, ids)));
      *exit_code = 2;
      return;
    }
    if (options->format == "mermaid") {
      std::vector<analyze::TreeReport> reports;
      reports.reserve(trees.size());
      for (const model::AttackTree* tree : trees) reports.push_back(analyze::report_tree(m, *tree, assumed));
      print_out(render::attack_tree_mermaid(m, reports));
    } else if (trees.empty() && options->format == "text") {
      print_out("the model has no attack trees\n");
    } else {
      // One tree at a time: memory does not grow with the number of trees.
      if (options->format == "json") print_out("[\n");
      for (size_t i = 0; i < trees.size(); ++i) {
        const analyze::TreeReport report = analyze::report_tree(m, *trees[i], assumed);
        if (options->format == "json") {
          std::string json = render::attack_tree_json(m, report);
          json.pop_back();
          print_out(json + (i + 1 < trees.size() ? ",\n" : "\n"));
        } else {
          print_out((i ? "\n" : "") + render::attack_tree_text(m, report));
        }
      }
      if (options->format == "json") print_out("]\n");
    }
    *exit_code = 0;
  });
}

}  // namespace tmc::cli
