// Every built-in rule fires on its intended target in one small model and
// stays quiet in a sibling where the control is present (tests/rules/cases.yaml).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "analysis_fixture.h"

namespace tmc {
namespace {

using testing_support::analyze_text;

struct RuleCase {
  std::string rule, target, fires, quiet;
  std::string name;  // the test's name: the rule's id, then _2, _3 for its further cases
};

void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.rule; }

std::vector<RuleCase> load_cases() {
  std::ifstream in(std::string(TMC_SOURCE_DIR) + "/tests/rules/cases.yaml");
  std::stringstream text;
  text << in.rdbuf();
  SourceManager sources;
  DiagnosticSink sink;
  uint32_t file = sources.add("cases.yaml", text.str());
  load::SyntaxTree root = load::parse_document(file, sources, load::LoadLimits(), sink);
  std::vector<RuleCase> cases;
  if (!root) return cases;
  std::map<std::string, int> seen;
  for (const load::NodePtr& item : root->find("cases")->value->items()) {
    RuleCase c{std::string(item->find("rule")->value->text()), std::string(item->find("target")->value->text()),
               std::string(item->find("fires")->value->text()), std::string(item->find("quiet")->value->text()), {}};
    c.name = c.rule;
    for (char& ch : c.name) if (ch == '-') ch = '_';
    if (int n = ++seen[c.rule]; n > 1) c.name += "_" + std::to_string(n);
    cases.push_back(std::move(c));
  }
  return cases;
}

std::set<std::string> targets_of(const testing_support::Analyzed& run, const std::string& rule) {
  std::set<std::string> targets;
  for (const analyze::RuleFinding& f : run.analysis->findings) {
    if (f.rule == rule) targets.insert(f.target_id);
    // A hygiene rule fires as a part of the checklist item, a folded rule
    // as a part of the item of its root cause.
    for (const analyze::RuleFinding::Part& part : f.parts) {
      if (part.rule != rule) continue;
      const size_t at = static_cast<size_t>(part.target);
      targets.insert(part.kind == model::TargetKind::flow ? run.model->flows[at].id : run.model->elements[at].id);
    }
  }
  return targets;
}

class RuleCases : public ::testing::TestWithParam<RuleCase> {};

TEST_P(RuleCases, FiresOnTheTargetAndNotOnTheSibling) {
  const RuleCase& c = GetParam();
  auto fires = analyze_text("tmc: 1\ntitle: case\n" + c.fires);
  ASSERT_TRUE(fires->analysis) << fires->diagnostics();
  EXPECT_EQ(targets_of(*fires, c.rule), std::set<std::string>{c.target}) << fires->diagnostics();
  auto quiet = analyze_text("tmc: 1\ntitle: case\n" + c.quiet);
  ASSERT_TRUE(quiet->analysis) << quiet->diagnostics();
  EXPECT_EQ(targets_of(*quiet, c.rule), std::set<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(BuiltIn, RuleCases, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<RuleCase>& param) { return param.param.name; });

TEST(RuleCases, EveryBuiltInRuleHasACase) {
  SourceManager sources;
  DiagnosticSink sink;
  auto library = analyze::RuleLibrary::builtin(sources, sink);
  EXPECT_FALSE(sink.has_errors());
  EXPECT_GE(library.size(), 75u);  // issue 12: 75+ built-in rules
  std::set<std::string> covered;
  for (const RuleCase& c : load_cases()) covered.insert(c.rule);
  for (const std::string& id : library.ids()) EXPECT_TRUE(covered.count(id)) << id << " has no case";
}

}  // namespace
}  // namespace tmc
