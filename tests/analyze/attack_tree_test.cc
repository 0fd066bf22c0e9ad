// Attack-tree evaluation on trees computed by hand.
#include "analyze/attack_tree.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "analysis_fixture.h"
#include "third_party.h"

namespace tmc {
namespace {

using analyze::kImpossible;
using testing_support::analyze_file;
using testing_support::analyze_text;

struct Evaluated {
  std::unique_ptr<testing_support::Analyzed> run;
  analyze::TreeReport report;
  std::string leaves() const {  // titles of the cheapest attack's leaves
    std::string out;
    for (int leaf : report.after.cheapest_leaves) {
      out += (out.empty() ? "" : " + ") + run->model->attack_nodes[static_cast<size_t>(leaf)].title;
    }
    return out;
  }
};

Evaluated evaluate(const std::string& trees, const std::string& threats = "", std::set<int> assumed = {}) {
  Evaluated e;
  e.run = analyze_text("tmc: 1\ntitle: trees\nelements: [{id: a, type: process}]\n" + threats + "attack_trees:\n" + trees);
  EXPECT_TRUE(e.run->model) << e.run->diagnostics();
  if (e.run->model) e.report = analyze::report_tree(*e.run->model, e.run->model->attack_trees[0], assumed);
  return e;
}

TEST(AttackTree, PureOrTakesTheCheapestChild) {
  auto e = evaluate(R"(  - id: AT1
    goal: g
    root:
      or:
        - {title: low, cost: low}
        - {title: medium, cost: medium}
        - {title: trivial, cost: trivial}
)");
  EXPECT_EQ(e.report.after.root_cost, 1);
  EXPECT_EQ(e.leaves(), "trivial");
  EXPECT_EQ(e.report.after.attack_count, 3u);
  EXPECT_EQ(e.report.after.method, analyze::TreeMethod::exact_tree);
}

TEST(AttackTree, PureAndPaysForEveryChild) {
  auto e = evaluate(R"(  - id: AT1
    goal: g
    root:
      and:
        - {title: a, cost: low}
        - {title: b, cost: medium}
        - {title: c, cost: high}
)");
  EXPECT_EQ(e.report.after.root_cost, 1110);
  EXPECT_EQ(e.leaves(), "a + b + c");
  EXPECT_EQ(e.report.after.attack_count, 1u);
}

TEST(AttackTree, MixedAndOrWithNumbers) {
  auto e = evaluate(R"(  - id: AT1
    goal: g
    root:
      or:
        - title: two cheap steps
          and:
            - {title: x, cost: 7}
            - {title: y, cost: low}
        - {title: one medium step, cost: medium}
        - title: choose
          or:
            - {title: p, cost: 30}
            - {title: q, cost: 40}
)");
  EXPECT_EQ(e.report.after.root_cost, 17);
  EXPECT_EQ(e.leaves(), "x + y");
  EXPECT_EQ(e.report.after.attack_count, 4u);  // {x,y}, {medium}, {p}, {q}
}

TEST(AttackTree, ImpossibleLeavesNeverWinAndBlockAnd) {
  auto e = evaluate(R"(  - id: AT1
    goal: g
    root:
      or:
        - title: blocked
          and:
            - {title: never, cost: impossible}
            - {title: cheap, cost: trivial}
        - {title: expensive, cost: high}
)");
  EXPECT_EQ(e.report.after.root_cost, 1000);
  EXPECT_EQ(e.leaves(), "expensive");
  EXPECT_EQ(e.report.after.attack_count, 1u);
}

const char* kMitigated = R"(threats:
  - id: T1
    title: t
    target: a
    likelihood: 1
    impact: 1
    mitigations:
      - {id: M1, description: one, status: verified}
      - {id: M2, description: two, status: planned}
      - {id: M3, description: three, status: in-progress}
)";

TEST(AttackTree, EveryLeafMitigatedMakesTheGoalImpossible) {
  auto e = evaluate(R"(  - id: AT1
    goal: g
    root:
      or:
        - {title: a, cost: trivial, mitigated_by: [M1]}
        - {title: b, cost: low, mitigated_by: [M1]}
)",
                    kMitigated);
  EXPECT_EQ(e.report.before.root_cost, 1);
  EXPECT_EQ(e.report.after.root_cost, kImpossible);
  EXPECT_TRUE(e.report.after.cheapest_leaves.empty());
}

