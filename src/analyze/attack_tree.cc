#include "analyze/attack_tree.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

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
  return fmt::format("{:.2f}", cost);
}

const char* to_string(TreeMethod method) {
  switch (method) {
    case TreeMethod::exact_tree: return "exact";
    case TreeMethod::exact_dag: return "exact (shared subtrees paid once)";
    case TreeMethod::upper_bound: return "upper bound (too many shared subtrees for an exact answer)";
  }
  return "";
}

namespace {

using model::AttackNode;
using model::AttackNodeKind;

constexpr uint64_t kCountCap = std::numeric_limits<uint64_t>::max() / 2;

uint64_t saturating_add(uint64_t a, uint64_t b) { return std::min(kCountCap, a + b); }
uint64_t saturating_mul(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kCountCap / b ? kCountCap : a * b;
}

// The children a node's value comes from: its and/or children, or the
// target of a ref.
struct Inputs {
  const int* first = nullptr;
  size_t count = 0;
  const int* begin() const { return first; }
  const int* end() const { return first + count; }
  size_t size() const { return count; }
  bool empty() const { return count == 0; }
  int operator[](size_t i) const { return first[i]; }
};
Inputs inputs_of(const AttackNode& node) {
  if (node.kind == AttackNodeKind::ref) return node.ref_index >= 0 ? Inputs{&node.ref_index, 1} : Inputs{};
  return Inputs{node.children.data(), node.children.size()};
}

class Evaluator {
 public:
  Evaluator(const model::Model& model, const MitigationView& view) : model_(model), view_(view) {
    size_t n = model.attack_nodes.size();
    values_.cost.assign(n, kImpossible);
    values_.fix_first.assign(n, false);
    values_.disabled.assign(n, false);
    skill_.assign(n, std::nullopt);
    hours_.assign(n, std::nullopt);
    count_.assign(n, 0);
  }

  TreeValues run(int root) {
    if (root < 0) return std::move(values_);
    order_ = postorder(root);
    bool shared = false;
    for (int node : order_) shared = shared || parents_[static_cast<size_t>(node)] > 1;
    bottom_up();
    values_.method = TreeMethod::exact_tree;
    if (shared) {
      values_.method = exact_sets(root) ? TreeMethod::exact_dag : TreeMethod::upper_bound;
    }
    values_.root_cost = values_.method == TreeMethod::exact_dag ? set_cost_ : values_.cost[static_cast<size_t>(root)];
    if (values_.method == TreeMethod::exact_dag) {
      mark_from_leaves();
      values_.attack_count = root_sets_;
    } else {
      mark_top_down(root);
      values_.attack_count = count_[static_cast<size_t>(root)];
      values_.attack_count_exact = values_.method == TreeMethod::exact_tree && values_.attack_count < kCountCap;
    }
    values_.min_skill = skill_[static_cast<size_t>(root)];
    values_.min_hours = hours_[static_cast<size_t>(root)];
    if (std::isinf(values_.root_cost)) {
      std::fill(values_.fix_first.begin(), values_.fix_first.end(), false);
      values_.cheapest_leaves.clear();
      values_.min_skill.reset();
      values_.min_hours.reset();
    }
    return std::move(values_);
  }

 private:
  const AttackNode& node(int index) const { return model_.attack_nodes[static_cast<size_t>(index)]; }

  // Nodes reachable from the root, children before parents; counts parents.
  std::vector<int> postorder(int root) {
    parents_.assign(model_.attack_nodes.size(), 0);
    std::vector<int> order;
    std::vector<uint8_t> state(model_.attack_nodes.size(), 0);
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
      double cost = is_and ? 0 : kImpossible;
      uint64_t count = is_and ? 1 : 0;
      std::optional<int> skill;
      std::optional<double> hours = is_and ? std::optional<double>(0.0) : std::nullopt;
      bool any_hours = false;
      for (int child : inputs) {
        size_t c = static_cast<size_t>(child);
        if (is_and) {
          cost += values_.cost[c];
          count = saturating_mul(count, count_[c]);
          if (skill_[c]) skill = std::max(skill.value_or(0), *skill_[c]);
          if (hours_[c]) {
            *hours += *hours_[c];
            any_hours = true;
          }
        } else {
          cost = std::min(cost, values_.cost[c]);
          count = saturating_add(count, count_[c]);
          if (!std::isinf(values_.cost[c])) {
            if (skill_[c]) skill = std::min(skill.value_or(99), *skill_[c]);
            if (hours_[c]) hours = std::min(hours.value_or(kImpossible), *hours_[c]);
          }
        }
      }
      if (inputs.empty()) cost = kImpossible;
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

  void mark_top_down(int root) {
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
      if (n.kind == AttackNodeKind::or_node) {
        int best = -1;
        for (int child : inputs) {
          if (best < 0 || values_.cost[static_cast<size_t>(child)] < values_.cost[static_cast<size_t>(best)]) best = child;
        }
        if (best >= 0) stack.push_back(best);
      } else {
        for (size_t c = inputs.size(); c-- > 0;) stack.push_back(inputs[c]);
      }
    }
    std::sort(values_.cheapest_leaves.begin(), values_.cheapest_leaves.end());
  }

