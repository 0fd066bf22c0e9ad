// Crossing declarations, hygiene warnings and rule references.
#include <gtest/gtest.h>

#include "analysis_fixture.h"

namespace tmc {
namespace {

using testing_support::analyze_text;

std::string codes(const testing_support::Analyzed& run) {
  std::string out;
  for (const Diagnostic& d : run.sink.sorted()) {
    out += std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + " " + to_string(d.severity) + " " + d.code + "\n";
  }
  return out;
}

const char* kCrossing = R"(tmc: 1
title: t
boundaries: [{id: a}, {id: b}]
elements:
  - {id: x, type: process, boundary: a}
  - {id: y, type: process, boundary: b}
flows:
  - {id: f, from: x, to: y, protocol: HTTPS, authentication: token}
)";

std::vector<std::string> findings_of(const testing_support::Analyzed& run, const std::string& rule) {
  std::vector<std::string> targets;
  for (const analyze::RuleFinding& f : run.analysis->findings) {
    if (f.rule == rule) targets.push_back(f.target_id);
  }
  return targets;
}

std::unique_ptr<testing_support::Analyzed> analyze_strict(const std::string& text) {
  auto strict = std::make_unique<testing_support::Analyzed>();
  strict->sink = DiagnosticSink(true);
  strict->rules = analyze::RuleLibrary::builtin(strict->sources, strict->sink);
  load::MemoryFileSystem fs;
  fs.files["/m/model.tm.yaml"] = text;
  auto documents = load::load_model("/m/model.tm.yaml", fs, load::LoadLimits(), strict->sources, strict->sink);
  return testing_support::analyze_documents(std::move(strict), documents, testing_support::default_options());
}

// Issue 12: an undeclared crossing is said once. The finding of
// TMC-CROSSING-UNDECLARED stands (ranked and gated); the warning of the same
// name used to repeat it. Under --strict it is still an error.
TEST(Hygiene, UndeclaredCrossingIsOneFindingAndAnErrorUnderStrict) {
  auto run = analyze_text(kCrossing);
  ASSERT_TRUE(run->analysis);
  EXPECT_EQ(codes(*run), "");
  EXPECT_EQ(findings_of(*run, "TMC-CROSSING-UNDECLARED"), std::vector<std::string>{"f"});
  ASSERT_EQ(run->analysis->crossings.size(), 1u);
  EXPECT_EQ(run->analysis->crossings[0].exited, std::vector<int>{0});
  EXPECT_EQ(run->analysis->crossings[0].entered, std::vector<int>{1});
  EXPECT_TRUE(run->analysis->crossings[0].encrypted);

  auto strict = analyze_strict(kCrossing);
  EXPECT_EQ(codes(*strict), "8:5 error undeclared-crossing\n");
  EXPECT_EQ(strict->sink.diagnostics()[0].message,
            "flow 'f' crosses a trust boundary but does not declare 'authorization' and 'validation' (a mechanism, or 'none')");
}

// With the rule switched off no finding says it: the warning does.
TEST(Hygiene, UndeclaredCrossingWarnsWhenTheRuleIsOff) {
  std::string model = std::string(kCrossing) +
                      "rules:\n  - {rule: TMC-CROSSING-UNDECLARED, enabled: false, reason: declared in the platform model, by: Lee}\n";
  auto run = analyze_text(model);
  ASSERT_TRUE(run->analysis);
  EXPECT_EQ(findings_of(*run, "TMC-CROSSING-UNDECLARED"), std::vector<std::string>{});
  EXPECT_EQ(codes(*run), "8:5 warning undeclared-crossing\n");
  EXPECT_EQ(run->sink.diagnostics()[0].message,
            "flow 'f' crosses a trust boundary but does not declare 'authorization' and 'validation' (a mechanism, or 'none')");
  EXPECT_EQ(codes(*analyze_strict(model)), "8:5 error undeclared-crossing\n");
}

// A dismissed finding is an answer: no warning repeats it either.
TEST(Hygiene, UndeclaredCrossingDismissedIsNotRepeated) {
  std::string model = std::string(kCrossing) +
                      "dismissed:\n  - {rule: TMC-CROSSING-UNDECLARED, target: f, reason: the platform team owns it, by: Lee Park}\n";
  auto run = analyze_text(model);
  ASSERT_TRUE(run->analysis);
  ASSERT_EQ(run->analysis->findings.size(), 1u) << run->diagnostics();
  EXPECT_EQ(run->analysis->findings[0].status, analyze::FindingStatus::dismissed);
  EXPECT_EQ(codes(*run), "");
}

TEST(Hygiene, NestedZonesCrossOnlyTheBoundariesBetweenThem) {
  auto run = analyze_text(R"(tmc: 1
title: t
boundaries:
  - {id: cloud}
  - {id: app, parent: cloud}
  - {id: data, parent: cloud}
elements:
  - {id: outside, type: external}
  - {id: api, type: process, boundary: app}
  - {id: db, type: store, boundary: data}
  - {id: cache, type: store, boundary: app}
flows:
  - {id: in, from: outside, to: api, authentication: a, authorization: b, validation: c}
  - {id: across, from: api, to: db, authentication: a, authorization: b, validation: c}
  - {id: inside, from: api, to: cache}
)");
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  const auto& crossings = run->analysis->crossings;
  ASSERT_EQ(crossings.size(), 2u);
  EXPECT_EQ(crossings[0].entered, (std::vector<int>{0, 1}));  // cloud, then app
  EXPECT_TRUE(crossings[0].exited.empty());
  EXPECT_EQ(crossings[1].exited, std::vector<int>{1});   // leaves app
  EXPECT_EQ(crossings[1].entered, std::vector<int>{2});  // enters data, not cloud
}

TEST(Hygiene, TooManyThreatsAndLikelyDuplicates) {
  auto run = analyze_text(R"(tmc: 1
title: t
max_threats: 2
elements: [{id: api, type: process}]
threats:
  - {id: T1, title: Attacker reads other users invoices, target: api, stride: [I], likelihood: 1, impact: 1}
  - {id: T2, title: Attacker reads other users invoices by id, target: api, stride: [I, E], likelihood: 1, impact: 1}
  - {id: T3, title: Service runs out of memory, target: api, stride: [D], likelihood: 1, impact: 1}
)");
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  EXPECT_EQ(codes(*run), "7:5 warning likely-duplicate\n8:5 warning too-many-threats\n");
}

TEST(Hygiene, UnknownRuleNamesAndStaleDismissals) {
  auto run = analyze_text(R"(tmc: 1
title: t
elements: [{id: api, type: process}]
threats:
  - {id: T1, title: t, target: api, rule: TMC-IDOOR, likelihood: 1, impact: 1}
dismissed:
  - {rule: TMC-SQL-INJECTION, target: api, reason: no database, by: me}
)");
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  EXPECT_EQ(codes(*run), "5:43 warning unknown-rule\n7:5 warning stale-dismissal\n");
  EXPECT_EQ(run->sink.sorted()[0].message, "unknown rule 'TMC-IDOOR'; did you mean 'TMC-IDOR'?");
}

TEST(Hygiene, AThreatNamingTheRuleAddressesTheFinding) {
  auto run = analyze_text(R"(tmc: 1
title: t
elements:
  - {id: api, type: process, internet_facing: true, controls: [generic-errors]}
threats:
  - {id: T1, title: Flooding, target: api, rule: TMC-NO-RATE-LIMIT, stride: [D], likelihood: 2, impact: 1, status: accepted, accepted_by: Lead, reason: Behind the CDN limits.}
)");
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  ASSERT_EQ(run->analysis->findings.size(), 1u);
  EXPECT_EQ(run->analysis->findings[0].rule, "TMC-NO-RATE-LIMIT");
  EXPECT_EQ(run->analysis->findings[0].status, analyze::FindingStatus::addressed);
  EXPECT_EQ(run->analysis->findings[0].addressed_by, 0);
  // Not raised for exposure: a rule of likelihood 1 needs a further condition
  // however exposed its target is (issue 21); a hardening rule's impact is its default.
  EXPECT_EQ(run->analysis->findings[0].likelihood, 1);
  EXPECT_EQ(run->analysis->findings[0].impact, 2);
  EXPECT_EQ(run->analysis->findings[0].raises,
            std::vector<std::string>{
                "likelihood stays 1: api is internet-facing, but the rule's weakness needs a further condition"});
}

}  // namespace
}  // namespace tmc

