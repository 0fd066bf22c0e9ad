// Issue 12, item 4: each noise class the peer comparison found, as a model
// that used to raise the finding and now stays quiet (with, where it
// matters, the sibling that still fires).
#include <gtest/gtest.h>

#include <set>

#include "analysis_fixture.h"
#include "analyze/fingerprint.h"

namespace tmc {
namespace {

using testing_support::analyze_text;

std::set<std::string> targets_of(const std::string& model, const std::string& rule) {
  auto run = analyze_text("tmc: 1\ntitle: precision\n" + model);
  EXPECT_TRUE(run->analysis) << run->diagnostics();
  std::set<std::string> out;
  if (!run->analysis) return out;
  for (const analyze::RuleFinding& f : run->analysis->findings) {
    if (f.rule == rule) out.insert(f.target_id);
  }
  return out;
}

using Targets = std::set<std::string>;

// The findings of one rule, in order.
std::vector<const analyze::RuleFinding*> items_of(const testing_support::Analyzed& run, const std::string& rule) {
  std::vector<const analyze::RuleFinding*> out;
  for (const analyze::RuleFinding& f : run.analysis->findings) {
    if (f.rule == rule) out.push_back(&f);
  }
  return out;
}

// Encrypted protocols that were not recognized: LDAPS, HTTP/S, AMQPS...
TEST(Precision, EncryptedProtocolsAreRecognized) {
  for (const char* protocol : {"LDAPS", "HTTP/S", "AMQPS", "SFTP", "SSH", "WSS", "gRPC over TLS", "MQTTS", "SMTPS"}) {
    std::string model = std::string(R"(
boundaries: [{id: a}, {id: b}]
elements:
  - {id: x, type: process, boundary: a}
  - {id: y, type: process, boundary: b}
flows:
  - {id: f, from: x, to: y, protocol: ")") + protocol + R"(", authentication: cert, authorization: acl, validation: schema}
)";
    EXPECT_EQ(targets_of(model, "TMC-CROSSING-UNENCRYPTED"), Targets{}) << protocol;
  }
  EXPECT_EQ(targets_of(R"(
boundaries: [{id: a}, {id: b}]
elements:
  - {id: x, type: process, boundary: a}
  - {id: y, type: process, boundary: b}
flows:
  - {id: f, from: x, to: y, protocol: LDAP, authentication: cert, authorization: acl, validation: schema}
)", "TMC-CROSSING-UNENCRYPTED"), Targets{"f"});
}

}  // namespace
}  // namespace tmc

namespace tmc {
namespace {

// SQL injection on a scheduled job that no input reaches.
TEST(Precision, InjectionNeedsAPathFromUntrustedInput) {
  const char* job = R"(
boundaries: [{id: internet}, {id: app}]
elements:
  - {id: browser, type: external, boundary: internet}
  - {id: api, type: process, boundary: app}
  - {id: nightly, type: process, boundary: app}
  - {id: db, type: store, store: sql, boundary: app}
flows:
  - {id: in, from: browser, to: api, protocol: HTTPS, authentication: session, authorization: owner, validation: schema}
  - {id: write, from: api, to: db, protocol: SQL over TLS}
  - {id: read, from: db, to: nightly, protocol: SQL over TLS}
  - {id: update, from: nightly, to: db, protocol: SQL over TLS}
)";
  EXPECT_EQ(targets_of(job, "TMC-SQL-INJECTION"), Targets{"api"});
  auto run = analyze_text(std::string("tmc: 1\ntitle: t\n") + job);
  for (const analyze::RuleFinding& f : run->analysis->findings) {
    if (f.rule == "TMC-SQL-INJECTION") {
      EXPECT_NE(f.why.find("(browser -> api)"), std::string::npos) << f.why;
    }
  }
}

}  // namespace
}  // namespace tmc

