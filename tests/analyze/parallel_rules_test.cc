// The rules give the same findings, in the same order, however many
// threads share the work (run_rules splits rules between threads, then
// findings in chunks).
#include <gtest/gtest.h>

#include <string>

#include "analysis_fixture.h"
#include "analyze/rules.h"
#include "analyze/zones.h"

namespace tmc::analyze {
namespace {

// A model of `n` elements in nested zones with every kind of element,
// store and flow declaration the rules read, a threat answering a rule, a
// dismissal and a rule setting.
std::string synthetic_model(int n) {
  static const char* const kKinds[] = {"web-app", "api-gateway", "browser", "worker", "load-balancer", "llm"};
  static const char* const kStores[] = {"sql", "nosql", "cache", "queue", "object", "file", "log"};
  static const char* const kProtocols[] = {"HTTPS", "HTTP", "gRPC over mTLS", "SQL over TLS", "AMQP", "file"};
  static const char* const kAuth[] = {"none", "service token", "mTLS", "session cookie"};
  static const char* const kAuthz[] = {"none", "role check", "row-level ownership check", "end user token"};
  std::string out = "tmc: 1\ntitle: Parallel rules\nscale: 5\nmax_threats: 1000\nreviewed: 2026-11-01\n";
  out += "assets:\n";
  static const char* const kClasses[] = {"pii", "payment", "credentials", "secret", "financial", "public", "health"};
  for (int a = 0; a < 14; ++a) {
    out += "  - {id: asset" + std::to_string(a) + ", name: Asset " + std::to_string(a) + ", classes: [" + kClasses[a % 7] +
           "], confidentiality: " + (a % 2 ? "high" : "low") + ", integrity: " + (a % 3 ? "high" : "medium") +
           ", availability: " + (a % 5 ? "medium" : "high") + "}\n";
  }
  out += "boundaries:\n  - {id: internet, name: Internet, trust: 0}\n  - {id: cloud, name: Cloud, trust: 1}\n";
  for (int b = 0; b < 6; ++b) out += "  - {id: zone" + std::to_string(b) + ", parent: cloud, trust: " + std::to_string(2 + b % 3) + "}\n";
  out += "elements:\n";
  for (int e = 0; e < n; ++e) {
    std::string id = "e" + std::to_string(e);
    std::string zone = e % 9 == 0 ? "internet" : "zone" + std::to_string(e % 6);
    if (e % 7 == 0) {
      out += "  - {id: " + id + ", type: external, boundary: " + zone + ", kind: browser}\n";
    } else if (e % 3 == 0) {
      out += "  - {id: " + id + ", type: store, store: " + kStores[e % 7] + ", boundary: " + zone + ", assets: [asset" +
             std::to_string(e % 14) + "]" + (e % 4 == 0 ? ", multi_tenant: true" : "") + "}\n";
    } else {
      out += "  - {id: " + id + ", type: process, boundary: " + zone + ", kind: " + kKinds[e % 6] +
             (e % 5 == 0 ? ", internet_facing: true" : "") + (e % 11 == 0 ? ", privilege: admin" : "") +
             (e % 4 == 0 ? ", controls: [rate-limit]" : "") + (e % 10 == 0 ? ", tags: [legacy]" : "") +
             (e % 13 == 0 ? ", accepts: [xml, urls]" : "") + "}\n";
    }
  }
  out += "flows:\n";
  for (int e = 0; e < n; ++e) {
    for (int k = 0; k < 3; ++k) {
      int to = (e * 7 + k * 13 + 1) % n;
      if (to == e) to = (to + 1) % n;
      int v = e + k;
      out += "  - {id: f" + std::to_string(e) + "_" + std::to_string(k) + ", from: e" + std::to_string(e) + ", to: e" +
             std::to_string(to) + ", protocol: " + kProtocols[v % 6] + ", data: [asset" + std::to_string(v % 14) + "]" +
             (v % 4 ? std::string(", authentication: ") + kAuth[v % 4] : "") +
             (v % 5 ? std::string(", authorization: ") + kAuthz[v % 4] : "") + (v % 3 ? ", validation: schema" : "") +
             (v % 17 == 0 ? ", in_url: [asset" + std::to_string(v % 14) + "]" : "") + (v % 8 == 0 ? ", tags: [legacy]" : "") +
             "}\n";
    }
  }
  out += "threats:\n  - {id: T1, title: Answered, target: f0_0, rule: TMC-CROSSING-UNDECLARED, stride: [S], "
         "likelihood: 2, impact: 2}\n";
  out += "dismissed:\n  - {rule: TMC-CROSSING-UNENCRYPTED, target: {tag: legacy}, reason: retired next quarter, by: alice}\n";
  out += "rules:\n  - {rule: TMC-IDOR, for_tags: [legacy], impact: 1, reason: read-only copy}\n";
  return out;
}

std::string describe(const RuleFinding& f) {
  std::string out = f.rule + " " + std::to_string(static_cast<int>(f.target_kind)) + ":" + std::to_string(f.target) + " " +
                    f.target_id + " | " + f.why + " | L" + std::to_string(f.likelihood) + " I" + std::to_string(f.impact) +
                    " (" + std::to_string(f.default_likelihood) + "x" + std::to_string(f.default_impact) + ") " +
                    to_string(f.status) + " " + std::to_string(f.addressed_by) + " " + std::to_string(f.dismissal) + " " +
                    std::to_string(f.location.line) + ":" + std::to_string(f.location.column);
  for (const std::string& raise : f.raises) out += " | " + raise;
  return out;
}

TEST(ParallelRules, FindingsDoNotDependOnTheNumberOfThreads) {
  auto run = testing_support::analyze_text(synthetic_model(900));
  ASSERT_TRUE(run->model) << run->diagnostics();
  const model::Model& model = *run->model;
  const std::vector<BoundaryCrossing> crossings = compute_crossings(model);
  const std::vector<RuleFinding> one = run_rules(model, crossings, run->rules, {.threads = 1});
  ASSERT_GT(one.size(), 2000u);  // enough findings for many chunks of work
  bool answered = false, dismissed = false, raised = false;
  for (const RuleFinding& f : one) {
    answered = answered || f.status == FindingStatus::addressed;
    dismissed = dismissed || f.status == FindingStatus::dismissed;
    raised = raised || f.raises.size() > 1;
  }
  EXPECT_TRUE(answered);
  EXPECT_TRUE(dismissed);
  EXPECT_TRUE(raised);
  for (unsigned threads : {2u, 3u, 8u, 0u}) {
    const std::vector<RuleFinding> many = run_rules(model, crossings, run->rules, {.threads = threads});
    ASSERT_EQ(many.size(), one.size()) << threads << " threads";
    for (size_t i = 0; i < one.size(); ++i) {
      ASSERT_EQ(describe(many[i]), describe(one[i])) << threads << " threads, finding " << i;
    }
  }
}

// check leaves the raises out (it never shows them); every number stays.
TEST(ParallelRules, FindingsWithoutRaisesHaveTheSameNumbers) {
  auto run = testing_support::analyze_text(synthetic_model(300));
  ASSERT_TRUE(run->model) << run->diagnostics();
  const std::vector<BoundaryCrossing> crossings = compute_crossings(*run->model);
  const std::vector<RuleFinding> full = run_rules(*run->model, crossings, run->rules);
  const std::vector<RuleFinding> bare = run_rules(*run->model, crossings, run->rules, {.raises = false});
  ASSERT_EQ(bare.size(), full.size());
  size_t raised = 0;
  for (size_t i = 0; i < full.size(); ++i) {
    EXPECT_TRUE(bare[i].raises.empty());
    raised += full[i].raises.size();
    RuleFinding without = full[i];
    without.raises.clear();
    ASSERT_EQ(describe(bare[i]), describe(without)) << i;
  }
  EXPECT_GT(raised, full.size() / 2);  // the model does raise likelihood and impact
}

}  // namespace
}  // namespace tmc::analyze
