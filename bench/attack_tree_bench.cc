// Attack-tree evaluation on generated trees and DAGs of 10^3 .. 10^6 nodes,
// built in memory. Time per node should stay flat: evaluation is linear.
//   BM_Tree        a tree: one bottom-up pass (method "exact (tree)")
//   BM_DagExact    every 50th leaf is a ref to one of 4 shared leaves:
//                  exact by shared-leaf enumeration (2^4 passes over the
//                  nodes above the shared leaves)
//   BM_DagBound    every 10th leaf is a ref to one of 1,000 shared leaves
//                  (75 for 10^3 nodes): past the exact limits, upper and
//                  lower bounds
//   BM_Report      before, after and the ranking of 8 planned mitigations
//                  on a tree (every 97th leaf names one)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "analyze/attack_tree.h"

namespace {

using tmc::model::AttackNode;
using tmc::model::AttackNodeKind;

// Alternating OR/AND levels with fan-out 4 under an OR root; with
// `shared_targets` > 0 every `ref_every`-th leaf becomes a ref to one of
// the first `shared_targets` leaves, in turn; with `mitigations` > 0 every 97th leaf names one
// of that many planned mitigations.
tmc::model::Model make_model(int nodes, int shared_targets, int ref_every, int mitigations = 0) {
  tmc::model::Model model;
  model.attack_nodes.reserve(static_cast<size_t>(nodes));
  model.attack_nodes.emplace_back();
  model.attack_nodes[0].kind = AttackNodeKind::or_node;
  std::vector<int> frontier{0};
  int depth = 0;
  while (static_cast<int>(model.attack_nodes.size()) < nodes) {
    std::vector<int> next;
    for (int parent : frontier) {
      for (int c = 0; c < 4 && static_cast<int>(model.attack_nodes.size()) < nodes; ++c) {
        int index = static_cast<int>(model.attack_nodes.size());
        AttackNode node;
        node.kind = depth % 2 == 0 ? AttackNodeKind::and_node : AttackNodeKind::or_node;
        node.title = "n";
        model.attack_nodes.push_back(std::move(node));
        model.attack_nodes[static_cast<size_t>(parent)].children.push_back(index);
        next.push_back(index);
      }
    }
    frontier = std::move(next);
    ++depth;
  }
  // Inner nodes left without children (the last partial level) become leaves.
  std::vector<int> leaves;
  for (size_t i = 0; i < model.attack_nodes.size(); ++i) {
    AttackNode& node = model.attack_nodes[i];
    if (!node.children.empty()) continue;
    node.kind = AttackNodeKind::leaf;
    node.cost = static_cast<double>(1 + i % 97);
    leaves.push_back(static_cast<int>(i));
  }
  if (mitigations > 0) {
    tmc::model::Threat threat;
    for (int m = 0; m < mitigations; ++m) {
      tmc::model::Mitigation mitigation;
      mitigation.id = "M" + std::to_string(m);
      threat.mitigations.push_back(mitigation);
      model.mitigation_index.push_back({0, m});
    }
    model.threats.push_back(threat);
    for (size_t k = 0; k < leaves.size(); k += 97) {
      model.attack_nodes[static_cast<size_t>(leaves[k])].mitigated_by_indexes.push_back(static_cast<int>(k / 97) % mitigations);
    }
  }
  if (shared_targets > 0) {
    shared_targets = std::min(shared_targets, static_cast<int>(leaves.size() / 10));
    size_t refs = 0;
    for (size_t k = static_cast<size_t>(shared_targets); k < leaves.size(); k += static_cast<size_t>(ref_every)) {
      AttackNode& node = model.attack_nodes[static_cast<size_t>(leaves[k])];
      node.kind = AttackNodeKind::ref;
      node.ref_index = leaves[refs++ % static_cast<size_t>(shared_targets)];
    }
  }
  tmc::model::AttackTree tree;
  tree.id = "AT1";
  tree.root = 0;
  model.attack_trees.push_back(tree);
  return model;
}

// Measures evaluate_tree; `path_taken` checks the generated model went down
// the path the benchmark is named after.
void run(benchmark::State& state, int shared_targets, int ref_every, bool (*path_taken)(const tmc::analyze::TreeValues&)) {
  tmc::model::Model model = make_model(static_cast<int>(state.range(0)), shared_targets, ref_every);
  tmc::analyze::MitigationView view;
  auto first = tmc::analyze::evaluate_tree(model, model.attack_trees[0], view);
  if (!path_taken(first)) state.SkipWithError(tmc::analyze::to_string(first.method));
  state.SetLabel(tmc::analyze::to_string(first.method));
  for (auto _ : state) {
    auto values = tmc::analyze::evaluate_tree(model, model.attack_trees[0], view);
    benchmark::DoNotOptimize(values.root_cost);
  }
  state.counters["shared_leaves"] = static_cast<double>(first.shared_leaves);
  state.counters["ns_per_node"] = benchmark::Counter(static_cast<double>(state.range(0)),
                                                     benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

using tmc::analyze::TreeMethod;
using tmc::analyze::TreeValues;
void BM_Tree(benchmark::State& state) {
  run(state, 0, 1, [](const TreeValues& v) { return v.method == TreeMethod::exact_tree; });
}
void BM_DagExact(benchmark::State& state) {
  run(state, 4, 50, [](const TreeValues& v) { return v.method == TreeMethod::exact_dag && v.shared_leaves == 4; });
}
// Past the enumeration limit: attack sets tried and abandoned, then the
// bounds (which may meet, making the answer exact after all).
void BM_DagBound(benchmark::State& state) {
  run(state, 1000, 10, [](const TreeValues& v) { return v.shared_leaves > tmc::analyze::kMaxSharedLeaves && !v.attack_count_exact; });
}

// Baseline: the same depth-first walk with an explicit stack and nothing
// computed. If evaluation time / walk time stays flat across sizes, the
// growth in time per node is the memory hierarchy, not the algorithm.
void BM_WalkOnly(benchmark::State& state) {
  tmc::model::Model model = make_model(static_cast<int>(state.range(0)), 0, 1);
  for (auto _ : state) {
    std::vector<std::pair<int, size_t>> stack{{0, 0}};
    std::vector<uint8_t> seen(model.attack_nodes.size(), 0);
    size_t visited = 0;
    while (!stack.empty()) {
      auto& [current, next] = stack.back();
      const auto& children = model.attack_nodes[static_cast<size_t>(current)].children;
      if (next < children.size()) {
        int child = children[next++];
        if (!seen[static_cast<size_t>(child)]) {
          seen[static_cast<size_t>(child)] = 1;
          stack.push_back({child, 0});
        }
        continue;
      }
      ++visited;
      stack.pop_back();
    }
    benchmark::DoNotOptimize(visited);
  }
  state.counters["ns_per_node"] = benchmark::Counter(static_cast<double>(state.range(0)),
                                                     benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_Report(benchmark::State& state) {
  tmc::model::Model model = make_model(static_cast<int>(state.range(0)), 0, 1, 8);
  for (auto _ : state) {
    auto report = tmc::analyze::report_tree(model, model.attack_trees[0], {});
    benchmark::DoNotOptimize(report.planned.data());
  }
  state.counters["ns_per_node"] = benchmark::Counter(static_cast<double>(state.range(0)),
                                                     benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

BENCHMARK(BM_Tree)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DagExact)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DagBound)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WalkOnly)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Report)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