namespace tmc {
namespace {

// Third-party timeout findings on flows to people (a browser is not a
// third party we call), and on responses.
TEST(Precision, TimeoutsAreAboutCallsToThirdPartiesNotPeople) {
  EXPECT_EQ(targets_of(R"(
elements:
  - {id: browser, type: external, name: Customer browser}
  - {id: phone, type: external, kind: mobile-app}
  - {id: api, type: process}
  - {id: psp, type: external}
flows:
  - {id: ask, from: browser, to: api, protocol: HTTPS}
  - {id: page, from: api, to: browser, protocol: HTTPS}
  - {id: push, from: api, to: phone, protocol: HTTPS}
  - {id: charge, from: api, to: psp, protocol: HTTPS}
  - {id: callback, from: psp, to: api, protocol: HTTPS}
  - {id: ack, from: api, to: psp, protocol: HTTPS, response_to: callback}
)", "TMC-EXTERNAL-TIMEOUT"), Targets{"charge"});
}

}  // namespace
}  // namespace tmc

namespace tmc {
namespace {

// Audit-trail findings on a pass-through load balancer: the application
// behind it keeps the trail.
TEST(Precision, NoAuditTrailFindingOnAPassThroughLoadBalancer) {
  EXPECT_EQ(targets_of(R"(
assets: [{id: payment, classes: [payment]}]
elements:
  - {id: browser, type: external}
  - {id: lb, type: process, kind: load-balancer, internet_facing: true}
  - {id: shop, type: process}
  - {id: orders, type: store, store: sql}
flows:
  - {id: in, from: browser, to: lb, protocol: HTTPS, data: [payment]}
  - {id: fwd, from: lb, to: shop, protocol: HTTPS, data: [payment]}
  - {id: save, from: shop, to: orders, protocol: SQL over TLS, data: [payment]}
)", "TMC-NO-AUDIT-TRAIL"), Targets{"shop"});
}

// IDOR on a login endpoint whose authorization is anonymous by design.
TEST(Precision, NoIdorOnAnAnonymousLoginEndpoint) {
  const std::string model = R"(
boundaries: [{id: internet}, {id: app}]
elements:
  - {id: browser, type: external, boundary: internet}
  - {id: login, type: process, boundary: app, tags: [login]}
  - {id: users, type: store, store: sql, boundary: app, multi_tenant: true}
flows:
  - {id: sign_in, from: browser, to: login, protocol: HTTPS, authentication: none, authorization: none, validation: schema}
  - {id: lookup, from: login, to: users, protocol: SQL over TLS}
)";
  EXPECT_EQ(targets_of(model, "TMC-IDOR"), Targets{});
  std::string untagged = model;
  untagged.replace(untagged.find(", tags: [login]"), 15, "");
  EXPECT_EQ(targets_of(untagged, "TMC-IDOR"), Targets{"login"});
}

}  // namespace
}  // namespace tmc

namespace tmc {
namespace {

std::set<std::pair<std::string, std::string>> all_findings(const std::string& model) {
  auto run = analyze_text("tmc: 1\ntitle: precision\n" + model);
  EXPECT_TRUE(run->analysis) << run->diagnostics();
  std::set<std::pair<std::string, std::string>> out;
  if (!run->analysis) return out;
  for (const analyze::RuleFinding& f : run->analysis->findings) {
    out.insert({f.rule, f.target_id});
    // A hygiene rule fires as a part of the checklist item, a folded rule
    // as a part of the item of its root cause.
    for (const analyze::RuleFinding::Part& part : f.parts) {
      const size_t at = static_cast<size_t>(part.target);
      out.insert({part.rule, part.kind == model::TargetKind::flow ? run->model->flows[at].id : run->model->elements[at].id});
    }
  }
  return out;
}

const char* kBucket = R"(
assets: [{id: photos, classes: [pii]}]
boundaries: [{id: internet}, {id: cloud}]
elements:
  - {id: browser, type: external, boundary: internet}
  - {id: bucket, type: store, store: object, boundary: cloud, controls: [encryption-at-rest, retention-policy]}
flows:
  - {id: get, FLOW, protocol: HTTPS, data: [photos], authentication: none, authorization: none, validation: none}
)";

std::string bucket(const char* direction) {
  std::string model = kBucket;
  model.replace(model.find("FLOW"), 4, direction);
  return model;
}

// A public bucket drawn the data's way (bucket -> browser) raises what
// browser -> bucket raises, and no "personal data sent to a third party".
TEST(Precision, DrawingTheDataDirectionGivesTheSameFindings) {
  auto asked = all_findings(bucket("from: browser, to: bucket"));
  auto drawn = all_findings(bucket("from: bucket, to: browser"));
  EXPECT_TRUE(asked.count({"TMC-STORE-FROM-OUTSIDE", "get"}));
  EXPECT_TRUE(asked.count({"TMC-CROSSING-UNAUTHENTICATED", "get"}));
  EXPECT_EQ(asked, drawn);
  EXPECT_FALSE(drawn.count({"TMC-PII-TO-THIRD-PARTY", "get"}));
}

// An internet-facing store with no flow drawn is still reported.
TEST(Precision, AnInternetFacingStoreWithoutFlowsIsReported) {
  EXPECT_EQ(targets_of("elements:\n  - {id: dump, type: store, store: sql, internet_facing: true}\n",
                       "TMC-STORE-INTERNET-FACING"),
            Targets{"dump"});
}

// Responses are not requests: a marked response raises no crossing,
// timeout or service-trust finding of its own, and no undeclared-crossing
// warning.
TEST(Precision, ResponsesAreNotRequests) {
  const char* model = R"(
boundaries: [{id: a}, {id: b}]
elements:
  - {id: web, type: process, boundary: a}
  - {id: svc, type: process, boundary: b}
flows:
  - {id: ask, from: web, to: svc, protocol: HTTPS, authentication: mTLS, authorization: allow-list, validation: schema}
  - {id: answer, from: svc, to: web, protocol: HTTPS, response_to: ask}
)";
  auto run = analyze_text(std::string("tmc: 1\ntitle: t\n") + model);
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  for (const analyze::RuleFinding& f : run->analysis->findings) EXPECT_NE(f.target_id, "answer") << f.rule;
  EXPECT_EQ(run->sink.diagnostics().size(), 0u) << run->diagnostics();
  // The same arrow without response_to is a request that declares nothing.
  std::string unmarked = model;
  unmarked.replace(unmarked.find(", response_to: ask"), 17, "");
  EXPECT_TRUE(all_findings(unmarked).count({"TMC-CROSSING-UNDECLARED", "answer"}));
}

// Entry-point findings land on the application behind a load balancer or
// gateway, and the controls at the edge count for it.
TEST(Precision, ProxiesPassEntryPointFindingsToTheApplicationBehind) {
  const char* model = R"(
assets: [{id: password, classes: [credentials]}]
elements:
  - {id: browser, type: external}
  - {id: lb, type: process, kind: load-balancer, internet_facing: true}
  - {id: app, type: process, assets: [password]}
flows:
  - {id: in, from: browser, to: lb, protocol: HTTPS, authentication: JSESSIONID}
  - {id: fwd, from: lb, to: app, protocol: HTTPS}
)";
  auto found = all_findings(model);
  for (const char* rule : {"TMC-CSRF", "TMC-CRED-STUFFING", "TMC-NO-RATE-LIMIT", "TMC-VERBOSE-ERRORS"}) {
    EXPECT_TRUE(found.count({rule, "app"})) << rule;
    EXPECT_FALSE(found.count({rule, "lb"})) << rule;
  }
  std::string guarded = model;
  guarded.replace(guarded.find("internet_facing: true}"), 22,
                  "internet_facing: true, controls: [rate-limit, generic-errors, samesite-cookies]}");
  found = all_findings(guarded);
  for (const char* rule : {"TMC-CSRF", "TMC-CRED-STUFFING", "TMC-NO-RATE-LIMIT", "TMC-VERBOSE-ERRORS"}) {
    EXPECT_FALSE(found.count({rule, "app"})) << rule;
  }
}

