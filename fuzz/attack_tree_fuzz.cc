// libFuzzer target over attack-tree evaluation: the bytes describe a small
// DAG of AND/OR/ref nodes with leaf costs, and the evaluator's answer is
// checked against an exhaustive search over every set of leaves. The
// cheapest cost is never less than the exhaustive minimum, an exact method
// finds it exactly, a lower bound is never above it, and the leaves named
// as the cheapest attack do achieve the goal at that price. The same holds
// with the limits lowered so that the fallbacks (attack sets, bounds) run.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "analyze/attack_tree.h"
#include "fuzz_checks.h"
#include "model/model.h"

using tmc::model::AttackNode;
using tmc::model::AttackNodeKind;

namespace {

struct Bytes {
  const uint8_t* data;
  size_t size;
  size_t at = 0;
  uint8_t next() { return at < size ? data[at++] : 0; }
};

constexpr size_t kMaxNodes = 14;

double leaf_cost(const AttackNode& node) {
  if (node.cost) return *node.cost;
  if (node.cost_level) return tmc::analyze::cost_of(*node.cost_level);
  return 1;  // no cost given: trivial
}

// The least price of a set of leaves that achieves the root, by trying
// every set of the reachable leaves.
double exhaustive_minimum(const tmc::model::Model& model, int root, std::vector<int>& leaves) {
  std::vector<int> order(model.attack_nodes.size(), -1);
  std::function<void(int)> collect = [&](int n) {
    const AttackNode& node = model.attack_nodes[static_cast<size_t>(n)];
    if (node.kind == AttackNodeKind::leaf) {
      if (order[static_cast<size_t>(n)] < 0) {
        order[static_cast<size_t>(n)] = static_cast<int>(leaves.size());
        leaves.push_back(n);
      }
    } else if (node.kind == AttackNodeKind::ref) {
      collect(node.ref_index);
    } else {
      for (int child : node.children) collect(child);
    }
  };
  collect(root);
  double best = tmc::analyze::kImpossible;
  for (uint32_t set = 0; set < (1u << leaves.size()); ++set) {
    double price = 0;
    for (size_t l = 0; l < leaves.size(); ++l) {
      if (set & (1u << l)) price = tmc::analyze::add_costs(price, leaf_cost(model.attack_nodes[static_cast<size_t>(leaves[l])]));
    }
    if (!(price < best)) continue;
    std::function<bool(int)> achieves = [&](int n) -> bool {
      const AttackNode& node = model.attack_nodes[static_cast<size_t>(n)];
      switch (node.kind) {
        case AttackNodeKind::leaf: return (set >> order[static_cast<size_t>(n)]) & 1u;
        case AttackNodeKind::ref: return achieves(node.ref_index);
        case AttackNodeKind::and_node:
          for (int child : node.children) {
            if (!achieves(child)) return false;
          }
          return true;
        case AttackNodeKind::or_node:
          for (int child : node.children) {
            if (achieves(child)) return true;
          }
          return false;
      }
      return false;
    };
    if (achieves(root)) best = price;
  }
  return best;
}

bool close(double a, double b) {
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::max(std::fabs(a), std::fabs(b)));
}

