#include "analyze/attack_tree.h"
#include "analyze/attack_tree_sets.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <memory>
#include <unordered_set>

namespace tmc::analyze {

double cost_of(model::CostLevel level) {
  switch (level) {
    case model::CostLevel::trivial: return 1;
    case model::CostLevel::low: return 10;
    case model::CostLevel::medium: return 100;
    case model::CostLevel::high: return 1000;
    case model::CostLevel::impossible: return kImpossible;
  }
  return 1;
}

std::string describe_cost(double cost) {
  if (std::isinf(cost)) return "impossible";
  if (cost == 1) return "trivial";
  if (cost == 10) return "low";
  if (cost == 100) return "medium";
  if (cost == 1000) return "high";
  if (cost == std::floor(cost) && cost < 1e15) return fmt::format("{}", static_cast<long long>(cost));
  if (cost >= 1e15) return fmt::format("{:g}", cost);  // not hundreds of digits
  return fmt::format("{:.2f}", cost);
}

const char* to_string(TreeMethod method) {
  switch (method) {
    case TreeMethod::exact_tree: return "exact";
    case TreeMethod::exact_dag: return "exact (DAG: shared leaves paid once)";
    case TreeMethod::upper_bound: return "upper bound (DAG too large for an exact answer)";
  }
  return "";
}

namespace {

using detail::inputs_of;
using detail::Inputs;
using detail::minimal_attack_sets;
using detail::MinimalAttackSets;
using model::AttackNode;
using model::AttackNodeKind;

// TreeValues over a tree's own nodes, densely (the evaluator's working form).
struct DenseValues {
  TreeMethod method = TreeMethod::exact_tree;
  double root_cost = kImpossible;
  double lower_bound = kImpossible;
  size_t shared_leaves = 0;
  std::vector<double> cost;
  std::vector<bool> cost_exact;
  std::vector<bool> fix_first;
  std::vector<int> cheapest_leaves;
  std::vector<bool> disabled;
  std::optional<int> min_skill;
  std::optional<double> min_hours;
  bool min_hours_exact = true;
  uint64_t attack_count = 0;
  bool attack_count_exact = true;
};

constexpr uint64_t kCountCap = std::numeric_limits<uint64_t>::max() / 2;
// Work units (set comparisons) the minimal-attack-set method may spend.
constexpr size_t kSetWorkBudget = 2'000'000;

uint64_t saturating_add(uint64_t a, uint64_t b) { return std::min(kCountCap, a + b); }
uint64_t saturating_mul(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kCountCap / b ? kCountCap : a * b;
}

class Evaluator {
 public:
  // `nodes`: the tree's own nodes, children indexes into `nodes`.
  Evaluator(const model::Model& model, const std::vector<AttackNode>& nodes, const MitigationView& view,
            const EvaluationLimits& limits)
      : model_(model), nodes_(nodes), view_(view), limits_(limits) {
    size_t n = nodes.size();
    values_.cost.assign(n, kImpossible);
    values_.cost_exact.assign(n, true);
    values_.fix_first.assign(n, false);
    values_.disabled.assign(n, false);
    skill_.assign(n, std::nullopt);
    hours_.assign(n, std::nullopt);
    count_.assign(n, 0);
  }

  DenseValues run(int root) {
    if (root < 0) return std::move(values_);
    size_t r = static_cast<size_t>(root);
    order_ = postorder(root);
    bool shared = false;
    for (int node : order_) shared = shared || parents_[static_cast<size_t>(node)] > 1;
    bottom_up();
    values_.min_skill = skill_[r];  // min/max ignore repeats: exact on DAGs too
    values_.min_hours = hours_[r];
    values_.attack_count = count_[r];
    if (!shared) {
      values_.method = TreeMethod::exact_tree;
      values_.root_cost = values_.cost[r];
      mark_top_down(root, values_.cost);
    } else {
      evaluate_dag(root);
    }
    if (values_.method != TreeMethod::upper_bound) values_.lower_bound = values_.root_cost;
    values_.attack_count_exact = values_.attack_count_exact && values_.attack_count < kCountCap;
    if (std::isinf(values_.root_cost)) {
      std::fill(values_.fix_first.begin(), values_.fix_first.end(), false);
      values_.cheapest_leaves.clear();
      values_.min_skill.reset();
      values_.min_hours.reset();
      values_.attack_count = 0;
      values_.attack_count_exact = true;
    }
    return std::move(values_);
  }