// CSRF on any browser session, whatever the credential is called.
TEST(Precision, CsrfOnAnyBrowserSession) {
  for (const char* credential : {"session cookie", "session id", "JSESSIONID", "PHPSESSID"}) {
    std::string model = std::string(R"(
elements:
  - {id: browser, type: external}
  - {id: app, type: process}
flows:
  - {id: post, from: browser, to: app, protocol: HTTPS, authentication: )") + credential + "}\n";
    EXPECT_EQ(targets_of(model, "TMC-CSRF"), Targets{"app"}) << credential;
  }
  EXPECT_EQ(targets_of(R"(
elements:
  - {id: client, type: external}
  - {id: app, type: process}
flows:
  - {id: post, from: client, to: app, protocol: HTTPS, authentication: bearer token in the Authorization header}
)", "TMC-CSRF"), Targets{});
}

}  // namespace
}  // namespace tmc

namespace tmc {
namespace {

// Out-of-scope elements are drawn for context: no finding lands on them
// or on a flow between two of them; flows that touch our side still count.
TEST(ModelFacts, OutOfScopeElementsRaiseNoFindings) {
  const char* model = R"(
assets: [{id: rec, classes: [pii]}]
elements:
  - {id: api, type: process}
  - {id: core, type: process, out_of_scope: true}
  - {id: ledger, type: store, store: sql, assets: [rec], out_of_scope: true}
flows:
  - {id: call, from: api, to: core, protocol: HTTP, data: [rec], authentication: none}
  - {id: read, from: core, to: ledger, protocol: HTTP, data: [rec], authentication: none}
)";
  auto found = all_findings(model);
  for (const auto& [rule, target] : found) {
    EXPECT_NE(target, "core") << rule;
    EXPECT_NE(target, "ledger") << rule;
    EXPECT_NE(target, "read") << rule;
  }
  EXPECT_TRUE(found.count({"TMC-INTERNAL-UNAUTHENTICATED", "call"}));
}

std::string diagnostics_of(const std::string& model) {
  auto run = analyze_text("tmc: 1\ntitle: facts\n" + model);
  std::string out;
  for (const Diagnostic& d : run->sink.sorted()) out += d.code + ": " + d.message + "\n";
  return out;
}

TEST(ModelFacts, KindAcceptsAndResponseToAreChecked) {
  EXPECT_NE(diagnostics_of("elements: [{id: a, type: process, kind: web-ap}]\n").find("did you mean 'web-app'"),
            std::string::npos);
  EXPECT_NE(diagnostics_of("elements: [{id: a, type: process, accepts: [yaml]}]\n").find("invalid-value"),
            std::string::npos);
  EXPECT_NE(diagnostics_of("elements: [{id: a, type: store, store: sql, accepts: [xml]}]\n").find("accepts-on-non-process"),
            std::string::npos);
  const char* pair = R"(
elements: [{id: a, type: process}, {id: b, type: process}]
flows:
  - {id: ask, from: a, to: b, protocol: HTTPS}
  - {id: answer, from: b, to: a, protocol: HTTPS, response_to: RESPONSE}
)";
  auto with = [&](const char* target) {
    std::string model = pair;
    model.replace(model.find("RESPONSE"), 8, target);
    return diagnostics_of(model);
  };
  EXPECT_EQ(with("ask"), "");
  EXPECT_NE(with("asked").find("unknown-reference"), std::string::npos);
  EXPECT_NE(with("answer").find("invalid-response"), std::string::npos);
}