TEST(AttackTree, AssumeAndRankPlannedMitigations) {
  const char* tree = R"(  - id: AT1
    goal: g
    root:
      or:
        - {title: a, cost: trivial, mitigated_by: [M2]}
        - {title: b, cost: low, mitigated_by: [M3]}
        - {title: c, cost: high}
)";
  auto e = evaluate(tree, kMitigated);
  EXPECT_EQ(e.report.after.root_cost, 1);
  ASSERT_EQ(e.report.planned.size(), 2u);
  // M2 alone raises the cheapest attack from 1 to 10 (+9); M3 alone changes nothing.
  EXPECT_EQ(e.run->model->mitigation(e.run->model->mitigation_index[static_cast<size_t>(e.report.planned[0].mitigation)]).id, "M2");
  EXPECT_EQ(e.report.planned[0].raise, 9);
  EXPECT_EQ(e.report.planned[1].raise, 0);
  // What-if: with M2 and M3 done, the attacker must pay for c.
  auto what_if = evaluate(tree, kMitigated, {1, 2});
  EXPECT_EQ(what_if.report.after.root_cost, 1000);
  EXPECT_EQ(what_if.leaves(), "c");
}

TEST(AttackTree, SharedLeafIsPaidOnceInADag) {
  // Naive bottom-up: min(100, 150) + min(100, 150) = 200. Exact: the shared
  // step serves both branches, so the attack costs 100.
  auto e = evaluate(R"(  - id: AT1
    goal: g
    root:
      and:
        - title: first half
          or:
            - {id: shared, title: shared step, cost: medium}
            - {title: x, cost: 150}
        - title: second half
          or:
            - {ref: shared}
            - {title: y, cost: 150}
)");
  EXPECT_EQ(e.report.after.method, analyze::TreeMethod::exact_dag);
  EXPECT_EQ(e.report.after.root_cost, 100);
  EXPECT_EQ(e.leaves(), "shared step");
  EXPECT_EQ(e.report.after.attack_count, 2u);  // minimal attacks: {shared} and {x, y}
}

TEST(AttackTree, SkillAndTimeFollowTheSameRules) {
  auto e = evaluate(R"(  - id: AT1
    goal: g
    root:
      or:
        - title: long but easy
          and:
            - {title: a, cost: low, skill: low, time: 2d}
            - {title: b, cost: low, skill: medium, time: 4h}
        - {title: quick but hard, cost: high, skill: high, time: 30m}
)");
  EXPECT_EQ(e.report.after.min_skill, 2);          // max(low, medium) on the AND, min with high
  EXPECT_DOUBLE_EQ(*e.report.after.min_hours, 0.5);  // min(52h, 0.5h)
}

TEST(AttackTree, WebLoginExampleCheapestAttacks) {
  auto run = analyze_file(testing_support::third_party("examples/web-login.tm.yaml"));
  ASSERT_TRUE(run->model) << run->diagnostics();
  const model::Model& m = *run->model;
  // AT1 "Get admin access": OR(SQLi medium 100, AND(phish medium + reuse low) 110, deserialization high 1000).
  auto at1 = analyze::report_tree(m, m.attack_trees[0], {});
  EXPECT_EQ(at1.after.root_cost, 100);
  ASSERT_EQ(at1.after.cheapest_leaves.size(), 1u);
  EXPECT_EQ(m.attack_nodes[static_cast<size_t>(at1.after.cheapest_leaves[0])].title,
            "Exploit a known SQL injection and escalate to an admin user");
  // AT2 "Steal user PII": OR(AND(100, 10) = 110, AND(100, 1) = 101, AND(10, 1) = 11): the public ACL path.
  auto at2 = analyze::report_tree(m, m.attack_trees[1], {});
  EXPECT_EQ(at2.after.root_cost, 11);
  ASSERT_EQ(at2.after.cheapest_leaves.size(), 2u);
  EXPECT_EQ(m.attack_nodes[static_cast<size_t>(at2.after.cheapest_leaves[0])].title, "Find backups");
  EXPECT_EQ(m.attack_nodes[static_cast<size_t>(at2.after.cheapest_leaves[1])].title, "Download them");
}