 private:
  using Set = std::vector<int>;

  const AttackNode& node(int index) const { return nodes_[static_cast<size_t>(index)]; }

  // Nodes reachable from the root, children before parents; counts parents.
  std::vector<int> postorder(int root) {
    parents_.assign(nodes_.size(), 0);
    std::vector<int> order;
    std::vector<uint8_t> state(nodes_.size(), 0);
    std::vector<std::pair<int, size_t>> stack{{root, 0}};
    state[static_cast<size_t>(root)] = 1;
    parents_[static_cast<size_t>(root)] = 1;
    while (!stack.empty()) {
      auto& [current, next] = stack.back();
      Inputs inputs = inputs_of(node(current));
      if (next < inputs.size()) {
        int child = inputs[next++];
        ++parents_[static_cast<size_t>(child)];
        if (state[static_cast<size_t>(child)] == 0) {
          state[static_cast<size_t>(child)] = 1;
          stack.push_back({child, 0});
        }
        continue;
      }
      order.push_back(current);
      stack.pop_back();
    }
    return order;
  }

  bool leaf_disabled(const AttackNode& leaf) const {
    if (view_.ignore_mitigations || leaf.mitigated_by_indexes.empty()) return false;
    return std::all_of(leaf.mitigated_by_indexes.begin(), leaf.mitigated_by_indexes.end(), [&](int m) {
      if (view_.assumed_done.count(m)) return true;
      auto status = model_.mitigation(model_.mitigation_index[static_cast<size_t>(m)]).status;
      return status == model::MitigationStatus::done || status == model::MitigationStatus::verified;
    });
  }

  double leaf_cost(int index) {
    const AttackNode& leaf = node(index);
    if (leaf_disabled(leaf)) {
      values_.disabled[static_cast<size_t>(index)] = true;
      return kImpossible;
    }
    if (leaf.cost) return *leaf.cost;
    if (leaf.cost_level) return cost_of(*leaf.cost_level);
    return 1;  // no cost given: trivial (the model warns)
  }

  // The cost of an and/or/ref node from its children's costs.
  static double combine(const AttackNode& n, const std::vector<double>& cost) {
    Inputs inputs = inputs_of(n);
    if (inputs.empty()) return kImpossible;
    if (n.kind == AttackNodeKind::and_node) {
      double sum = 0;
      for (int child : inputs) sum = add_costs(sum, cost[static_cast<size_t>(child)]);
      return sum;
    }
    double best = kImpossible;
    for (int child : inputs) best = std::min(best, cost[static_cast<size_t>(child)]);
    return best;
  }

  // The tree-style pass: exact on trees; on DAGs a shared leaf is paid once
  // per path (costs, counts and hours become upper bounds).
  void bottom_up() {
    for (int index : order_) {
      size_t i = static_cast<size_t>(index);
      const AttackNode& n = node(index);
      if (n.kind == AttackNodeKind::leaf) {
        values_.cost[i] = leaf_cost(index);
        if (!std::isinf(values_.cost[i])) {
          count_[i] = 1;
          if (n.skill) skill_[i] = static_cast<int>(*n.skill);
          hours_[i] = n.time_hours;
        }
        continue;
      }
      Inputs inputs = inputs_of(n);
      bool is_and = n.kind == AttackNodeKind::and_node;
      uint64_t count = is_and ? 1 : 0;
      std::optional<int> skill;
      std::optional<double> hours = is_and ? std::optional<double>(0.0) : std::nullopt;
      bool any_hours = false;
      for (int child : inputs) {
        size_t c = static_cast<size_t>(child);
        if (is_and) {
          count = saturating_mul(count, count_[c]);
          if (skill_[c]) skill = std::max(skill.value_or(0), *skill_[c]);
          if (hours_[c]) {
            *hours = add_costs(*hours, *hours_[c]);
            any_hours = true;
          }
        } else {
          count = saturating_add(count, count_[c]);
          if (!std::isinf(values_.cost[c])) {
            if (skill_[c]) skill = std::min(skill.value_or(99), *skill_[c]);
            if (hours_[c]) hours = std::min(hours.value_or(kImpossible), *hours_[c]);
          }
        }
      }
      double cost = combine(n, values_.cost);
      if (std::isinf(cost)) {
        count = 0;
        skill.reset();
        hours.reset();
      }
      if (is_and && !any_hours) hours.reset();
      values_.cost[i] = cost;
      count_[i] = count;
      skill_[i] = skill;
      hours_[i] = hours;
    }
  }