// Issue 21: the hygiene reminders are one checklist item. A dismissed
// reminder leaves it and stays a finding of its own; dismissing the item
// answers the list; switching it off drops the open reminders.
TEST(Precision, HygieneRemindersAreOneChecklistItem) {
  const std::string model = R"(tmc: 1
title: checklist
elements:
  - {id: browser, type: external, kind: browser}
  - {id: shop, type: process, kind: web-app, internet_facing: true, controls: [output-encoding, csrf-token, rate-limit]}
  - {id: api, type: process, kind: api, internet_facing: true, controls: [rate-limit]}
flows:
  - {id: page, from: browser, to: shop, protocol: HTTPS, authentication: session cookie, authorization: own cart, validation: schema}
  - {id: call, from: browser, to: api, protocol: HTTPS, authentication: session cookie, authorization: own cart, validation: schema}
)";
  auto run = analyze_text(model);
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  auto items = items_of(*run, "TMC-HARDENING");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]->target_id, "shop");
  EXPECT_EQ(items[0]->status, analyze::FindingStatus::open);
  std::set<std::string> parts;
  for (const auto& part : items[0]->parts) parts.insert(part.rule + ":" + run->model->elements[static_cast<size_t>(part.target)].id);
  EXPECT_TRUE(parts.count("TMC-VERBOSE-ERRORS:shop") && parts.count("TMC-VERBOSE-ERRORS:api") && parts.count("TMC-NO-WAF:shop"))
      << items[0]->why;
  EXPECT_TRUE(items_of(*run, "TMC-VERBOSE-ERRORS").empty()) << "a reminder is a part, not a finding of its own";

  // A dismissed reminder leaves the item and stays, dismissed.
  auto dismissed = analyze_text(model + "dismissed:\n  - {rule: TMC-NO-WAF, target: shop, reason: behind the CDN's WAF, by: sec}\n");
  ASSERT_TRUE(dismissed->analysis) << dismissed->diagnostics();
  auto waf = items_of(*dismissed, "TMC-NO-WAF");
  ASSERT_EQ(waf.size(), 1u);
  EXPECT_EQ(waf[0]->status, analyze::FindingStatus::dismissed);
  for (const auto& part : items_of(*dismissed, "TMC-HARDENING").at(0)->parts) EXPECT_NE(part.rule, "TMC-NO-WAF");
  EXPECT_EQ(dismissed->diagnostics().find("stale-dismissal"), std::string::npos) << dismissed->diagnostics();

  // Dismissing the item answers the list.
  auto all = analyze_text(model + "dismissed:\n  - {rule: TMC-HARDENING, target: all, reason: baseline in the platform, by: sec}\n");
  ASSERT_TRUE(all->analysis) << all->diagnostics();
  EXPECT_EQ(items_of(*all, "TMC-HARDENING").at(0)->status, analyze::FindingStatus::dismissed);

  // Switched off: no item and no reminder.
  auto off = analyze_text(model + "rules:\n  - {rule: TMC-HARDENING, enabled: false, reason: platform baseline, by: sec}\n");
  ASSERT_TRUE(off->analysis) << off->diagnostics();
  EXPECT_TRUE(items_of(*off, "TMC-HARDENING").empty());
  EXPECT_TRUE(items_of(*off, "TMC-VERBOSE-ERRORS").empty());
  EXPECT_TRUE(items_of(*off, "TMC-NO-WAF").empty());
}