  // Exact evaluation on a DAG by minimal attack sets. False when a node
  // would need more than kMaxAttackSets sets.
  bool exact_sets(int root) {
    using Set = std::vector<int>;
    std::vector<std::vector<Set>> sets(model_.attack_nodes.size());
    // A budget on the total work, so a hostile DAG falls back to the bound
    // instead of running for minutes.
    size_t budget = 20'000'000;
    auto spend = [&budget](size_t work) {
      if (work > budget) return false;
      budget -= work;
      return true;
    };
    auto minimize = [](std::vector<Set>& list) {
      std::sort(list.begin(), list.end(), [](const Set& a, const Set& b) { return a.size() != b.size() ? a.size() < b.size() : a < b; });
      list.erase(std::unique(list.begin(), list.end()), list.end());
      std::vector<Set> kept;
      for (const Set& candidate : list) {
        bool superset = std::any_of(kept.begin(), kept.end(), [&](const Set& small) {
          return std::includes(candidate.begin(), candidate.end(), small.begin(), small.end());
        });
        if (!superset) kept.push_back(candidate);
      }
      list = std::move(kept);
    };
    for (int index : order_) {
      size_t i = static_cast<size_t>(index);
      const AttackNode& n = node(index);
      std::vector<Set>& out = sets[i];
      if (n.kind == AttackNodeKind::leaf) {
        if (!values_.disabled[i]) out.push_back({index});
        continue;
      }
      Inputs inputs = inputs_of(n);
      if (n.kind != AttackNodeKind::and_node) {
        for (int child : inputs) {
          const auto& from = sets[static_cast<size_t>(child)];
          out.insert(out.end(), from.begin(), from.end());
          if (out.size() > kMaxAttackSets) return false;
        }
      } else {
        out.push_back({});
        for (int child : inputs) {
          std::vector<Set> next;
          for (const Set& left : out) {
            for (const Set& right : sets[static_cast<size_t>(child)]) {
              Set merged;
              std::set_union(left.begin(), left.end(), right.begin(), right.end(), std::back_inserter(merged));
              next.push_back(std::move(merged));
              if (next.size() > kMaxAttackSets) return false;
            }
          }
          if (!spend(next.size() * next.size())) return false;
          minimize(next);
          out = std::move(next);
        }
        if (inputs.empty()) out.clear();
      }
      if (!spend(out.size() * out.size())) return false;
      minimize(out);
      if (out.size() > kMaxAttackSets) return false;
    }
    const std::vector<Set>& attacks = sets[static_cast<size_t>(root)];
    root_sets_ = attacks.size();
    set_cost_ = kImpossible;
    for (const Set& attack : attacks) {
      double cost = 0;
      for (int leaf : attack) cost += values_.cost[static_cast<size_t>(leaf)];
      if (cost < set_cost_) {
        set_cost_ = cost;
        values_.cheapest_leaves = attack;
      }
    }
    return true;
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
  const MitigationView& view_;
  TreeValues values_;
  std::vector<int> order_;
  std::vector<int> parents_;
  std::vector<std::optional<int>> skill_;
  std::vector<std::optional<double>> hours_;
  std::vector<uint64_t> count_;
  double set_cost_ = kImpossible;
  uint64_t root_sets_ = 0;
};

}  // namespace

TreeValues evaluate_tree(const model::Model& model, const model::AttackTree& tree, const MitigationView& view) {
  return Evaluator(model, view).run(tree.root);
}

TreeReport report_tree(const model::Model& model, const model::AttackTree& tree, const std::set<int>& assumed) {
  TreeReport report;
  report.tree = &tree;
  MitigationView before;
  before.ignore_mitigations = true;
  report.before = evaluate_tree(model, tree, before);
  MitigationView after;
  after.assumed_done = assumed;
  report.after = evaluate_tree(model, tree, after);
  // Mitigations named by the leaves this tree reaches.
  std::set<int> candidates;
  std::vector<bool> seen(model.attack_nodes.size(), false);
  std::vector<int> stack;
  if (tree.root >= 0) stack.push_back(tree.root);
  while (!stack.empty()) {
    int index = stack.back();
    stack.pop_back();
    if (seen[static_cast<size_t>(index)]) continue;
    seen[static_cast<size_t>(index)] = true;
    const model::AttackNode& n = model.attack_nodes[static_cast<size_t>(index)];
    for (int child : inputs_of(n)) stack.push_back(child);
    for (int m : n.mitigated_by_indexes) {
      auto status = model.mitigation(model.mitigation_index[static_cast<size_t>(m)]).status;
      bool done = status == model::MitigationStatus::done || status == model::MitigationStatus::verified;
      if (!done && !assumed.count(m)) candidates.insert(m);
    }
  }
  for (int m : candidates) {
    MitigationView what_if;
    what_if.assumed_done = assumed;
    what_if.assumed_done.insert(m);
    TreeValues values = evaluate_tree(model, tree, what_if);
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