TEST(AttackTree, PaymentsExampleBeforeAndAfterMitigations) {
  auto run = analyze_file(testing_support::third_party("examples/payments.tm.yaml"));
  ASSERT_TRUE(run->model) << run->diagnostics();
  const model::Model& m = *run->model;
  auto report = analyze::report_tree(m, m.attack_trees[0], {});
  EXPECT_EQ(report.before.root_cost, 1);   // change the id in the URL
  ASSERT_EQ(report.before.cheapest_leaves.size(), 1u);
  EXPECT_EQ(m.attack_nodes[static_cast<size_t>(report.before.cheapest_leaves[0])].title, "Change the id in /api/invoices/{id}");
  ASSERT_EQ(report.after.cheapest_leaves.size(), 1u);
  EXPECT_EQ(report.after.root_cost, 10);   // M1 verified: leaked DB credentials, low
  EXPECT_EQ(m.attack_nodes[static_cast<size_t>(report.after.cheapest_leaves[0])].title,
            "Leaked database credentials in a repository");
}

}  // namespace
}  // namespace tmc

namespace tmc {
namespace {

// Regression guard: a DAG whose minimal attacks explode (an AND of 10 ORs
// over shared leaves) falls back to the bounds instead of enumerating
// millions of sets.
TEST(AttackTree, ExplodingDagFallsBackToTheUpperBound) {
  std::string yaml = "  - id: AT1\n    goal: g\n    root:\n      and:\n";
  for (int o = 0; o < 10; ++o) {
    yaml += "        - title: part\n          or:\n";
    for (int k = 0; k < 6; ++k) yaml += "            - {ref: L" + std::to_string((o * 3 + k * 5) % 30) + "}\n";
  }
  yaml += "  - id: leaves\n    goal: the shared leaves\n    root:\n      or:\n";
  for (int leaf = 0; leaf < 30; ++leaf) {
    yaml += "        - {id: L" + std::to_string(leaf) + ", title: leaf, cost: " + std::to_string(leaf + 1) + "}\n";
  }
  auto run = testing_support::analyze_text("tmc: 1\ntitle: t\nelements: [{id: a, type: process}]\nattack_trees:\n" + yaml);
  ASSERT_TRUE(run->model) << run->diagnostics();
  auto report = analyze::report_tree(*run->model, run->model->attack_trees[0], {});
  // Too many shared leaves to enumerate and too many attacks for sets; the
  // bounds meet at 15 (leaves 1..5, each shared by two parts, halves each).
  EXPECT_EQ(report.after.method, analyze::TreeMethod::exact_dag);
  EXPECT_EQ(report.after.root_cost, 15);
  EXPECT_EQ(report.after.shared_leaves, 30u);
  EXPECT_FALSE(report.after.attack_count_exact);
}

}  // namespace
}  // namespace tmc