// Issue 21 (one root cause, one item): the plain FTP session with a bank
// was two items, one for the request and one for its response.
TEST(Precision, ARequestAndItsResponseAreOneItem) {
  const std::string model = R"(tmc: 1
title: one connection
boundaries: [{id: bank, trust: 1}, {id: backend, trust: 2}]
assets: [{id: settlements, classes: [financial, pii]}, {id: ftp_pw, classes: [credentials]}]
elements:
  - {id: bank_ftp, type: external, kind: third-party, boundary: bank}
  - {id: recon, type: process, kind: job, boundary: backend}
flows:
  - {id: fetch, from: recon, to: bank_ftp, protocol: FTP, data: [ftp_pw], authentication: FTP password, authorization: bank account, validation: none}
  - {id: files, from: bank_ftp, to: recon, protocol: FTP, response_to: fetch, data: [settlements]}
)";
  auto run = analyze_text(model);
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  auto items = items_of(*run, "TMC-CROSSING-UNENCRYPTED");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]->target_id, "fetch");
  ASSERT_EQ(items[0]->places.size(), 1u);
  EXPECT_EQ(run->model->flows[static_cast<size_t>(items[0]->places[0])].id, "files");
  EXPECT_NE(items[0]->why.find("the same request: the same holds for its response files"), std::string::npos) << items[0]->why;

  // An answer on the response answers the connection.
  auto answered = analyze_text(model + "dismissed:\n  - {rule: TMC-CROSSING-UNENCRYPTED, target: files, "
                                       "reason: moving to SFTP this sprint, by: sec}\n");
  ASSERT_TRUE(answered->analysis) << answered->diagnostics();
  items = items_of(*answered, "TMC-CROSSING-UNENCRYPTED");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]->status, analyze::FindingStatus::dismissed);
}