  // Follows the cheapest choice from the root (the first cheapest child of
  // an OR, every child of an AND) and marks it; a node is visited once, so
  // cheapest_leaves holds distinct leaves, in node order.
  void mark_top_down(int root, const std::vector<double>& cost) {
    std::vector<int> stack{root};
    while (!stack.empty()) {
      int index = stack.back();
      stack.pop_back();
      size_t i = static_cast<size_t>(index);
      if (values_.fix_first[i]) continue;
      values_.fix_first[i] = true;
      const AttackNode& n = node(index);
      if (n.kind == AttackNodeKind::leaf) {
        values_.cheapest_leaves.push_back(index);
        continue;
      }
      Inputs inputs = inputs_of(n);
      if (n.kind == AttackNodeKind::and_node) {
        for (size_t c = inputs.size(); c-- > 0;) stack.push_back(inputs[c]);
        continue;
      }
      int best = -1;
      for (int child : inputs) {
        if (best < 0 || cost[static_cast<size_t>(child)] < cost[static_cast<size_t>(best)]) best = child;
      }
      if (best >= 0) stack.push_back(best);
    }
    std::sort(values_.cheapest_leaves.begin(), values_.cheapest_leaves.end());
  }

  double price(const std::vector<int>& leaves) const {
    double sum = 0;
    for (int leaf : leaves) sum = add_costs(sum, values_.cost[static_cast<size_t>(leaf)]);
    return sum;
  }

  void evaluate_dag(int root) {
    size_t r = static_cast<size_t>(root);
    // Paths from the root to each node (saturating), parents first.
    std::vector<uint64_t> paths(nodes_.size(), 0);
    paths[r] = 1;
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
      for (int child : inputs_of(node(*it))) {
        paths[static_cast<size_t>(child)] = saturating_add(paths[static_cast<size_t>(child)], paths[static_cast<size_t>(*it)]);
      }
    }
    std::vector<int> shared_leaves;
    for (int index : order_) {
      double c = values_.cost[static_cast<size_t>(index)];
      if (node(index).kind == AttackNodeKind::leaf && paths[static_cast<size_t>(index)] > 1 && c > 0 && !std::isinf(c)) {
        shared_leaves.push_back(index);
      }
    }
    values_.shared_leaves = shared_leaves.size();
    std::vector<int> region = nodes_above(shared_leaves);
    mark_exact_nodes(shared_leaves, region);

