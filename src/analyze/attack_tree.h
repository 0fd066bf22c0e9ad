// Attack trees (SPEC 2.7): the cheapest attack on each tree, before and
// after the current mitigations, what-if evaluation, and the ranking of
// planned mitigations by how much they raise the cheapest attack.
//
// Costs: trivial = 1, low = 10, medium = 100, high = 1000, impossible =
// infinity; numbers are used as written; a leaf without a cost counts as
// trivial. OR takes the cheapest child, AND pays for all of its children.
//
// Shared subtrees (`ref:`) make a tree a DAG, where an AND must pay for a
// shared leaf once. On a tree (no node reachable twice) the bottom-up pass
// is exact and linear. On a DAG, tmc enumerates the minimal attacks (sets
// of leaves) bottom-up and keeps only those not containing another; while
// every node keeps at most kMaxAttackSets sets this is exact. Past that
// limit it falls back to the bottom-up pass, which counts a shared leaf
// once per path and so gives an upper bound; the result says which.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/model.h"

namespace tmc::analyze {

inline constexpr double kImpossible = std::numeric_limits<double>::infinity();
inline constexpr size_t kMaxAttackSets = 4096;

// The number a cost level stands for.
double cost_of(model::CostLevel level);
// "trivial", "low"... for a number that is exactly a level, else the number.
std::string describe_cost(double cost);

enum class TreeMethod { exact_tree, exact_dag, upper_bound };
const char* to_string(TreeMethod method);

// Values of one evaluation of one tree.
struct TreeValues {
  TreeMethod method = TreeMethod::exact_tree;
  double root_cost = kImpossible;
  std::vector<double> cost;             // per node of Model::attack_nodes (kImpossible when unreachable)
  std::vector<bool> fix_first;          // nodes on the cheapest attack
  std::vector<int> cheapest_leaves;     // the leaves of the cheapest attack, in node order
  std::vector<bool> disabled;           // leaves made impossible by mitigations
  std::optional<int> min_skill;         // 1 low .. 3 high: the least skill any attack needs
  std::optional<double> min_hours;      // the least time any attack needs
  uint64_t attack_count = 0;            // distinct minimal attacks (saturates)
  bool attack_count_exact = true;
};

// Which mitigations count as done.
struct MitigationView {
  bool ignore_mitigations = false;      // "before mitigations"
  std::set<int> assumed_done;           // indexes into Model::mitigation_index (what-if)
};

TreeValues evaluate_tree(const model::Model& model, const model::AttackTree& tree, const MitigationView& view);

struct MitigationImpact {
  int mitigation = -1;   // index into Model::mitigation_index
  double raised_to = 0;  // cheapest attack once it is done
  double raise = 0;      // raised_to - current (infinity: it cuts every attack)
};

struct TreeReport {
  const model::AttackTree* tree = nullptr;
  TreeValues before;     // ignoring every mitigation
  TreeValues after;      // with the current statuses (and --assume)
  std::vector<MitigationImpact> planned;  // not-done mitigations in the tree, biggest raise first
};

// Evaluates one tree before and after mitigations, and ranks its planned
// mitigations. `assumed` are extra mitigations taken as done (what-if).
TreeReport report_tree(const model::Model& model, const model::AttackTree& tree, const std::set<int>& assumed);

}  // namespace tmc::analyze