// Holdout 7: the path the message names for untrusted input ran through the
// e-mail sign-in into the queue, not through the upload that carries the CV.
TEST(Precision, TheInputPathFollowsTheData) {
  auto run = analyze_text(R"(tmc: 1
title: path
boundaries: [{id: internet, trust: 0}, {id: app, trust: 2}]
assets: [{id: email, classes: [pii]}, {id: cv, classes: [pii]}]
elements:
  - {id: user, name: Candidate, type: external, kind: browser, boundary: internet}
  - {id: auth, name: Sign-in service, type: process, kind: service, boundary: app, internet_facing: true}
  - {id: careers, name: Careers API, type: process, kind: api, boundary: app, internet_facing: true}
  - {id: q, name: Queue, type: store, store: queue, boundary: app}
  - {id: parser, name: CV parser, type: process, kind: service, boundary: app, accepts: [xml]}
flows:
  - {id: link, from: user, to: auth, protocol: HTTPS, data: [email], authentication: none, authorization: none, validation: schema}
  - {id: mail_job, from: auth, to: q, protocol: HTTPS, data: [email], authentication: IAM role, authorization: send, validation: schema}
  - {id: upload, from: user, to: careers, protocol: HTTPS, data: [cv], authentication: session cookie, authorization: own application, validation: size}
  - {id: cv_job, from: careers, to: q, protocol: HTTPS, data: [cv], authentication: IAM role, authorization: send, validation: schema}
  - {id: take, from: q, to: parser, protocol: HTTPS, data: [cv], authentication: IAM role, authorization: receive, validation: schema}
)");
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  auto items = items_of(*run, "TMC-XXE");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_NE(items[0]->why.find("Candidate -> Careers API -> Queue -> CV parser"), std::string::npos) << items[0]->why;
}

// Holdout 7: an unsigned vendor callback through the API gateway was four
// items (no authentication and no authorization, on each of two hops).
TEST(Precision, AHopAGatewayForwardsIsPartOfTheRequest) {
  auto run = analyze_text(R"(tmc: 1
title: callback
boundaries: [{id: vendor, trust: 1}, {id: edge, trust: 2}, {id: app, trust: 2}]
assets: [{id: result, classes: [pii]}]
elements:
  - {id: checks, type: external, kind: third-party, boundary: vendor}
  - {id: gw, type: process, kind: api-gateway, boundary: edge, internet_facing: true}
  - {id: svc, type: process, kind: service, boundary: app}
flows:
  - {id: hook_in, from: checks, to: gw, protocol: HTTPS, data: [result], authentication: none, authorization: none, validation: schema}
  - {id: hook_fwd, from: gw, to: svc, protocol: HTTPS, data: [result], authentication: none, authorization: none, validation: schema}
)");
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  auto items = items_of(*run, "TMC-CROSSING-UNAUTHENTICATED");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]->target_id, "hook_in");
  ASSERT_EQ(items[0]->places.size(), 1u);
  EXPECT_EQ(run->model->flows[static_cast<size_t>(items[0]->places[0])].id, "hook_fwd");
  EXPECT_NE(items[0]->why.find("hook_fwd, the hop gw forwards it on"), std::string::npos) << items[0]->why;
  // Its missing authorization is the same open door: a part of the item.
  EXPECT_TRUE(items_of(*run, "TMC-CROSSING-NO-AUTHZ").empty());
  ASSERT_EQ(items[0]->parts.size(), 1u);
  EXPECT_EQ(items[0]->parts[0].rule, "TMC-CROSSING-NO-AUTHZ");
}