    uint64_t edges = region.size();
    for (int index : region) edges += inputs_of(node(index)).size();
    uint64_t work = shared_leaves.size() < 40 ? edges << shared_leaves.size() : std::numeric_limits<uint64_t>::max();
    bool can_enumerate = shared_leaves.size() <= limits_.max_shared_leaves && work <= limits_.enumeration_budget;
    MinimalAttackSets sets;
    // Full budget when the sets are the last exact method; a smaller one,
    // growing with the DAG, when they only add the count and the time.
    size_t budget = can_enumerate ? std::min<size_t>(kSetWorkBudget, 200'000 + 200 * order_.size()) : kSetWorkBudget;
    if (limits_.want_attack_sets || !can_enumerate) sets = minimal_attack_sets(nodes_, order_, values_.cost, budget, limits_.max_attack_sets);
    if (sets.complete) {
      values_.attack_count = sets.at_root.size();
      values_.attack_count_exact = true;
      values_.min_hours = min_hours(sets.at_root);
      values_.min_hours_exact = true;
    } else {
      values_.attack_count_exact = false;
      values_.min_hours_exact = !values_.min_hours.has_value();
    }

    if (can_enumerate) {
      values_.method = TreeMethod::exact_dag;
      enumerate_shared(root, shared_leaves, region);
    } else if (sets.complete) {
      values_.method = TreeMethod::exact_dag;
      values_.root_cost = kImpossible;
      for (const Set& attack : sets.at_root) {
        double cost = price(attack);
        if (cost < values_.root_cost) {
          values_.root_cost = cost;
          values_.cheapest_leaves = attack;
        }
      }
      mark_from_leaves();
    } else {
      values_.method = TreeMethod::upper_bound;
      mark_top_down(root, values_.cost);
      // The marked choice is a real attack unless the goal is impossible
      // (then it may run into a gate without children and look free).
      values_.root_cost = std::isinf(values_.cost[r]) ? kImpossible : price(values_.cheapest_leaves);
      // A shared leaf reached by p paths costs c / p on each: an attack
      // pays at most p shares of it, so no attack costs less than this.
      std::vector<double> scratch = values_.cost;
      for (int leaf : shared_leaves) {
        size_t l = static_cast<size_t>(leaf);
        scratch[l] = values_.cost[l] / static_cast<double>(paths[l]);
      }
      for (int index : region) {
        if (node(index).kind != AttackNodeKind::leaf) scratch[static_cast<size_t>(index)] = combine(node(index), scratch);
      }
      values_.lower_bound = scratch[r];
      // Bounds that meet (to rounding of the c / p shares) are the answer.
      if (values_.lower_bound >= values_.root_cost * (1 - 1e-9)) {
        values_.method = TreeMethod::exact_dag;
        values_.lower_bound = values_.root_cost;
      }
    }
    values_.cost[r] = values_.root_cost;
    values_.cost_exact[r] = values_.method != TreeMethod::upper_bound;
  }

  // The given leaves and every node above one of them, children first.
  std::vector<int> nodes_above(const std::vector<int>& leaves) const {
    std::vector<uint8_t> above(nodes_.size(), 0);
    for (int leaf : leaves) above[static_cast<size_t>(leaf)] = 1;
    std::vector<int> region;
    for (int index : order_) {
      size_t i = static_cast<size_t>(index);
      for (int child : inputs_of(node(index))) above[i] = above[i] || above[static_cast<size_t>(child)];
      if (above[i]) region.push_back(index);
    }
    return region;
  }

  // A node's bottom-up cost is exact unless some shared leaf is reachable
  // from it by two paths. With at most 64 shared leaves that is tested
  // exactly (paths to shared leaves vs distinct shared leaves below);
  // otherwise every inner node above a shared leaf counts as a bound.
  void mark_exact_nodes(const std::vector<int>& shared_leaves, const std::vector<int>& region) {
    if (shared_leaves.size() > 64) {
      for (int index : region) values_.cost_exact[static_cast<size_t>(index)] = node(index).kind == AttackNodeKind::leaf;
      return;
    }
    std::vector<uint64_t> below(nodes_.size(), 0), multiplicity(nodes_.size(), 0);
    for (size_t k = 0; k < shared_leaves.size(); ++k) {
      below[static_cast<size_t>(shared_leaves[k])] = uint64_t{1} << k;
      multiplicity[static_cast<size_t>(shared_leaves[k])] = 1;
    }
    for (int index : region) {
      size_t i = static_cast<size_t>(index);
      if (node(index).kind == AttackNodeKind::leaf) continue;
      for (int child : inputs_of(node(index))) {
        below[i] |= below[static_cast<size_t>(child)];
        multiplicity[i] = saturating_add(multiplicity[i], multiplicity[static_cast<size_t>(child)]);
      }
      values_.cost_exact[i] = multiplicity[i] == static_cast<uint64_t>(std::popcount(below[i]));
    }
  }

