// Internal to the attack-tree evaluator (attack_tree.cc): the children a
// node's value comes from, and the minimal-attack-set method for DAGs.
#pragma once

#include <cstddef>
#include <vector>

#include "model/model.h"

namespace tmc::analyze::detail {

// The inputs of a node: its and/or children, or the target of a ref.
struct Inputs {
  const int* first = nullptr;
  size_t count = 0;
  const int* begin() const { return first; }
  const int* end() const { return first + count; }
  size_t size() const { return count; }
  bool empty() const { return count == 0; }
  int operator[](size_t i) const { return first[i]; }
};
inline Inputs inputs_of(const model::AttackNode& node) {
  if (node.kind == model::AttackNodeKind::ref) return node.ref_index >= 0 ? Inputs{&node.ref_index, 1} : Inputs{};
  return Inputs{node.children.data(), node.children.size()};
}

struct MinimalAttackSets {
  bool complete = false;
  std::vector<std::vector<int>> at_root;  // minimal attacks, each a sorted set of leaf indexes
};

// Every minimal attack on the last node of `postorder` (its root), as sets
// of leaves: OR unites its children's lists, AND takes pairwise unions, and
// any set containing another is dropped. A leaf whose `cost` is impossible
// takes part in no attack. REQUIRES: `postorder` lists the nodes reachable
// from the root, children first; `cost` is indexed like `nodes` (a tree's nodes, see attack_tree.cc).
// Returns complete = false (and no sets) as soon as a node would need more
// than `max_sets` sets or more than `budget` units of work are spent.
MinimalAttackSets minimal_attack_sets(const std::vector<model::AttackNode>& nodes, const std::vector<int>& postorder,
                                      const std::vector<double>& cost, size_t budget, size_t max_sets);

}  // namespace tmc::analyze::detail