// Issue 21: an internet-facing admin console with a password sign-in was
// three items (exposed, no second factor, no rate limit): one exposure to
// close. The admin rule folds the other two.
TEST(Precision, AnAdminConsoleOnTheInternetIsOneItem) {
  const std::string model = R"(tmc: 1
title: admin
boundaries: [{id: internet, trust: 0}, {id: corp, trust: 2}]
assets: [{id: customers, classes: [pii]}, {id: staff_pw, classes: [credentials]}]
elements:
  - {id: staff, type: external, kind: browser, boundary: internet}
  - {id: backoffice, type: process, kind: web-app, boundary: corp, internet_facing: true, tags: [admin], assets: [customers], controls: [output-encoding, csrf-token, session-rotation]}
flows:
  - {id: sign_in, from: staff, to: backoffice, protocol: HTTPS, data: [staff_pw], authentication: username and password, authorization: none, validation: form}
  - {id: act, from: staff, to: backoffice, protocol: HTTPS, data: [customers], authentication: session cookie, authorization: support role, validation: schema}
)";
  auto run = analyze_text(model);
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  auto items = items_of(*run, "TMC-ADMIN-INTERNET");
  ASSERT_EQ(items.size(), 1u);
  std::set<std::string> parts;
  for (const auto& part : items[0]->parts) parts.insert(part.rule);
  EXPECT_EQ(parts, (std::set<std::string>{"TMC-ADMIN-NO-MFA", "TMC-CRED-STUFFING"})) << items[0]->why;
  EXPECT_TRUE(items_of(*run, "TMC-ADMIN-NO-MFA").empty());
  EXPECT_TRUE(items_of(*run, "TMC-CRED-STUFFING").empty());
  EXPECT_NE(items[0]->why.find("(TMC-CRED-STUFFING)"), std::string::npos) << items[0]->why;

  // A part answered on its own stays on its own, answered.
  auto mfa = analyze_text(model + "dismissed:\n  - {rule: TMC-ADMIN-NO-MFA, target: backoffice, "
                                  "reason: hardware keys enforced by the IdP, by: sec}\n");
  ASSERT_TRUE(mfa->analysis) << mfa->diagnostics();
  ASSERT_EQ(items_of(*mfa, "TMC-ADMIN-NO-MFA").size(), 1u);
  EXPECT_EQ(items_of(*mfa, "TMC-ADMIN-NO-MFA")[0]->status, analyze::FindingStatus::dismissed);
  ASSERT_EQ(items_of(*mfa, "TMC-ADMIN-INTERNET").size(), 1u);
  EXPECT_EQ(items_of(*mfa, "TMC-ADMIN-INTERNET")[0]->parts.size(), 1u);
  // The item keeps its identity (a baseline, SARIF) when a part leaves it.
  EXPECT_EQ(analyze::fingerprint(*items_of(*mfa, "TMC-ADMIN-INTERNET")[0]), analyze::fingerprint(*items[0]));

  // An answered item leaves its parts to be judged on their own.
  auto vpn = analyze_text(model + "dismissed:\n  - {rule: TMC-ADMIN-INTERNET, target: backoffice, "
                                  "reason: reached only through the VPN, by: sec}\n");
  ASSERT_TRUE(vpn->analysis) << vpn->diagnostics();
  EXPECT_EQ(items_of(*vpn, "TMC-ADMIN-INTERNET")[0]->status, analyze::FindingStatus::dismissed);
  EXPECT_TRUE(items_of(*vpn, "TMC-ADMIN-INTERNET")[0]->parts.empty());
  EXPECT_EQ(items_of(*vpn, "TMC-ADMIN-NO-MFA").size(), 1u);
  EXPECT_EQ(items_of(*vpn, "TMC-CRED-STUFFING").size(), 1u);
}

// An injection rule folds the missing validation on the flow into its
// element: one hole, one item.
TEST(Precision, AnInjectionFoldsTheUnvalidatedFlowIntoIt) {
  auto run = analyze_text(R"(tmc: 1
title: shell
boundaries: [{id: internet, trust: 0}, {id: app, trust: 2}, {id: workers, trust: 2}]
elements:
  - {id: user, type: external, kind: browser, boundary: internet}
  - {id: api, type: process, kind: api, boundary: app, internet_facing: true}
  - {id: runner, type: process, kind: service, boundary: workers, accepts: [commands]}
flows:
  - {id: ask, from: user, to: api, protocol: HTTPS, authentication: session cookie, authorization: own jobs, validation: schema}
  - {id: run, from: api, to: runner, protocol: HTTPS, authentication: mTLS, authorization: service allow-list, validation: none}
)");
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  auto items = items_of(*run, "TMC-COMMAND-INJECTION");
  ASSERT_EQ(items.size(), 1u) << run->diagnostics();
  ASSERT_EQ(items[0]->parts.size(), 1u) << items[0]->why;
  EXPECT_EQ(items[0]->parts[0].rule, "TMC-CROSSING-NO-VALIDATION");
  EXPECT_EQ(items[0]->parts[0].kind, model::TargetKind::flow);
  EXPECT_TRUE(items_of(*run, "TMC-CROSSING-NO-VALIDATION").empty());
}

}  // namespace
}  // namespace tmc
