// Attack-tree evaluation on generated trees and DAGs of 10^3 .. 10^6 nodes.
// Time per node should stay flat: evaluation is linear.
#include <benchmark/benchmark.h>

#include "analyze/attack_tree.h"

namespace {

using tmc::model::AttackNode;
using tmc::model::AttackNodeKind;

// A tree of `nodes` nodes: alternating OR/AND levels with fan-out 4; with
// `shared`, every 50th leaf is replaced by a ref to an earlier leaf (a DAG
// too big for the exact method, so the upper bound is used).
tmc::model::Model make_model(int nodes, bool shared) {
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
  int leaves = 0;
  for (int leaf : frontier) {
    AttackNode& node = model.attack_nodes[static_cast<size_t>(leaf)];
    node.kind = AttackNodeKind::leaf;
    node.cost = static_cast<double>(1 + leaf % 97);
    if (shared && ++leaves % 50 == 0 && leaf > frontier.front()) {
      node.kind = AttackNodeKind::ref;
      node.ref_index = frontier.front();
    }
  }
  // Inner nodes left without children (the last partial level) become leaves.
  for (AttackNode& node : model.attack_nodes) {
    if (node.kind != AttackNodeKind::leaf && node.kind != AttackNodeKind::ref && node.children.empty()) {
      node.kind = AttackNodeKind::leaf;
      node.cost = 5;
    }
  }
  tmc::model::AttackTree tree;
  tree.id = "AT1";
  tree.root = 0;
  model.attack_trees.push_back(tree);
  return model;
}

void BM_EvaluateTree(benchmark::State& state) {
  tmc::model::Model model = make_model(static_cast<int>(state.range(0)), false);
  tmc::analyze::MitigationView view;
  for (auto _ : state) {
    auto values = tmc::analyze::evaluate_tree(model, model.attack_trees[0], view);
    benchmark::DoNotOptimize(values.root_cost);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_EvaluateDag(benchmark::State& state) {
  tmc::model::Model model = make_model(static_cast<int>(state.range(0)), true);
  tmc::analyze::MitigationView view;
  for (auto _ : state) {
    auto values = tmc::analyze::evaluate_tree(model, model.attack_trees[0], view);
    benchmark::DoNotOptimize(values.root_cost);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_EvaluateTree)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EvaluateDag)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