// Models built by hand in C++ (no YAML): the evaluator alone, every DAG
// method forced in turn, and a cross-check against brute force.
namespace tmc {
namespace {

using model::AttackNodeKind;

struct HandModel {
  model::Model m;
  int leaf(double cost, std::string title = "leaf") {
    model::AttackNode node;
    node.title = std::move(title);
    node.cost = cost;
    return add(std::move(node));
  }
  int gate(AttackNodeKind kind, std::vector<int> children, std::string title = "gate") {
    model::AttackNode node;
    node.kind = kind;
    node.title = std::move(title);
    node.children = std::move(children);
    return add(std::move(node));
  }
  int ref(int target) {
    model::AttackNode node;
    node.kind = AttackNodeKind::ref;
    node.ref = model::Text{"n" + std::to_string(target), {}};
    node.ref_index = target;
    return add(std::move(node));
  }
  int add(model::AttackNode node) {
    m.attack_nodes.push_back(std::move(node));
    return static_cast<int>(m.attack_nodes.size()) - 1;
  }
  model::AttackTree tree(int root) const {
    model::AttackTree t;
    t.id = "AT";
    t.root = root;
    return t;
  }
};

analyze::EvaluationLimits only_attack_sets() {
  analyze::EvaluationLimits limits;
  limits.max_shared_leaves = 0;
  return limits;
}
analyze::EvaluationLimits only_bounds() {
  analyze::EvaluationLimits limits;
  limits.max_shared_leaves = 0;
  limits.max_attack_sets = 0;
  return limits;
}

TEST(AttackTreeHand, NaiveSumCountsASharedLeafTwiceEveryExactMethodDoesNot) {
  HandModel h;
  int shared = h.leaf(60, "laptop");
  int x = h.leaf(50, "x");
  int y = h.leaf(45, "y");
  int root = h.gate(AttackNodeKind::and_node,
                    {h.gate(AttackNodeKind::or_node, {shared, x}), h.gate(AttackNodeKind::or_node, {h.ref(shared), y})});
  for (const auto& limits : {analyze::EvaluationLimits{}, only_attack_sets()}) {
    auto v = analyze::evaluate_tree(h.m, h.tree(root), {}, limits);
    EXPECT_EQ(v.method, analyze::TreeMethod::exact_dag);
    EXPECT_EQ(v.root_cost, 60);
    EXPECT_EQ(v.cheapest_leaves, std::vector<int>{shared});
    EXPECT_EQ(v.shared_leaves, 1u);
    EXPECT_TRUE(v.fix_first[static_cast<size_t>(root)]);
    EXPECT_FALSE(v.fix_first[static_cast<size_t>(x)]);
  }
  // Bounds only: the bottom-up choice is {x, y} = 95 (50 < 60, 45 < 60);
  // the laptop reached by 2 paths counts 30 on each: min(30, 50) + min(30, 45).
  auto bound = analyze::evaluate_tree(h.m, h.tree(root), {}, only_bounds());
  EXPECT_EQ(bound.method, analyze::TreeMethod::upper_bound);
  EXPECT_EQ(bound.root_cost, 95);
  EXPECT_EQ(bound.lower_bound, 60);
  EXPECT_EQ(bound.cheapest_leaves, (std::vector<int>{x, y}));
}

TEST(AttackTreeHand, UpperBoundPaysDistinctLeavesOnceNotOncePerPath) {
  HandModel h;
  int shared = h.leaf(10, "shared");
  int root = h.gate(AttackNodeKind::and_node, {shared, h.ref(shared), h.leaf(5)});
  auto bound = analyze::evaluate_tree(h.m, h.tree(root), {}, only_bounds());
  EXPECT_EQ(bound.root_cost, 15);    // bottom-up sum is 25; the chosen leaves cost 10 + 5
  EXPECT_EQ(bound.lower_bound, 15);  // 10 / 2 paths, twice, + 5
  EXPECT_EQ(bound.method, analyze::TreeMethod::exact_dag);  // the bounds meet
  EXPECT_EQ(analyze::evaluate_tree(h.m, h.tree(root), {}).root_cost, 15);
}

TEST(AttackTreeHand, PerNodeCostsSayWhereTheyAreBounds) {
  HandModel h;
  int shared = h.leaf(10, "shared");
  int inner = h.gate(AttackNodeKind::and_node, {shared, h.ref(shared)});  // 20 bottom-up, really 10
  int clean = h.gate(AttackNodeKind::or_node, {shared, h.leaf(30)});      // 10, exact
  int root = h.gate(AttackNodeKind::or_node, {inner, clean});
  auto v = analyze::evaluate_tree(h.m, h.tree(root), {});
  EXPECT_EQ(v.root_cost, 10);
  EXPECT_EQ(v.cost[static_cast<size_t>(inner)], 20);
  EXPECT_FALSE(v.cost_exact[static_cast<size_t>(inner)]);
  EXPECT_TRUE(v.cost_exact[static_cast<size_t>(clean)]);
  EXPECT_TRUE(v.cost_exact[static_cast<size_t>(root)]);
  EXPECT_EQ(v.attack_count, 2u);  // {shared} and {the 30 leaf}
  EXPECT_TRUE(v.attack_count_exact);
}

TEST(AttackTreeHand, CountIsSumOverOrProductOverAnd) {
  HandModel h;
  int a = h.gate(AttackNodeKind::or_node, {h.leaf(1), h.leaf(2), h.leaf(3)});
  int b = h.gate(AttackNodeKind::or_node, {h.leaf(4), h.leaf(5)});
  int root = h.gate(AttackNodeKind::or_node, {h.gate(AttackNodeKind::and_node, {a, b}), h.leaf(kImpossible), h.leaf(7)});
  auto v = analyze::evaluate_tree(h.m, h.tree(root), {});
  EXPECT_EQ(v.method, analyze::TreeMethod::exact_tree);
  EXPECT_EQ(v.attack_count, 7u);  // 3 x 2 + 0 (impossible) + 1
  EXPECT_EQ(v.root_cost, 5);      // 1 + 4
}

TEST(AttackTreeHand, CountSaturatesInsteadOfOverflowing) {
  HandModel h;
  std::vector<int> ors;
  for (int i = 0; i < 70; ++i) ors.push_back(h.gate(AttackNodeKind::or_node, {h.leaf(1), h.leaf(1), h.leaf(1), h.leaf(1)}));
  int root = h.gate(AttackNodeKind::and_node, ors);  // 4^70 attacks
  auto v = analyze::evaluate_tree(h.m, h.tree(root), {});
  EXPECT_EQ(v.root_cost, 70);
  EXPECT_FALSE(v.attack_count_exact);
  EXPECT_EQ(v.attack_count, std::numeric_limits<uint64_t>::max() / 2);
}

TEST(AttackTreeHand, DagSetsGiveExactLeastTimeWhereTheSumDoesNot) {
  HandModel h;
  int shared = h.leaf(10, "shared");
  h.m.attack_nodes[static_cast<size_t>(shared)].time_hours = 5;
  int root = h.gate(AttackNodeKind::and_node, {shared, h.ref(shared)});
  auto v = analyze::evaluate_tree(h.m, h.tree(root), {});
  ASSERT_TRUE(v.min_hours);
  EXPECT_EQ(*v.min_hours, 5);  // bottom-up would say 10
  EXPECT_TRUE(v.min_hours_exact);
}

TEST(AttackTreeHand, NodeWithoutChildrenAndMissingRootAreImpossible) {
  HandModel h;
  int root = h.gate(AttackNodeKind::and_node, {});
  EXPECT_EQ(analyze::evaluate_tree(h.m, h.tree(root), {}).root_cost, kImpossible);
  EXPECT_EQ(analyze::evaluate_tree(h.m, h.tree(-1), {}).root_cost, kImpossible);
}

// Brute force over every subset of possible leaves of a small DAG.
struct BruteForce {
  double cheapest = kImpossible;
  uint64_t minimal_attacks = 0;
};
bool achieves(const model::Model& m, int node, uint32_t chosen, const std::vector<int>& leaf_bit) {
  const model::AttackNode& n = m.attack_nodes[static_cast<size_t>(node)];
  if (n.kind == AttackNodeKind::leaf) {
    int bit = leaf_bit[static_cast<size_t>(node)];
    return bit >= 0 && ((chosen >> bit) & 1);
  }
  if (n.kind == AttackNodeKind::ref) return achieves(m, n.ref_index, chosen, leaf_bit);
  if (n.children.empty()) return false;
  bool is_and = n.kind == AttackNodeKind::and_node;
  for (int c : n.children) {
    if (achieves(m, c, chosen, leaf_bit) != is_and) return !is_and;
  }
  return is_and;
}
BruteForce brute_force(const model::Model& m, int root) {
  std::vector<int> leaf_bit(m.attack_nodes.size(), -1);
  std::vector<double> cost;
  for (size_t i = 0; i < m.attack_nodes.size(); ++i) {
    if (m.attack_nodes[i].kind == AttackNodeKind::leaf && !std::isinf(*m.attack_nodes[i].cost)) {
      leaf_bit[i] = static_cast<int>(cost.size());
      cost.push_back(*m.attack_nodes[i].cost);
    }
  }
  BruteForce out;
  std::vector<bool> works(size_t{1} << cost.size());
  for (uint32_t s = 0; s < works.size(); ++s) works[s] = achieves(m, root, s, leaf_bit);
  for (uint32_t s = 0; s < works.size(); ++s) {
    if (!works[s]) continue;
    double price = 0;
    bool minimal = true;
    for (size_t b = 0; b < cost.size(); ++b) {
      if ((s >> b) & 1) {
        price += cost[b];
        minimal = minimal && !works[s & ~(uint32_t{1} << b)];
      }
    }
    out.cheapest = std::min(out.cheapest, price);
    out.minimal_attacks += minimal ? 1 : 0;
  }
  return out;
}

TEST(AttackTreeHand, RandomDagsAgreeWithBruteForceUnderEveryMethod) {
  uint32_t seed = 12345;
  auto next = [&seed](uint32_t bound) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) % bound;
  };
  const double costs[] = {0, 1, 3, 10, 50, 100, kImpossible};
  int dags_with_sharing = 0, upper_bounds = 0;
  double lower_bound_gap = 0;
  for (int round = 0; round < 300; ++round) {
    HandModel h;
    int leaves = 3 + static_cast<int>(next(8));
    for (int i = 0; i < leaves; ++i) h.leaf(costs[next(7)]);
    int gates = 2 + static_cast<int>(next(7));
    for (int g = 0; g < gates; ++g) {
      std::vector<int> children;
      int fan = 2 + static_cast<int>(next(2));
      int existing = static_cast<int>(h.m.attack_nodes.size());
      for (int c = 0; c < fan; ++c) {
        int child = static_cast<int>(next(static_cast<uint32_t>(existing)));
        children.push_back(next(4) == 0 ? h.ref(child) : child);
      }
      h.gate(next(2) ? AttackNodeKind::and_node : AttackNodeKind::or_node, children);
    }
    int root = static_cast<int>(h.m.attack_nodes.size()) - 1;
    BruteForce expected = brute_force(h.m, root);
    SCOPED_TRACE("round " + std::to_string(round));
    auto enumerated = analyze::evaluate_tree(h.m, h.tree(root), {});
    auto by_sets = analyze::evaluate_tree(h.m, h.tree(root), {}, only_attack_sets());
    auto bounds = analyze::evaluate_tree(h.m, h.tree(root), {}, only_bounds());
    EXPECT_EQ(enumerated.root_cost, expected.cheapest);
    lower_bound_gap += std::isinf(expected.cheapest) ? 0 : expected.cheapest - bounds.lower_bound;
    EXPECT_EQ(by_sets.root_cost, expected.cheapest);
    if (!std::isinf(expected.cheapest)) {
      EXPECT_EQ(by_sets.attack_count, expected.minimal_attacks);
    }
    EXPECT_NE(enumerated.method, analyze::TreeMethod::upper_bound);
    dags_with_sharing += bounds.shared_leaves > 0 ? 1 : 0;
    if (bounds.method == analyze::TreeMethod::upper_bound) {
      ++upper_bounds;
      EXPECT_LT(bounds.lower_bound, bounds.root_cost);
      EXPECT_LE(bounds.lower_bound, expected.cheapest);
      EXPECT_GE(bounds.root_cost, expected.cheapest);
    } else {
      EXPECT_EQ(bounds.root_cost, expected.cheapest);
    }
    // The fix-first leaves are a real attack and cost what was reported.
    for (const auto* v : {&enumerated, &by_sets, &bounds}) {
      if (std::isinf(v->root_cost)) continue;
      std::vector<int> leaf_bit(h.m.attack_nodes.size(), -1);
      uint32_t chosen = 0;
      double price = 0;
      for (size_t k = 0; k < v->cheapest_leaves.size(); ++k) {
        leaf_bit[static_cast<size_t>(v->cheapest_leaves[k])] = static_cast<int>(k);
        chosen |= uint32_t{1} << k;
        price += *h.m.attack_nodes[static_cast<size_t>(v->cheapest_leaves[k])].cost;
      }
      EXPECT_TRUE(achieves(h.m, root, chosen, leaf_bit));
      EXPECT_EQ(price, v->root_cost);
    }
  }
  EXPECT_GT(dags_with_sharing, 100);  // the generator really makes DAGs
  EXPECT_GT(upper_bounds, 20);        // ... where the bounds often differ
  EXPECT_GT(lower_bound_gap, 0);
}

}  // namespace
}  // namespace tmc