  // Method 1 (see the header): exact minimum over the subsets of shared
  // leaves paid for; ties go to the first subset in counting order.
  void enumerate_shared(int root, const std::vector<int>& shared_leaves, const std::vector<int>& region) {
    size_t r = static_cast<size_t>(root);
    std::vector<double> scratch = values_.cost;
    auto evaluate = [&](uint64_t mask) {
      for (size_t k = 0; k < shared_leaves.size(); ++k) {
        scratch[static_cast<size_t>(shared_leaves[k])] = (mask >> k) & 1 ? 0.0 : kImpossible;
      }
      for (int index : region) {
        if (node(index).kind != AttackNodeKind::leaf) scratch[static_cast<size_t>(index)] = combine(node(index), scratch);
      }
      return scratch[r];
    };
    double best = kImpossible;
    uint64_t best_mask = 0;
    for (uint64_t mask = 0; mask < (uint64_t{1} << shared_leaves.size()); ++mask) {
      double paid = 0;
      for (size_t k = 0; k < shared_leaves.size(); ++k) {
        if ((mask >> k) & 1) paid = add_costs(paid, values_.cost[static_cast<size_t>(shared_leaves[k])]);
      }
      if (paid >= best) continue;  // costs are non-negative: cannot win
      double total = add_costs(paid, evaluate(mask));
      if (total < best) {
        best = total;
        best_mask = mask;
      }
    }
    if (std::isinf(best)) {
      values_.root_cost = kImpossible;
      return;
    }
    evaluate(best_mask);
    mark_top_down(root, scratch);
    values_.root_cost = price(values_.cheapest_leaves);  // == best: the choice pays each leaf once
  }

  // The least time over minimal attacks that give a time for some step.
  std::optional<double> min_hours(const std::vector<Set>& attacks) const {
    std::optional<double> best;
    for (const Set& attack : attacks) {
      double hours = 0;
      bool any = false;
      for (int leaf : attack) {
        if (const auto& t = node(leaf).time_hours) {
          hours = add_costs(hours, *t);
          any = true;
        }
      }
      if (any) best = std::min(best.value_or(kImpossible), hours);
    }
    return best;
  }

  // Marks the cheapest set's leaves and every node above them that the
  // attack goes through.
  void mark_from_leaves() {
    for (int leaf : values_.cheapest_leaves) values_.fix_first[static_cast<size_t>(leaf)] = true;
    for (int index : order_) {
      const AttackNode& n = node(index);
      if (n.kind == AttackNodeKind::leaf) continue;
      Inputs inputs = inputs_of(n);
      bool used = n.kind == AttackNodeKind::and_node
                      ? !inputs.empty() && std::all_of(inputs.begin(), inputs.end(), [&](int c) { return values_.fix_first[static_cast<size_t>(c)]; })
                      : std::any_of(inputs.begin(), inputs.end(), [&](int c) { return values_.fix_first[static_cast<size_t>(c)]; });
      values_.fix_first[static_cast<size_t>(index)] = used;
    }
  }

