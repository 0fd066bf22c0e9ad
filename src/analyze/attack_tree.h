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
// is exact and linear. On a DAG, a "shared leaf" is a leaf reachable from
// the root by more than one path with a cost that is neither 0 nor
// impossible (only those can be paid twice). tmc then tries, in order:
//  1. shared-leaf enumeration: for every subset B of the k shared leaves,
//     pay B once, make the other shared leaves impossible and run the
//     bottom-up pass over the nodes above a shared leaf; the least total is
//     exact (the best attack A is found at B = A's shared leaves). Used when
//     k <= kMaxSharedLeaves and 2^k x (nodes and edges above them) <=
//     kEnumerationBudget.
//  2. minimal attack sets: the sets of leaves of every minimal attack,
//     built bottom-up, supersets dropped; exact while every node keeps at
//     most kMaxAttackSets sets and a work budget holds. This also gives the
//     exact count of minimal attacks and the least time on a DAG.
//  3. otherwise bounds: the upper bound is the price of the distinct leaves
//     of the bottom-up pass's cheapest choice; the lower bound is the
//     bottom-up pass where a shared leaf reached by p paths costs c / p on
//     each of them (an attack pays at most p such shares, so at most c).
//     When the two bounds meet, the result is exact; otherwise the result
//     says "upper bound".
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/model.h"

namespace tmc::analyze {

inline constexpr double kImpossible = std::numeric_limits<double>::infinity();
inline constexpr size_t kMaxAttackSets = 4096;

// a + b for costs and hours: impossible (infinity) stays impossible, but two
// finite values never overflow to infinity; they saturate at the largest
// finite double, so a possible attack is never priced "impossible".
inline double add_costs(double a, double b) {
  double sum = a + b;
  if (sum == kImpossible && a != kImpossible && b != kImpossible) return std::numeric_limits<double>::max();
  return sum;
}
inline constexpr size_t kMaxSharedLeaves = 20;
inline constexpr uint64_t kEnumerationBudget = uint64_t{1} << 22;  // node and edge visits

// The number a cost level stands for.
double cost_of(model::CostLevel level);
// "trivial", "low"... for a number that is exactly a level, else the number.
std::string describe_cost(double cost);

enum class TreeMethod { exact_tree, exact_dag, upper_bound };
const char* to_string(TreeMethod method);

// Per-node values of one tree, indexed like Model::attack_nodes but stored
// only for the nodes the tree reaches (memory proportional to the tree, not
// to every node of the model); other nodes read as `absent`.
template <typename T>
class NodeValues {
 public:
  NodeValues() = default;
  NodeValues(std::shared_ptr<const std::vector<int>> nodes, std::vector<T> values, T absent)
      : nodes_(std::move(nodes)), values_(std::move(values)), absent_(absent) {}
  T operator[](size_t node) const {
    if (!nodes_) return absent_;
    auto it = std::lower_bound(nodes_->begin(), nodes_->end(), static_cast<int>(node));
    if (it == nodes_->end() || *it != static_cast<int>(node)) return absent_;
    return values_[static_cast<size_t>(it - nodes_->begin())];
  }

 private:
  std::shared_ptr<const std::vector<int>> nodes_;  // sorted node indexes
  std::vector<T> values_;
  T absent_{};
};

// Values of one evaluation of one tree.
struct TreeValues {
  TreeMethod method = TreeMethod::exact_tree;
  double root_cost = kImpossible;       // exact, or the upper bound (method upper_bound)
  double lower_bound = kImpossible;     // == root_cost unless method is upper_bound
  size_t shared_leaves = 0;             // leaves that more than one path reaches (DAGs)
  NodeValues<double> cost;              // per node of Model::attack_nodes (kImpossible when unreachable)
  NodeValues<bool> cost_exact;          // false: a shared leaf below is paid once per path (an upper bound)
  NodeValues<bool> fix_first;           // nodes on the cheapest attack
  std::vector<int> cheapest_leaves;     // the leaves of the cheapest attack, in node order
  NodeValues<bool> disabled;            // leaves made impossible by mitigations
  std::optional<int> min_skill;         // 1 low .. 3 high: the least skill any attack needs
  std::optional<double> min_hours;      // the least time any attack needs
  bool min_hours_exact = true;          // false on DAGs without the attack sets: an upper bound
  uint64_t attack_count = 0;            // distinct minimal attacks (saturates)
  bool attack_count_exact = true;
};

// Which mitigations count as done.
struct MitigationView {
  bool ignore_mitigations = false;      // "before mitigations"
  std::set<int> assumed_done;           // indexes into Model::mitigation_index (what-if)
};

// How hard the DAG methods may try (the header comment); tests lower them
// to force a method.
struct EvaluationLimits {
  size_t max_shared_leaves = kMaxSharedLeaves;
  uint64_t enumeration_budget = kEnumerationBudget;
  size_t max_attack_sets = kMaxAttackSets;
  bool want_attack_sets = true;  // false: skip method 2 when method 1 applies (cost only)
};

// Evaluates `tree` (its root and everything reachable from it). Never
// fails: a tree without a root has an impossible goal.
TreeValues evaluate_tree(const model::Model& model, const model::AttackTree& tree, const MitigationView& view,
                         const EvaluationLimits& limits = {});

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
  std::set<int> assumed;                  // mitigations taken as done for a what-if (--assume)
};

// Evaluates one tree before and after mitigations, and ranks its planned
// mitigations. `assumed` are extra mitigations taken as done (what-if).
TreeReport report_tree(const model::Model& model, const model::AttackTree& tree, const std::set<int>& assumed);

}  // namespace tmc::analyze