// The models in tests/trees/, loaded from YAML.
namespace tmc {
namespace {

std::unique_ptr<testing_support::Analyzed> load_tree_model(const std::string& name) {
  auto run = analyze_file(std::string(TMC_SOURCE_DIR) + "/tests/trees/" + name);
  EXPECT_TRUE(run->model) << run->diagnostics();
  return run;
}

std::string titles(const model::Model& m, const std::vector<int>& leaves) {
  std::string out;
  for (int leaf : leaves) out += (out.empty() ? "" : " + ") + m.attack_nodes[static_cast<size_t>(leaf)].title;
  return out;
}

TEST(AttackTreeFiles, SharedLeafDagPaysTheLaptopOnce) {
  auto run = load_tree_model("dag-shared-leaf.tm.yaml");
  ASSERT_TRUE(run->model);
  const model::Model& m = *run->model;
  auto report = analyze::report_tree(m, m.attack_trees[0], {});
  EXPECT_EQ(report.after.method, analyze::TreeMethod::exact_dag);
  EXPECT_EQ(report.after.root_cost, 60);  // naive bottom-up: 50 + 45 = 95
  EXPECT_EQ(titles(m, report.after.cheapest_leaves), "Steal the maintainer's laptop");
  EXPECT_EQ(report.after.attack_count, 2u);          // {laptop}, {vault, shoulder-surf}
  EXPECT_EQ(report.after.min_skill, 1);              // low: the laptop alone
  EXPECT_DOUBLE_EQ(*report.after.min_hours, 24);     // the laptop (1d) once, not twice
  EXPECT_TRUE(report.after.min_hours_exact);
}

TEST(AttackTreeFiles, MitigationsBeforeAfterRankingAndWhatIf) {
  auto run = load_tree_model("mitigations.tm.yaml");
  ASSERT_TRUE(run->model);
  const model::Model& m = *run->model;
  auto id_of = [&](int mitigation) { return m.mitigation(m.mitigation_index[static_cast<size_t>(mitigation)]).id; };
  auto report = analyze::report_tree(m, m.attack_trees[0], {});
  EXPECT_EQ(report.before.root_cost, 1);
  EXPECT_EQ(report.after.root_cost, 10);
  EXPECT_EQ(titles(m, report.after.cheapest_leaves), "Replay a leaked token");
  ASSERT_EQ(report.planned.size(), 2u);
  EXPECT_EQ(id_of(report.planned[0].mitigation), "M3");
  EXPECT_EQ(report.planned[0].raised_to, 110);
  EXPECT_EQ(report.planned[0].raise, 100);
  EXPECT_EQ(id_of(report.planned[1].mitigation), "M2");
  EXPECT_EQ(report.planned[1].raise, 0);

  int m2 = m.find_mitigation("M2"), m3 = m.find_mitigation("M3");
  auto assume_m3 = analyze::report_tree(m, m.attack_trees[0], {m3});
  EXPECT_EQ(assume_m3.after.root_cost, 110);
  EXPECT_EQ(titles(m, assume_m3.after.cheapest_leaves), "Phish the password + Reuse it from another network");
  ASSERT_EQ(assume_m3.planned.size(), 1u);  // M2 is left; alone it moves the attacker to the insider
  EXPECT_EQ(assume_m3.planned[0].raised_to, 1000);
  auto assume_both = analyze::report_tree(m, m.attack_trees[0], {m2, m3});
  EXPECT_EQ(assume_both.after.root_cost, 1000);
  EXPECT_EQ(titles(m, assume_both.after.cheapest_leaves), "Bribe an insider");
  EXPECT_TRUE(assume_both.planned.empty());
  EXPECT_EQ(assume_both.before.root_cost, 1);  // "before" ignores every status and assumption

  // AT2: M1 (verified) closes one leaf; the other needs M1 and M2, so M2
  // alone cuts every attack.
  auto at2 = analyze::report_tree(m, m.attack_trees[1], {});
  EXPECT_EQ(at2.after.root_cost, 1);
  ASSERT_EQ(at2.planned.size(), 1u);
  EXPECT_EQ(id_of(at2.planned[0].mitigation), "M2");
  EXPECT_EQ(at2.planned[0].raise, kImpossible);
  EXPECT_EQ(at2.planned[0].raised_to, kImpossible);
}

}  // namespace
}  // namespace tmc