void check(const tmc::model::Model& model, const tmc::model::AttackTree& tree, const tmc::analyze::EvaluationLimits& limits,
           double minimum) {
  tmc::analyze::MitigationView view;
  view.ignore_mitigations = true;
  tmc::analyze::TreeValues v = tmc::analyze::evaluate_tree(model, tree, view, limits);
  std::string what = "root " + std::to_string(v.root_cost) + " lower " + std::to_string(v.lower_bound) + " exhaustive " +
                     std::to_string(minimum) + " method " + tmc::analyze::to_string(v.method);
  if (v.root_cost < minimum && !close(v.root_cost, minimum)) tmc::fuzz::fail("cheapest cost below the exhaustive minimum", what);
  if (v.lower_bound > minimum && !close(v.lower_bound, minimum)) tmc::fuzz::fail("lower bound above the exhaustive minimum", what);
  if (std::isfinite(minimum) && !std::isfinite(v.root_cost)) tmc::fuzz::fail("a possible attack priced impossible", what);
  if (v.method != tmc::analyze::TreeMethod::upper_bound && !close(v.root_cost, minimum)) {
    tmc::fuzz::fail("an exact method missed the exhaustive minimum", what);
  }
  if (v.method != tmc::analyze::TreeMethod::upper_bound && std::isfinite(minimum)) {
    double price = 0;
    std::vector<bool> seen(model.attack_nodes.size(), false);
    for (int leaf : v.cheapest_leaves) {
      if (seen[static_cast<size_t>(leaf)]) continue;
      seen[static_cast<size_t>(leaf)] = true;
      price = tmc::analyze::add_costs(price, leaf_cost(model.attack_nodes[static_cast<size_t>(leaf)]));
    }
    if (!close(price, v.root_cost)) tmc::fuzz::fail("the cheapest leaves do not add up to the cheapest cost", what);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes in{data, size};
  size_t count = 1 + in.next() % kMaxNodes;
  tmc::model::Model model;
  // 1e300 and the largest double make sums overflow: they must saturate,
  // never turn a possible attack into an impossible one.
  static const double kNumbers[] = {0, 0.5, 1, 3, 7, 42, 1e6, 1e9, 1e300, std::numeric_limits<double>::max()};
  // As the model builder makes them: every node but the root has one
  // parent among the earlier AND/OR nodes; a ref points to a later node
  // (never an ancestor, so no cycle).
  std::vector<uint8_t> kinds(count);
  for (size_t i = 0; i < count; ++i) kinds[i] = i == 0 && count > 1 ? 1 + in.next() % 2 : in.next() % 4;
  for (size_t i = 0; i < count; ++i) {
    AttackNode node;
    node.id = "n" + std::to_string(i);
    node.title = node.id;
    if (kinds[i] == 3 && i + 1 < count) {
      node.kind = AttackNodeKind::ref;
      node.ref_index = static_cast<int>(i + 1 + in.next() % (count - i - 1));
    } else if (kinds[i] == 1 || kinds[i] == 2) {
      node.kind = kinds[i] == 1 ? AttackNodeKind::and_node : AttackNodeKind::or_node;
    } else {
      kinds[i] = 0;
      node.kind = AttackNodeKind::leaf;
      uint8_t cost = in.next() % 16;
      if (cost < 5) {
        node.cost_level = static_cast<tmc::model::CostLevel>(cost);
      } else if (cost < 15) {
        node.cost = kNumbers[cost - 5];
      }  // 15: no cost given
    }
    if (i > 0) {
      std::vector<size_t> parents;
      for (size_t p = 0; p < i; ++p) {
        if (kinds[p] == 1 || kinds[p] == 2) parents.push_back(p);
      }
      if (parents.empty()) break;  // the root is a leaf or a ref: nothing more hangs below it
      model.attack_nodes[parents[in.next() % parents.size()]].children.push_back(static_cast<int>(i));
    }
    model.attack_nodes.push_back(std::move(node));
  }
  // A ref may point past the nodes made; an AND/OR without children is a leaf.
  for (AttackNode& node : model.attack_nodes) {
    if (node.kind == AttackNodeKind::ref && node.ref_index >= static_cast<int>(model.attack_nodes.size())) {
      node.kind = AttackNodeKind::leaf;
    }
    if ((node.kind == AttackNodeKind::and_node || node.kind == AttackNodeKind::or_node) && node.children.empty()) {
      node.kind = AttackNodeKind::leaf;
    }
  }
  tmc::model::AttackTree tree;
  tree.id = "tree";
  tree.goal = "goal";
  tree.root = 0;
  model.attack_trees.push_back(tree);

  std::vector<int> leaves;
  double minimum = exhaustive_minimum(model, 0, leaves);
  check(model, tree, {}, minimum);
  // Lowered limits: no enumeration, then no attack sets either.
  tmc::analyze::EvaluationLimits no_enumeration;
  no_enumeration.max_shared_leaves = 0;
  no_enumeration.enumeration_budget = 0;
  check(model, tree, no_enumeration, minimum);
  tmc::analyze::EvaluationLimits bounds_only = no_enumeration;
  bounds_only.max_attack_sets = 1;
  check(model, tree, bounds_only, minimum);
  return 0;
}
