// Attack-tree evaluation on trees computed by hand.
#include "analyze/attack_tree.h"

#include <gtest/gtest.h>

#include "analysis_fixture.h"

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
  auto run = analyze_file(std::string(TMC_SHARED_DIR) + "/examples/web-login.tm.yaml");
  ASSERT_TRUE(run->model);
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
  auto run = analyze_file(std::string(TMC_SHARED_DIR) + "/examples/payments.tm.yaml");
  ASSERT_TRUE(run->model);
  const model::Model& m = *run->model;
  auto report = analyze::report_tree(m, m.attack_trees[0], {});
  EXPECT_EQ(report.before.root_cost, 1);   // change the id in the URL
  EXPECT_EQ(report.after.root_cost, 10);   // M1 verified: leaked DB credentials, low
  EXPECT_EQ(m.attack_nodes[static_cast<size_t>(report.after.cheapest_leaves[0])].title,
            "Leaked database credentials in a repository");
}

}  // namespace
}  // namespace tmc

namespace tmc {
namespace {

// Regression guard: a DAG whose minimal attacks explode (an AND of 10 ORs
// over shared leaves) falls back to the documented upper bound instead of
// enumerating millions of sets.
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
  EXPECT_EQ(report.after.method, analyze::TreeMethod::upper_bound);
  EXPECT_FALSE(report.after.attack_count_exact);
  EXPECT_LT(report.after.root_cost, analyze::kImpossible);
}

}  // namespace
}  // namespace tmc