namespace tmc {
namespace {

// Regression guard: on the bounds path, a goal that is impossible because
// of an OR without children must not be priced by the leaves marked on
// the way (they would look like a cheap attack).
TEST(AttackTreeBounds, ImpossibleGoalStaysImpossibleOnTheBoundsPath) {
  model::Model m;
  auto add = [&m](model::AttackNodeKind kind, std::vector<int> children, std::optional<double> cost) {
    model::AttackNode node;
    node.kind = kind;
    node.children = std::move(children);
    node.cost = cost;
    m.attack_nodes.push_back(std::move(node));
    return static_cast<int>(m.attack_nodes.size()) - 1;
  };
  int shared = add(model::AttackNodeKind::leaf, {}, 3);
  int empty_or = add(model::AttackNodeKind::or_node, {}, std::nullopt);
  int root = add(model::AttackNodeKind::and_node, {shared, shared, empty_or}, std::nullopt);
  model::AttackTree tree;
  tree.root = root;
  analyze::EvaluationLimits bounds_only;
  bounds_only.max_shared_leaves = 0;
  bounds_only.max_attack_sets = 0;
  auto v = analyze::evaluate_tree(m, tree, {}, bounds_only);
  EXPECT_EQ(v.root_cost, analyze::kImpossible);
  EXPECT_TRUE(v.cheapest_leaves.empty());
}

}  // namespace
}  // namespace tmc

