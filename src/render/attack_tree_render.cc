#include "render/attack_tree_render.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "base/json_text.h"
#include "render/escape.h"

namespace tmc::render {

namespace {

using analyze::describe_cost;
using model::AttackNode;
using model::AttackNodeKind;

const char* kind_label(const AttackNode& node) {
  switch (node.kind) {
    case AttackNodeKind::and_node: return "AND ";
    case AttackNodeKind::or_node: return "OR  ";
    case AttackNodeKind::ref: return "REF ";
    case AttackNodeKind::leaf: return "";
  }
  return "";
}

std::string node_title(const model::Model& model, int index) {
  const AttackNode& node = model.attack_nodes[static_cast<size_t>(index)];
  if (node.kind == AttackNodeKind::ref && node.ref_index >= 0) {
    return "(shared " + node.ref->value + ") " + model.attack_nodes[static_cast<size_t>(node.ref_index)].title;
  }
  return node.title;
}

// "M1 done, M3 assumed done": each mitigation of a leaf with its status,
// or "assumed done" for one a what-if (--assume) takes as done.
std::string mitigation_names(const model::Model& model, const AttackNode& node, const std::set<int>& assumed) {
  std::string out;
  for (int m : node.mitigated_by_indexes) {
    const model::Mitigation& mitigation = model.mitigation(model.mitigation_index[static_cast<size_t>(m)]);
    out += (out.empty() ? "" : ", ") + mitigation.id + " " +
           (assumed.count(m) ? std::string("assumed done") : std::string(model::to_string(mitigation.status)));
  }
  return out;
}

// "medium", or "≤ 110" where a shared leaf below is paid once per path.
std::string node_cost(const analyze::TreeValues& values, size_t node) {
  return (values.cost_exact[node] ? "" : "≤ ") + describe_cost(values.cost[node]);
}

std::string method_text(const analyze::TreeValues& values) {
  switch (values.method) {
    case analyze::TreeMethod::exact_tree: return "exact (tree)";
    case analyze::TreeMethod::exact_dag:
      return fmt::format("exact (DAG, {} shared leaf{} paid once)", values.shared_leaves, values.shared_leaves == 1 ? "" : "s");
    case analyze::TreeMethod::upper_bound:
      return fmt::format("upper bound (DAG with {} shared leaves, past the exact limits); the cheapest attack costs between {} and {}",
                         values.shared_leaves, describe_cost(values.lower_bound), describe_cost(values.root_cost));
  }
  return "";
}

std::string cheapest_text(const analyze::TreeValues& values) {
  return (values.method == analyze::TreeMethod::upper_bound && !std::isinf(values.root_cost) ? "at most " : "") +
         describe_cost(values.root_cost);
}

std::string summary(const model::Model& model, const analyze::TreeReport& report) {
  const model::AttackTree& tree = *report.tree;
  std::string out = fmt::format("{}: {}", tree.id, one_line(tree.goal));
  if (tree.threat_index >= 0) out += fmt::format("  (threat {})", model.threats[static_cast<size_t>(tree.threat_index)].id);
  out += "\n";
  out += fmt::format("cheapest attack: {} now, {} ignoring mitigations\n", cheapest_text(report.after), cheapest_text(report.before));
  out += fmt::format("method: {}\n", method_text(report.after));
  if (!report.after.cheapest_leaves.empty()) {
    std::string leaves;
    for (int leaf : report.after.cheapest_leaves) {
      leaves += (leaves.empty() ? "" : " + ") + one_line(model.attack_nodes[static_cast<size_t>(leaf)].title);
    }
    out += "fix first: " + leaves + "\n";
  }
  std::string extras;
  if (report.after.min_skill) extras += fmt::format("least skill needed: {}", model::to_string(static_cast<model::Level>(*report.after.min_skill)));
  if (report.after.min_hours) {
    extras += fmt::format("{}quickest attack (of any, not only the cheapest): {}{:g}h", extras.empty() ? "" : "; ",
                          report.after.min_hours_exact ? "" : "at most ",
                          *report.after.min_hours);
  }
  extras += fmt::format("{}distinct minimal attacks: {}{}", extras.empty() ? "" : "; ",
                        report.after.attack_count_exact ? "" : "at most ", report.after.attack_count);
  out += extras + "\n";
  return out;
}

}  // namespace

std::string attack_tree_text(const model::Model& model, const analyze::TreeReport& report) {
  std::string out = summary(model, report);
  const model::AttackTree& tree = *report.tree;
  if (tree.root >= 0) {
    // Depth-first with explicit prefixes; shared nodes are drawn where they
    // are referenced, and their subtree is drawn once.
    struct Item {
      int node;
      std::string prefix;   // for this line
      std::string indent;   // for the children
    };
    std::vector<Item> stack{{tree.root, "", ""}};
    const analyze::TreeValues& v = report.after;
    while (!stack.empty()) {
      Item item = stack.back();
      stack.pop_back();
      const AttackNode& node = model.attack_nodes[static_cast<size_t>(item.node)];
      size_t i = static_cast<size_t>(item.node);
      std::string cost = node_cost(v, i);
      std::string detail;
      if (node.kind == AttackNodeKind::leaf && v.disabled[i]) {
        cost = fmt::format("{} -> impossible: {}", describe_cost(report.before.cost[i]), mitigation_names(model, node, report.assumed));
      } else if (node.kind == AttackNodeKind::leaf && !node.mitigated_by_indexes.empty()) {
        detail = fmt::format(" (mitigation {})", mitigation_names(model, node, report.assumed));
      }
      std::string title = item.node == tree.root && node.title.empty() ? tree.goal : node_title(model, item.node);
      out += fmt::format("{}{}{}  [{}]{}{}\n", item.prefix, kind_label(node), one_line(title), cost, one_line(detail),
                         v.fix_first[i] ? "  <-- fix first" : "");
      if (node.kind != AttackNodeKind::and_node && node.kind != AttackNodeKind::or_node) continue;
      for (size_t c = node.children.size(); c-- > 0;) {
        bool last = c + 1 == node.children.size();
        stack.push_back({node.children[c], item.indent + (last ? "└─ " : "├─ "), item.indent + (last ? "   " : "│  ")});
      }
    }
  }
  if (!report.planned.empty()) {
    out += "planned mitigations, by how much each alone raises the cheapest attack:\n";
    for (const analyze::MitigationImpact& impact : report.planned) {
      const model::Mitigation& m = model.mitigation(model.mitigation_index[static_cast<size_t>(impact.mitigation)]);
      std::string raise = std::isinf(impact.raise) ? "cuts every attack" : fmt::format("+{}", describe_cost(impact.raise));
      if (impact.raise == 0) raise = "no change";
      out += fmt::format("  {:<6} {:<18} -> {}  {}\n", m.id, raise, describe_cost(impact.raised_to), one_line(m.description));
    }
  }
  return out;
}

namespace {
std::string tree_mermaid(const model::Model& model, const analyze::TreeReport& report, std::vector<bool>& seen) {
  const model::AttackTree& tree = *report.tree;
  std::string out = fmt::format("  subgraph {}[\"{}\"]\n", mermaid_id("t", tree.id), mermaid_label(tree.id + ": " + tree.goal));
  std::vector<int> stack;
  if (tree.root >= 0) stack.push_back(tree.root);
  std::string edges;
  while (!stack.empty()) {
    int index = stack.back();
    stack.pop_back();
    if (seen[static_cast<size_t>(index)]) continue;
    seen[static_cast<size_t>(index)] = true;
    const AttackNode& node = model.attack_nodes[static_cast<size_t>(index)];
    std::string id = mermaid_id("n", std::to_string(index));
    std::string title = index == tree.root && node.title.empty() ? tree.goal : node_title(model, index);
    std::string label = mermaid_label(fmt::format("{}{} [{}]", kind_label(node), title, node_cost(report.after, static_cast<size_t>(index))));
    if (node.kind == AttackNodeKind::ref) {
      out += fmt::format("  {}([\"{}\"])\n", id, label);  // a stadium: "see the shared node"
      if (node.ref_index >= 0) {
        edges += fmt::format("  {} -.-> {}\n", id, mermaid_id("n", std::to_string(node.ref_index)));
        stack.push_back(node.ref_index);
      }
    } else {
      out += fmt::format("  {}[\"{}\"]\n", id, label);
    }
    if (report.after.fix_first[static_cast<size_t>(index)]) out += fmt::format("  class {} fixfirst\n", id);
    if (report.after.disabled[static_cast<size_t>(index)]) out += fmt::format("  class {} mitigated\n", id);
    for (int child : node.children) edges += fmt::format("  {} --> {}\n", id, mermaid_id("n", std::to_string(child)));
    for (size_t c = node.children.size(); c-- > 0;) stack.push_back(node.children[c]);  // drawn in file order
  }
  return out + "  end\n" + edges;
}
}  // namespace

std::string attack_tree_mermaid(const model::Model& model, const std::vector<analyze::TreeReport>& reports) {
  std::string out = "flowchart TD\n";
  std::vector<bool> seen(model.attack_nodes.size(), false);
  for (const analyze::TreeReport& report : reports) out += tree_mermaid(model, report, seen);
  out += "  classDef fixfirst stroke:#c62828,stroke-width:3px\n";
  out += "  classDef mitigated stroke-dasharray: 4 3,color:#777\n";
  return out;
}

std::string attack_tree_json(const model::Model& model, const analyze::TreeReport& report) {
  using Json = nlohmann::ordered_json;
  auto cost = [](double value) { return std::isinf(value) ? Json("impossible") : Json(value); };
  const model::AttackTree& tree = *report.tree;
  Json out;
  out["id"] = tree.id;
  out["goal"] = tree.goal;
  out["threat"] = tree.threat_index >= 0 ? Json(model.threats[static_cast<size_t>(tree.threat_index)].id) : Json(nullptr);
  out["method"] = report.after.method == analyze::TreeMethod::exact_tree  ? "exact"
                  : report.after.method == analyze::TreeMethod::exact_dag ? "exact-dag"
                                                                          : "upper-bound";
  out["shared_leaves"] = report.after.shared_leaves;
  out["cheapest_before_mitigations"] = cost(report.before.root_cost);
  out["cheapest"] = cost(report.after.root_cost);
  out["cheapest_lower_bound"] = cost(report.after.lower_bound);
  Json leaves = Json::array();
  for (int leaf : report.after.cheapest_leaves) leaves.push_back(model.attack_nodes[static_cast<size_t>(leaf)].title);
  out["fix_first"] = leaves;
  out["min_skill"] = report.after.min_skill ? Json(model::to_string(static_cast<model::Level>(*report.after.min_skill))) : Json(nullptr);
  out["min_hours"] = report.after.min_hours ? Json(*report.after.min_hours) : Json(nullptr);
  out["min_hours_exact"] = report.after.min_hours_exact;
  out["minimal_attacks"] = report.after.attack_count;
  out["minimal_attacks_exact"] = report.after.attack_count_exact;
  // Every node as drawn by the text view, parents first; "parent" is a
  // position in this list; a ref's target is listed where it is defined.
  Json nodes = Json::array();
  if (tree.root >= 0) {
    std::vector<std::pair<int, int>> stack{{tree.root, -1}};
    while (!stack.empty()) {
      auto [index, parent] = stack.back();
      stack.pop_back();
      size_t i = static_cast<size_t>(index);
      const AttackNode& node = model.attack_nodes[i];
      const char* kind = node.kind == AttackNodeKind::and_node  ? "and"
                         : node.kind == AttackNodeKind::or_node ? "or"
                         : node.kind == AttackNodeKind::ref     ? "ref"
                                                                : "leaf";
      Json item;
      item["parent"] = parent < 0 ? Json(nullptr) : Json(parent);
      item["kind"] = kind;
      item["id"] = node.id.empty() ? Json(nullptr) : Json(node.id);
      item["title"] = node.kind == AttackNodeKind::ref && node.ref_index >= 0 ? model.attack_nodes[static_cast<size_t>(node.ref_index)].title
                      : index == tree.root && node.title.empty()               ? tree.goal
                                                                               : node.title;
      if (node.kind == AttackNodeKind::ref) item["ref"] = node.ref->value;
      item["cost"] = cost(report.after.cost[i]);
      item["cost_exact"] = static_cast<bool>(report.after.cost_exact[i]);
      item["cost_before_mitigations"] = cost(report.before.cost[i]);
      item["fix_first"] = static_cast<bool>(report.after.fix_first[i]);
      if (node.kind == AttackNodeKind::leaf) item["mitigated"] = static_cast<bool>(report.after.disabled[i]);
      int position = static_cast<int>(nodes.size());
      nodes.push_back(std::move(item));
      if (node.kind != AttackNodeKind::and_node && node.kind != AttackNodeKind::or_node) continue;
      for (size_t c = node.children.size(); c-- > 0;) stack.push_back({node.children[c], position});
    }
  }
  out["nodes"] = nodes;
  Json planned = Json::array();
  for (const analyze::MitigationImpact& impact : report.planned) {
    const model::Mitigation& m = model.mitigation(model.mitigation_index[static_cast<size_t>(impact.mitigation)]);
    planned.push_back({{"mitigation", m.id}, {"raises_to", cost(impact.raised_to)}, {"raise", cost(impact.raise)}});
  }
  out["planned_mitigations"] = planned;
  return json_document(out);
}

}  // namespace tmc::render
