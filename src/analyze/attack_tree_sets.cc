#include "analyze/attack_tree_sets.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace tmc::analyze::detail {

namespace {

using Set = std::vector<int>;

// Sorts, removes duplicates and every set that contains another.
void keep_minimal(std::vector<Set>& list) {
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
}

}  // namespace

MinimalAttackSets minimal_attack_sets(const std::vector<model::AttackNode>& nodes, const std::vector<int>& postorder,
                                      const std::vector<double>& cost, size_t budget, size_t max_sets) {
  if (postorder.empty()) return {true, {}};
  std::vector<std::vector<Set>> sets(nodes.size());
  auto spend = [&budget](size_t work) {
    if (work > budget) return false;
    budget -= work;
    return true;
  };
  for (int index : postorder) {
    size_t i = static_cast<size_t>(index);
    const model::AttackNode& n = nodes[i];
    std::vector<Set>& out = sets[i];
    if (n.kind == model::AttackNodeKind::leaf) {
      if (!std::isinf(cost[i])) out.push_back({index});
      continue;
    }
    Inputs inputs = inputs_of(n);
    if (n.kind != model::AttackNodeKind::and_node) {
      for (int child : inputs) {
        const auto& from = sets[static_cast<size_t>(child)];
        out.insert(out.end(), from.begin(), from.end());
        if (out.size() > max_sets || !spend(from.size())) return {};
      }
    } else {
      if (!inputs.empty()) out.push_back({});
      for (int child : inputs) {
        std::vector<Set> next;
        for (const Set& left : out) {
          for (const Set& right : sets[static_cast<size_t>(child)]) {
            Set merged;
            std::set_union(left.begin(), left.end(), right.begin(), right.end(), std::back_inserter(merged));
            next.push_back(std::move(merged));
            if (next.size() > max_sets) return {};
          }
        }
        if (!spend(next.size() * next.size())) return {};
        keep_minimal(next);
        out = std::move(next);
      }
    }
    if (!spend(out.size() * out.size())) return {};
    keep_minimal(out);
  }
  return {true, std::move(sets[static_cast<size_t>(postorder.back())])};
}

}  // namespace tmc::analyze::detail