namespace tmc {
namespace {

TEST(Hygiene, ClearingALetterThatDoesNotApplyIsAWarning) {
  auto run = testing_support::analyze_text(R"(tmc: 1
title: t
elements:
  - {id: user, type: external, clear: {S: Users sign in with passkeys., T: not a letter of externals}}
)");
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  ASSERT_EQ(run->sink.diagnostics().size(), 1u);
  EXPECT_EQ(run->sink.diagnostics()[0].code, "clear-not-applicable");
  EXPECT_EQ(run->sink.diagnostics()[0].message,
            "'T' is cleared on 'user', but T does not apply to this kind of element (applicable: SR)");
  // The applicable clearance counts as coverage.
  EXPECT_EQ(run->analysis->coverage.covered, 1);
  EXPECT_EQ(run->analysis->coverage.applicable, 2);
}

}  // namespace
}  // namespace tmc

namespace tmc {
namespace {

// A message names the data its rule read: a log that holds no asset itself
// but is written personal data names that data (a new user's transit model
// printed "stores personal data () with no retention policy").
TEST(Hygiene, AMessageNamesTheDataItsFlowsCarry) {
  auto run = testing_support::analyze_text(R"(tmc: 1
title: t
assets: [{id: rider, name: Rider account, classes: [pii]}]
elements:
  - {id: api, type: process}
  - {id: audit_log, name: Audit log, type: store, store: log, controls: [append-only, encryption-at-rest, redaction]}
flows:
  - {id: write, from: api, to: audit_log, protocol: HTTPS, data: [rider]}
)");
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  const analyze::RuleFinding* retention = nullptr;
  for (const analyze::RuleFinding& f : run->analysis->findings) {
    if (f.rule == "TMC-PII-RETENTION") retention = &f;
  }
  ASSERT_NE(retention, nullptr);
  EXPECT_EQ(retention->why, "Audit log stores personal data (Rider account) with no retention policy");
}

}  // namespace
}  // namespace tmc
