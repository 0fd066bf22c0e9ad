// Attack-tree renderers on models built by hand: the exact terminal
// drawing, Mermaid that model text cannot break, and the JSON values.
#include "render/attack_tree_render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace tmc::render {
namespace {

using model::AttackNodeKind;

struct HandTree {
  model::Model m;
  model::AttackTree tree;
  int add(AttackNodeKind kind, std::string title, std::optional<model::CostLevel> cost = {}, std::vector<int> children = {}) {
    model::AttackNode node;
    node.kind = kind;
    node.title = std::move(title);
    node.cost_level = cost;
    node.children = std::move(children);
    m.attack_nodes.push_back(std::move(node));
    return static_cast<int>(m.attack_nodes.size()) - 1;
  }
  void mitigate(int leaf, const std::string& id, model::MitigationStatus status, const std::string& description) {
    if (m.threats.empty()) m.threats.push_back(model::Threat{});
    model::Mitigation mitigation;
    mitigation.id = id;
    mitigation.status = status;
    mitigation.description = description;
    m.threats[0].mitigations.push_back(mitigation);
    m.mitigation_index.push_back({0, static_cast<int>(m.threats[0].mitigations.size()) - 1});
    m.attack_nodes[static_cast<size_t>(leaf)].mitigated_by_indexes.push_back(static_cast<int>(m.mitigation_index.size()) - 1);
  }
};

// OR( AND(a low, b trivial) = 11, hard high, old bug trivial [M1 verified] ).
HandTree small_tree() {
  using model::CostLevel;
  HandTree h;
  int a = h.add(AttackNodeKind::leaf, "a", CostLevel::low);
  int b = h.add(AttackNodeKind::leaf, "b", CostLevel::trivial);
  int both = h.add(AttackNodeKind::and_node, "Two steps", {}, {a, b});
  int hard = h.add(AttackNodeKind::leaf, "Hard way", CostLevel::high);
  int old_bug = h.add(AttackNodeKind::leaf, "Old bug", CostLevel::trivial);
  h.tree.id = "AT1";
  h.tree.goal = "Get in";
  h.tree.root = h.add(AttackNodeKind::or_node, "", {}, {both, hard, old_bug});
  h.mitigate(old_bug, "M1", model::MitigationStatus::verified, "Patched.");
  h.mitigate(a, "M2", model::MitigationStatus::planned, "Lock it.");
  return h;
}

TEST(AttackTreeText, DrawsKindsCostsFixFirstMitigationsAndRanking) {
  HandTree h = small_tree();
  auto report = analyze::report_tree(h.m, h.tree, {});
  EXPECT_EQ(attack_tree_text(h.m, report),
            "AT1: Get in\n"
            "cheapest attack: 11 now, trivial ignoring mitigations\n"
            "method: exact (tree)\n"
            "fix first: a + b\n"
            "distinct minimal attacks: 2\n"
            "OR  Get in  [11]  <-- fix first\n"
            "├─ AND Two steps  [11]  <-- fix first\n"
            "│  ├─ a  [low] (mitigation M2 planned)  <-- fix first\n"
            "│  └─ b  [trivial]  <-- fix first\n"
            "├─ Hard way  [high]\n"
            "└─ Old bug  [trivial -> impossible: M1 verified]\n"
            "planned mitigations, by how much each alone raises the cheapest attack:\n"
            "  M2     +989               -> high  Lock it.\n");
}

TEST(AttackTreeText, WhatIfMovesTheFixFirstMark) {
  HandTree h = small_tree();
  auto report = analyze::report_tree(h.m, h.tree, {1});  // assume M2 done
  std::string text = attack_tree_text(h.m, report);
  EXPECT_NE(text.find("cheapest attack: high now, trivial ignoring mitigations\n"), std::string::npos) << text;
  EXPECT_NE(text.find("├─ Hard way  [high]  <-- fix first\n"), std::string::npos) << text;
  EXPECT_NE(text.find("a  [low -> impossible: M2 assumed done]\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("planned mitigations"), std::string::npos) << text;
}

TEST(AttackTreeText, DagShowsBoundsPerNodeAndTheMethod) {
  HandTree h;
  int shared = h.add(AttackNodeKind::leaf, "shared", model::CostLevel::low);
  h.m.attack_nodes[static_cast<size_t>(shared)].id = "s";
  model::AttackNode ref;
  ref.kind = AttackNodeKind::ref;
  ref.ref = model::Text{"s", {}};
  ref.ref_index = shared;
  h.m.attack_nodes.push_back(ref);
  int both = h.add(AttackNodeKind::and_node, "Twice", {}, {shared, 1});
  h.tree.id = "AT1";
  h.tree.goal = "g";
  h.tree.root = h.add(AttackNodeKind::or_node, "Top", {}, {both});
  auto report = analyze::report_tree(h.m, h.tree, {});
  std::string text = attack_tree_text(h.m, report);
  EXPECT_NE(text.find("method: exact (DAG, 1 shared leaf paid once)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("OR  Top  [low]  <-- fix first\n"), std::string::npos) << text;
  EXPECT_NE(text.find("└─ AND Twice  [≤ 20]  <-- fix first\n"), std::string::npos) << text;
  EXPECT_NE(text.find("   └─ REF (shared s) shared  [low]  <-- fix first\n"), std::string::npos) << text;
}

TEST(AttackTreeMermaid, ModelTextCannotBreakTheSyntax) {
  HandTree h = small_tree();
  h.m.attack_nodes[0].title = "x\"]\nend\nclick n_0 call alert(1)\n%%{init: {}}%% <b>&#";
  h.tree.goal = "goal\"] --> evil[\"";
  h.tree.id = "AT-1";
  auto report = analyze::report_tree(h.m, h.tree, {});
  std::string out = attack_tree_mermaid(h.m, {report});
  EXPECT_EQ(out.rfind("flowchart TD\n", 0), 0u);
  size_t start = 0;
  int ends = 0;
  while (start < out.size()) {
    size_t stop = out.find('\n', start);
    std::string line = out.substr(start, stop - start);
    start = stop + 1;
    if (line == "  end") ++ends;
    EXPECT_NE(line.substr(line.find_first_not_of(' ') == std::string::npos ? 0 : line.find_first_not_of(' '), 5), "click") << line;
    EXPECT_EQ(line.find('<'), std::string::npos) << line;
    size_t open = line.find("[\"");
    if (open == std::string::npos) continue;
    size_t close = line.rfind("\"]");
    ASSERT_NE(close, std::string::npos) << line;
    std::string label = line.substr(open + 2, close - open - 2);
    EXPECT_EQ(label.find_first_of("\"[]{}()<>`%|\n"), std::string::npos) << label;
  }
  EXPECT_EQ(ends, 1);
  EXPECT_NE(out.find("n_0[\"x#quot;#93; end click n_0 call alert#40;1#41; #37;#37;#123;init: #123;#125;#125;#37;#37; #lt;b#gt;#amp;#35; #91;low#93;\"]"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("class n_5 fixfirst"), std::string::npos);
  EXPECT_NE(out.find("class n_4 mitigated"), std::string::npos);
}

TEST(AttackTreeJson, ValuesPerTreeAndPerNode) {
  HandTree h = small_tree();
  auto report = analyze::report_tree(h.m, h.tree, {});
  auto json = nlohmann::json::parse(attack_tree_json(h.m, report));
  EXPECT_EQ(json["id"], "AT1");
  EXPECT_EQ(json["method"], "exact");
  EXPECT_EQ(json["cheapest"], 11.0);
  EXPECT_EQ(json["cheapest_before_mitigations"], 1.0);
  EXPECT_EQ(json["fix_first"], nlohmann::json({"a", "b"}));
  EXPECT_EQ(json["minimal_attacks"], 2);
  ASSERT_EQ(json["planned_mitigations"].size(), 1u);
  EXPECT_EQ(json["planned_mitigations"][0]["mitigation"], "M2");
  EXPECT_EQ(json["planned_mitigations"][0]["raises_to"], 1000.0);
  ASSERT_EQ(json["nodes"].size(), 6u);
  EXPECT_EQ(json["nodes"][0]["title"], "Get in");
  EXPECT_EQ(json["nodes"][0]["parent"], nullptr);
  EXPECT_EQ(json["nodes"][2]["title"], "a");
  EXPECT_EQ(json["nodes"][2]["parent"], 1);
  EXPECT_EQ(json["nodes"][5]["title"], "Old bug");
  EXPECT_EQ(json["nodes"][5]["cost"], "impossible");
  EXPECT_EQ(json["nodes"][5]["cost_before_mitigations"], 1.0);
  EXPECT_EQ(json["nodes"][5]["mitigated"], true);
}

}  // namespace
}  // namespace tmc::render
