// What `check` skips (issue 13): the coverage matrix and the fingerprints
// (of the ranked items and of every finding) are built only when asked, or, for fingerprints, when a baseline needs
// them; findings refer to their rule's text instead of copying it.
#include <gtest/gtest.h>

#include "analysis_fixture.h"
#include "third_party.h"
#include "analyze/baseline.h"
#include "analyze/rule_language.h"

namespace tmc {
namespace {

using testing_support::analyze_file;

std::string example(const char* name) { return testing_support::third_party(std::string("examples/") + name); }

TEST(CheckOptions, CoverageAndFingerprintsOnlyWhenAsked) {
  auto full = analyze_file(example("payments.tm.yaml"));
  ASSERT_TRUE(full->analysis) << full->diagnostics();
  ASSERT_FALSE(full->analysis->coverage.rows.empty());
  ASSERT_FALSE(full->analysis->ranked.empty());
  for (const auto& item : full->analysis->ranked) EXPECT_EQ(item.fingerprint.size(), 16u);
  for (const auto& finding : full->analysis->findings) EXPECT_EQ(finding.fingerprint.size(), 16u);

  analyze::AnalyzeOptions options = testing_support::default_options();
  options.coverage = false;
  options.fingerprints = false;
  auto lean = analyze_file(example("payments.tm.yaml"), options);
  ASSERT_TRUE(lean->analysis) << lean->diagnostics();
  EXPECT_TRUE(lean->analysis->coverage.rows.empty());
  EXPECT_EQ(lean->analysis->coverage.applicable, 0);
  for (const auto& item : lean->analysis->ranked) EXPECT_TRUE(item.fingerprint.empty());
  for (const auto& finding : lean->analysis->findings) EXPECT_TRUE(finding.fingerprint.empty());
  // Everything the gate and the diagnostics read is the same.
  EXPECT_EQ(lean->analysis->done, full->analysis->done);
  EXPECT_EQ(lean->analysis->findings.size(), full->analysis->findings.size());
  ASSERT_EQ(lean->analysis->ranked.size(), full->analysis->ranked.size());
  for (size_t i = 0; i < lean->analysis->ranked.size(); ++i) {
    EXPECT_EQ(lean->analysis->ranked[i].index, full->analysis->ranked[i].index);
    EXPECT_EQ(lean->analysis->ranked[i].risk, full->analysis->ranked[i].risk);
  }
  EXPECT_EQ(lean->diagnostics(), full->diagnostics());
}

TEST(CheckOptions, ABaselineStillGetsFingerprints) {
  auto full = analyze_file(example("payments.tm.yaml"));
  ASSERT_TRUE(full->analysis) << full->diagnostics();
  analyze::Baseline baseline = analyze::make_baseline(*full->model, *full->analysis);
  ASSERT_FALSE(baseline.entries.empty());

  analyze::AnalyzeOptions options = testing_support::default_options();
  options.coverage = false;
  options.fingerprints = false;
  options.baseline = &baseline;
  auto lean = analyze_file(example("payments.tm.yaml"), options);
  ASSERT_TRUE(lean->analysis) << lean->diagnostics();
  for (size_t i = 0; i < lean->analysis->ranked.size(); ++i) {
    EXPECT_EQ(lean->analysis->ranked[i].fingerprint, full->analysis->ranked[i].fingerprint);
  }
  EXPECT_EQ(lean->analysis->baselined, static_cast<int>(baseline.entries.size()) -
                                           static_cast<int>(lean->analysis->baseline_gone.size()));
  EXPECT_TRUE(lean->analysis->done);
}

// The JSON outputs print every finding's fingerprint, open or not; an open
// finding's must be its ranked item's, which the baseline records.
TEST(CheckOptions, EveryFindingHasTheFingerprintOfItsRankedItem) {
  auto run = analyze_file(std::string(TMC_SOURCE_DIR) + "/templates/payments.tm.yaml");
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  const analyze::Analysis& a = *run->analysis;
  bool closed_finding = false;
  for (const analyze::RuleFinding& f : a.findings) {
    EXPECT_EQ(f.fingerprint.size(), 16u) << f.rule << ":" << f.target_id;
    closed_finding = closed_finding || f.status != analyze::FindingStatus::open;
  }
  EXPECT_TRUE(closed_finding) << "the template dismisses a finding; this test needs one";
  int ranked_findings = 0;
  for (const analyze::RankedItem& item : a.ranked) {
    if (item.kind != analyze::RankedItem::Kind::finding) continue;
    ++ranked_findings;
    EXPECT_EQ(item.fingerprint, a.findings[static_cast<size_t>(item.index)].fingerprint);
  }
  EXPECT_GT(ranked_findings, 0);
}

TEST(CheckOptions, FindingsReferToTheirRulesText) {
  auto run = analyze_file(example("payments.tm.yaml"));
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  ASSERT_FALSE(run->analysis->findings.empty());
  for (const analyze::RuleFinding& f : run->analysis->findings) {
    int index = run->rules.find(f.rule);
    ASSERT_GE(index, 0) << f.rule;
    const analyze::Rule& rule = run->rules.rule(static_cast<size_t>(index));
    EXPECT_EQ(&f.title, &rule.title);
    EXPECT_EQ(&f.mitigation, &rule.mitigation);
    EXPECT_EQ(&f.rationale, &rule.rationale);
    EXPECT_EQ(&f.references, &rule.references);
    EXPECT_FALSE(f.title.empty());
  }
}

}  // namespace
}  // namespace tmc