  const model::Model& model_;
  const std::vector<AttackNode>& nodes_;
  const MitigationView& view_;
  const EvaluationLimits& limits_;
  DenseValues values_;
  std::vector<int> order_;
  std::vector<int> parents_;
  std::vector<std::optional<int>> skill_;
  std::vector<std::optional<double>> hours_;
  std::vector<uint64_t> count_;
};

}  // namespace

namespace {

// The nodes `tree` reaches, as a compact copy with children renumbered, so
// that evaluating a tree costs time and memory proportional to the tree,
// not to every node of the model.
struct LocalTree {
  std::shared_ptr<std::vector<int>> global;  // local index -> model index, ascending
  std::vector<AttackNode> nodes;
  int root = -1;
};

LocalTree local_tree(const model::Model& model, int root) {
  LocalTree local;
  local.global = std::make_shared<std::vector<int>>();
  if (root < 0) return local;
  std::unordered_set<int> seen{root};
  std::vector<int> stack{root};
  while (!stack.empty()) {
    int index = stack.back();
    stack.pop_back();
    local.global->push_back(index);
    for (int child : inputs_of(model.attack_nodes[static_cast<size_t>(index)])) {
      if (seen.insert(child).second) stack.push_back(child);
    }
  }
  std::vector<int>& global = *local.global;
  std::sort(global.begin(), global.end());  // node order is kept: outputs list nodes in model order
  auto to_local = [&](int index) {
    return static_cast<int>(std::lower_bound(global.begin(), global.end(), index) - global.begin());
  };
  local.nodes.reserve(global.size());
  for (int index : global) {
    AttackNode node = model.attack_nodes[static_cast<size_t>(index)];
    for (int& child : node.children) child = to_local(child);
    if (node.ref_index >= 0) node.ref_index = to_local(node.ref_index);
    local.nodes.push_back(std::move(node));
  }
  local.root = to_local(root);
  return local;
}

}  // namespace

TreeValues evaluate_tree(const model::Model& model, const model::AttackTree& tree, const MitigationView& view,
                         const EvaluationLimits& limits) {
  LocalTree local = local_tree(model, tree.root);
  DenseValues dense = Evaluator(model, local.nodes, view, limits).run(local.root);
  TreeValues out;
  out.method = dense.method;
  out.root_cost = dense.root_cost;
  out.lower_bound = dense.lower_bound;
  out.shared_leaves = dense.shared_leaves;
  std::shared_ptr<const std::vector<int>> nodes = local.global;
  out.cost = NodeValues<double>(nodes, std::move(dense.cost), kImpossible);
  out.cost_exact = NodeValues<bool>(nodes, std::move(dense.cost_exact), true);
  out.fix_first = NodeValues<bool>(nodes, std::move(dense.fix_first), false);
  out.disabled = NodeValues<bool>(nodes, std::move(dense.disabled), false);
  for (int leaf : dense.cheapest_leaves) out.cheapest_leaves.push_back((*nodes)[static_cast<size_t>(leaf)]);
  out.min_skill = dense.min_skill;
  out.min_hours = dense.min_hours;
  out.min_hours_exact = dense.min_hours_exact;
  out.attack_count = dense.attack_count;
  out.attack_count_exact = dense.attack_count_exact;
  return out;
}

TreeReport report_tree(const model::Model& model, const model::AttackTree& tree, const std::set<int>& assumed) {
  TreeReport report;
  report.tree = &tree;
  report.assumed = assumed;
  MitigationView before;
  before.ignore_mitigations = true;
  report.before = evaluate_tree(model, tree, before);
  MitigationView after;
  after.assumed_done = assumed;
  report.after = evaluate_tree(model, tree, after);
  // Mitigations named by the leaves this tree reaches.
  std::set<int> candidates;
  std::unordered_set<int> seen;
  std::vector<int> stack;
  if (tree.root >= 0) stack.push_back(tree.root);
  while (!stack.empty()) {
    int index = stack.back();
    stack.pop_back();
    if (!seen.insert(index).second) continue;
    const model::AttackNode& n = model.attack_nodes[static_cast<size_t>(index)];
    for (int child : inputs_of(n)) stack.push_back(child);
    for (int m : n.mitigated_by_indexes) {
      auto status = model.mitigation(model.mitigation_index[static_cast<size_t>(m)]).status;
      bool done = status == model::MitigationStatus::done || status == model::MitigationStatus::verified;
      if (!done && !assumed.count(m)) candidates.insert(m);
    }
  }
  // A mitigation that no leaf of the cheapest attack names leaves that
  // attack open at the same price: no change, no evaluation needed.
  std::set<int> on_cheapest;
  for (int leaf : report.after.cheapest_leaves) {
    const auto& names = model.attack_nodes[static_cast<size_t>(leaf)].mitigated_by_indexes;
    on_cheapest.insert(names.begin(), names.end());
  }
  for (int m : candidates) {
    if (!on_cheapest.count(m)) {
      report.planned.push_back({m, report.after.root_cost, 0});
      continue;
    }
    MitigationView what_if;
    what_if.assumed_done = assumed;
    what_if.assumed_done.insert(m);
    EvaluationLimits cost_only;
    cost_only.want_attack_sets = false;
    TreeValues values = evaluate_tree(model, tree, what_if, cost_only);
    double raise = std::isinf(values.root_cost) && std::isinf(report.after.root_cost) ? 0
                   : std::isinf(values.root_cost)                                     ? kImpossible
                                                                                      : values.root_cost - report.after.root_cost;
    report.planned.push_back({m, values.root_cost, raise});
  }
  std::stable_sort(report.planned.begin(), report.planned.end(),
                   [](const MitigationImpact& a, const MitigationImpact& b) { return a.raise > b.raise; });
  return report;
}

}  // namespace tmc::analyze
