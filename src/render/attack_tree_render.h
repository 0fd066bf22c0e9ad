// Attack trees for people: a terminal drawing with box-drawing characters
// and `<-- fix first` on the cheapest attack, a Mermaid flowchart, JSON.
#pragma once

#include <string>

#include "analyze/attack_tree.h"
#include "model/model.h"

namespace tmc::render {

std::string attack_tree_text(const model::Model& model, const analyze::TreeReport& report);
// A Mermaid flowchart of the given trees, one subgraph per tree.
std::string attack_tree_mermaid(const model::Model& model, const std::vector<analyze::TreeReport>& reports);
// One JSON object (text) for the tree: values per node, before/after, ranking.
std::string attack_tree_json(const model::Model& model, const analyze::TreeReport& report);

}  // namespace tmc::render