namespace tmc {
namespace {

TEST(AttackTree, FiniteCostsSaturateInsteadOfOverflowingToImpossible) {
  auto run = testing_support::analyze_file(std::string(TMC_SOURCE_DIR) + "/tests/trees/huge-costs.tm.yaml");
  ASSERT_TRUE(run->model) << run->diagnostics();
  for (size_t t = 0; t < run->model->attack_trees.size(); ++t) {
    auto report = analyze::report_tree(*run->model, run->model->attack_trees[t], {});
    EXPECT_FALSE(std::isinf(report.after.root_cost)) << "tree " << t << " priced impossible";
    EXPECT_EQ(report.after.root_cost, std::numeric_limits<double>::max()) << "tree " << t;
    EXPECT_FALSE(report.after.cheapest_leaves.empty()) << "tree " << t;
  }
  EXPECT_EQ(analyze::add_costs(1e308, 1e308), std::numeric_limits<double>::max());
  EXPECT_EQ(analyze::add_costs(1, kImpossible), kImpossible);
  EXPECT_EQ(analyze::add_costs(1, 2), 3);
}

}  // namespace
}  // namespace tmc

namespace tmc {
namespace {

TEST(AttackTree, HugeCostsPrintShort) {
  EXPECT_EQ(analyze::describe_cost(std::numeric_limits<double>::max()), "1.79769e+308");
  EXPECT_EQ(analyze::describe_cost(1e15), "1e+15");
  EXPECT_EQ(analyze::describe_cost(120), "120");
  EXPECT_EQ(analyze::describe_cost(2.5), "2.50");
}

// Evaluation works on the tree's own nodes: a tree's values exist for
// its nodes, and read as absent for every other node of the model.
TEST(AttackTree, ValuesAreKeptOnlyForTheTreesOwnNodes) {
  auto run = testing_support::analyze_text(
      "tmc: 1\ntitle: t\nelements: [{id: a, type: process}]\nattack_trees:\n"
      "  - {id: AT1, goal: g, root: {and: [{title: x, cost: low}, {title: y, cost: medium}]}}\n"
      "  - {id: AT2, goal: h, root: {or: [{title: z, cost: high}, {title: w, cost: trivial}]}}\n");
  ASSERT_TRUE(run->model) << run->diagnostics();
  const auto& m = *run->model;
  auto second = analyze::report_tree(m, m.attack_trees[1], {});
  EXPECT_EQ(second.after.root_cost, 1);
  EXPECT_TRUE(std::isinf(second.after.cost[static_cast<size_t>(m.attack_trees[0].root)]));
  EXPECT_FALSE(second.after.fix_first[static_cast<size_t>(m.attack_trees[0].root)]);
  EXPECT_TRUE(second.after.fix_first[static_cast<size_t>(m.attack_trees[1].root)]);
  ASSERT_EQ(second.after.cheapest_leaves.size(), 1u);
  EXPECT_EQ(m.attack_nodes[static_cast<size_t>(second.after.cheapest_leaves[0])].title, "w");
}

}  // namespace
}  // namespace tmc
