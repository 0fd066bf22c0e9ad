// The facts stage (issue 21): every fact and its source, and the
// reproductions of the trial where words decided instead of facts.
#include "analyze/facts.h"

#include <gtest/gtest.h>

#include <set>

#include "analysis_fixture.h"

namespace tmc {
namespace {

using testing_support::analyze_text;
using Findings = std::set<std::pair<std::string, std::string>>;

Findings findings_of(const testing_support::Analyzed& run) {
  Findings out;
  if (!run.analysis) return out;
  for (const analyze::RuleFinding& f : run.analysis->findings) out.insert({f.rule, f.target_id});
  return out;
}

const analyze::RuleFinding* finding(const testing_support::Analyzed& run, const std::string& rule, const std::string& target) {
  for (const analyze::RuleFinding& f : run.analysis->findings) {
    if (f.rule == rule && f.target_id == target) return &f;
  }
  return nullptr;
}

// The facts of the only model a test builds.
struct FactsOf {
  std::unique_ptr<testing_support::Analyzed> run;
  analyze::ModelFacts facts;
  explicit FactsOf(const std::string& text) : run(analyze_text(text)) {
    EXPECT_TRUE(run->model) << run->diagnostics();
    if (run->model) facts = analyze::compute_facts(*run->model);
  }
  const analyze::FlowFacts& flow(const std::string& id) const {
    return facts.flows[static_cast<size_t>(run->model->find_flow(id))];
  }
  const analyze::ElementFacts& element(const std::string& id) const {
    return facts.elements[static_cast<size_t>(run->model->find_element(id))];
  }
};

const char* kIdorModel = R"(tmc: 1
title: IDOR wording
boundaries: [{id: internet, trust: 0}, {id: backend, trust: 2}]
assets: [{id: records, classes: [health, pii]}]
elements:
  - {id: app, type: external, kind: mobile-app, boundary: internet}
  - {id: api, type: process, kind: api, boundary: backend, internet_facing: true, controls: [rate-limit, generic-errors, parameterized-queries, query-limits]}
  - {id: db, type: store, store: sql, boundary: backend, multi_tenant: true, assets: [records], controls: [encryption-at-rest, retention-policy]}
flows:
  - {id: get, from: app, to: api, protocol: HTTPS, data: [records], authentication: OIDC bearer token with MFA, authorization: "AUTHZ", validation: FHIR validation}
  - {id: q, from: api, to: db, protocol: SQL over TLS, data: [records], authentication: db user, authorization: read-write role, validation: parameterized queries}
)";

std::string with_authorization(const std::string& authorization) {
  std::string text = kIdorModel;
  text.replace(text.find("AUTHZ"), 5, authorization);
  return text;
}

// Reproduction 1: a scope, a role or an account word used to silence the
// object-level check; none of them is per object.
TEST(Facts, IdorIsNotSilencedByAScopeOrARole) {
  for (const char* wording : {"SMART on FHIR scopes (patient/*.read)", "patient role", "account holder", "JWT claims"}) {
    auto run = analyze_text(with_authorization(wording));
    ASSERT_TRUE(run->analysis) << run->diagnostics();
    EXPECT_TRUE(findings_of(*run).count({"TMC-IDOR", "api"})) << wording;
  }
  // A per-object check, said in words or stated, is one.
  for (const char* wording : {"patient may read own records", "per-object owner check", "row-level security"}) {
    auto run = analyze_text(with_authorization(wording));
    EXPECT_FALSE(findings_of(*run).count({"TMC-IDOR", "api"})) << wording;
  }
  std::string stated = with_authorization("SMART on FHIR scopes, patient id matched to the record");
  stated.replace(stated.find("validation: FHIR validation}"), 28, "validation: FHIR validation, facts: {authorization: per-object}}");
  auto run = analyze_text(stated);
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  EXPECT_FALSE(findings_of(*run).count({"TMC-IDOR", "api"}));
}

const char* kCalibration = R"(tmc: 1
title: Calibration
boundaries: [{id: internet, trust: 0}, {id: backend, trust: 2}]
assets:
  - {id: records, classes: [health, pii]}
  - {id: password, classes: [credentials]}
  - {id: token, classes: [credentials]}
  - {id: sftp_pw, name: Partner SFTP password, classes: [secret]}
elements:
  - {id: browser, type: external, kind: browser, boundary: internet}
  - {id: idp, type: process, kind: identity-provider, boundary: backend, internet_facing: true, tags: [login], controls: [rate-limit, generic-errors, session-rotation, hsts]}
  - {id: api, type: process, kind: api, boundary: backend, internet_facing: true, controls: [generic-errors, parameterized-queries, query-limits, object-level-authz]}
  - {id: logs, type: store, store: log, boundary: backend, assets: [records], controls: [encryption-at-rest, retention-policy, append-only]}
  - {id: job, type: process, kind: job, boundary: backend, assets: [sftp_pw]}
flows:
  - {id: login, from: browser, to: idp, protocol: HTTPS, data: [password], authentication: password and TOTP, authorization: none, validation: form}
  - {id: call, from: browser, to: api, protocol: HTTPS, data: [records, token], authentication: bearer token with MFA at sign-in, authorization: per-object owner check, validation: schema}
  - {id: log, from: api, to: logs, protocol: HTTPS, data: [records], authentication: IAM role, authorization: writer, validation: none}
)";

// Reproduction 2: an API that takes bearer tokens is no password login, a
// sign-in flow needs no prior authorization, health records in logs rank
// high, and a service password classed secret asks for a vault.
TEST(Facts, CalibrationReproduction) {
  auto run = analyze_text(kCalibration);
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  Findings got = findings_of(*run);
  EXPECT_FALSE(got.count({"TMC-CRED-STUFFING", "api"}));
  EXPECT_FALSE(got.count({"TMC-CROSSING-NO-AUTHZ", "login"}));
  EXPECT_FALSE(got.count({"TMC-CROSSING-UNAUTHENTICATED", "login"}));
  EXPECT_TRUE(got.count({"TMC-NO-SECRETS-VAULT", "job"}));
  const analyze::RuleFinding* logs = finding(*run, "TMC-PII-IDENTIFIABLE-LOGS", "logs");
  ASSERT_NE(logs, nullptr);
  EXPECT_EQ(logs->risk(), 6) << "health records in logs: fix now";
  // Nothing else ranks above it.
  for (const analyze::RuleFinding& f : run->analysis->findings) EXPECT_LE(f.risk(), logs->risk()) << f.rule << " " << f.target_id;
}

const char* kTools = R"(tmc: 1
title: In-process tools and embeddings
boundaries: [{id: internet, trust: 0}, {id: app, trust: 2}, {id: provider, trust: 1}]
assets: [{id: chat, classes: [pii]}, {id: docs, classes: [internal]}]
elements:
  - {id: user, type: external, kind: browser, boundary: internet}
  - {id: agent, type: process, kind: agent, boundary: app, internet_facing: true, controls: [rate-limit, generic-errors, content-filtering, tool-allowlist, human-approval, token-budget]}
  - {id: tool, type: process, kind: tool, boundary: app}
  - {id: indexer, type: process, kind: job, boundary: app}
  - {id: wiki, type: external, kind: third-party, boundary: provider}
  - {id: llm, type: external, kind: llm, boundary: provider}
flows:
  - {id: ask, from: user, to: agent, protocol: HTTPS, data: [chat], authentication: session token, authorization: own conversation, validation: length}
  - {id: call_tool, from: agent, to: tool, protocol: ipc, data: [chat], authentication: none, authorization: tool allow-list, validation: JSON schema}
  - {id: pull, from: wiki, to: indexer, protocol: HTTPS, data: [docs], authentication: API token, authorization: read, validation: size}
  - {id: embed, from: indexer, to: llm, label: embeddings only, protocol: HTTPS, data: [docs], authentication: API key, authorization: project, validation: schema, controls: [timeouts]}
)";

// Reproduction 3: a session token is no cookie, a call inside the
// process needs no network authentication, an embeddings call is no prompt.
TEST(Facts, InProcessToolsAndEmbeddings) {
  auto run = analyze_text(kTools);
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  Findings got = findings_of(*run);
  EXPECT_FALSE(got.count({"TMC-CSRF", "agent"}));
  for (const char* rule : {"TMC-SERVICE-TRUST", "TMC-INTERNAL-UNAUTHENTICATED", "TMC-IDENTITY-NOT-PROPAGATED"}) {
    EXPECT_FALSE(got.count({rule, "call_tool"})) << rule;
  }
  EXPECT_FALSE(got.count({"TMC-LLM-PROMPT-INJECTION", "indexer"}));
  // The same call over the network is a service-to-service link again.
  std::string networked = kTools;
  networked.replace(networked.find("protocol: ipc"), 13, "protocol: HTTP");
  auto again = analyze_text(networked);
  EXPECT_TRUE(findings_of(*again).count({"TMC-INTERNAL-UNAUTHENTICATED", "call_tool"}));
  // And a generation call is a prompt.
  std::string prompting = kTools;
  prompting.replace(prompting.find("label: embeddings only, "), 24, "");
  prompting.replace(prompting.find("id: embed,"), 10, "id: answer,");
  auto prompted = analyze_text(prompting);
  EXPECT_TRUE(findings_of(*prompted).count({"TMC-LLM-PROMPT-INJECTION", "indexer"}));
}

// Each source of a fact: stated by a key, read from words, inferred,
// unknown.
TEST(Facts, EachFactKeepsItsSource) {
  FactsOf f(kCalibration);
  // Read: the word that decided is kept.
  EXPECT_EQ(f.flow("call").authentication.value, analyze::AuthMechanism::bearer_token);
  EXPECT_EQ(f.flow("call").authentication.source, analyze::FactSource::read);
  EXPECT_STREQ(f.flow("call").authentication.evidence, "bearer");
  EXPECT_TRUE(f.flow("login").second_factor.value);
  EXPECT_STREQ(f.flow("login").second_factor.evidence, "totp");
  EXPECT_EQ(f.flow("call").authorization.value, analyze::AuthzGranularity::per_object);
  // Stated: `authorization: none` is the format's own word.
  EXPECT_EQ(f.flow("login").authorization.value, analyze::AuthzGranularity::none);
  EXPECT_EQ(f.flow("login").authorization.source, analyze::FactSource::stated);
  EXPECT_EQ(f.element("api").kind.source, analyze::FactSource::stated);
  // Inferred: who calls follows from the caller's kind, a sign-in from
  // where the password goes.
  EXPECT_EQ(f.flow("login").caller.value, analyze::Caller::browser);
  EXPECT_EQ(f.flow("login").sign_in.value, true);
  EXPECT_EQ(f.flow("login").sign_in.source, analyze::FactSource::inferred);
  EXPECT_EQ(f.flow("log").identity.value, analyze::CallerIdentity::technical);
  // Unknown: nothing says it, and the weaker value stands.
  EXPECT_EQ(f.flow("log").shared_credential.source, analyze::FactSource::unknown);
  EXPECT_FALSE(f.flow("log").shared_credential.value);
}

// Holdout (payroll): a second factor that is optional, off by default or not
// enforced is no second factor, and one such sign-in beside a required one
// (admins) keeps the rules asking for the people who sign in without it.
TEST(Facts, AnOptionalSecondFactorIsNone) {
  FactsOf f(R"model(tmc: 1
title: Optional MFA
boundaries: [{id: internet, trust: 0}, {id: backend, trust: 2}]
assets: [{id: bank, classes: [financial, pii]}, {id: password, classes: [credentials]}]
elements:
  - {id: employee, type: external, kind: browser, boundary: internet}
  - {id: admin, type: external, kind: browser, boundary: internet}
  - {id: agent, type: external, kind: person, boundary: internet}
  - {id: idp, type: process, kind: identity-provider, boundary: backend, internet_facing: true, controls: [rate-limit]}
  - {id: api, type: process, kind: api, boundary: backend, internet_facing: true, assets: [bank], controls: [generic-errors, object-level-authz]}
  - {id: console, type: process, kind: web-app, boundary: backend, assets: [bank]}
flows:
  - {id: emp_login, from: employee, to: idp, protocol: HTTPS, data: [password], authentication: "username and password; TOTP can be enabled by the employee in settings, off by default", authorization: none, validation: form}
  - {id: admin_login, from: admin, to: idp, protocol: HTTPS, data: [password], authentication: password plus TOTP (required for admin roles), authorization: none, validation: form}
  - {id: optional, from: admin, to: idp, protocol: HTTPS, data: [password], authentication: "password, optional TOTP", authorization: none, validation: form}
  - {id: support, from: agent, to: console, protocol: HTTPS, data: [bank], authentication: "corporate SSO (password; 2-step verification not enforced)", authorization: support group, validation: form}
  - {id: call, from: employee, to: api, protocol: HTTPS, data: [bank], authentication: session cookie, authorization: own record, validation: schema}
)model");
  EXPECT_FALSE(f.flow("emp_login").second_factor.value);
  EXPECT_EQ(f.flow("emp_login").second_factor.source, analyze::FactSource::read);
  EXPECT_STREQ(f.flow("emp_login").second_factor.evidence, "off by default");
  EXPECT_TRUE(f.flow("admin_login").second_factor.value);
  EXPECT_FALSE(f.flow("optional").second_factor.value);
  EXPECT_FALSE(f.flow("support").second_factor.value);
  // The employees' session is not taken to carry a second factor because
  // the admins' sign-in has one.
  EXPECT_FALSE(f.flow("call").second_factor.value);
  Findings got = findings_of(*f.run);
  EXPECT_TRUE(got.count({"TMC-NO-SECOND-FACTOR", "api"}) || got.count({"TMC-NO-SECOND-FACTOR", "console"}));
}

// Holdout 7 (recruiting): the tenant a row-level check scopes by came from
// a header the client sends, and the row-level words silenced TMC-IDOR.
TEST(Facts, AScopeTheCallerChoosesIsNoPerObjectCheck) {
  FactsOf f(R"model(tmc: 1
title: Tenant header
boundaries: [{id: internet, trust: 0}, {id: app, trust: 2}]
assets: [{id: cand, classes: [pii]}]
elements:
  - {id: spa, type: external, kind: browser, boundary: internet}
  - {id: api, type: process, kind: api, boundary: app, internet_facing: true}
  - {id: db, type: store, store: sql, boundary: app, multi_tenant: true, assets: [cand]}
flows:
  - {id: header, from: spa, to: api, protocol: HTTPS, data: [cand], authentication: session cookie, authorization: "recruiter role; the active tenant is sent by the SPA in the X-Tenant-Id header; row-level security on that tenant", validation: schema}
  - {id: checked, from: spa, to: api, protocol: HTTPS, data: [cand], authentication: session cookie, authorization: "the X-Tenant-Id header is checked against the user's memberships; row-level security on that tenant", validation: schema}
  - {id: q, from: api, to: db, protocol: SQL over TLS, data: [cand], authentication: db role, authorization: row-level security, validation: bound parameters}
)model");
  EXPECT_EQ(f.flow("header").authorization.value, analyze::AuthzGranularity::coarse);
  EXPECT_STREQ(f.flow("header").authorization.evidence, "x-tenant");
  EXPECT_EQ(f.flow("checked").authorization.value, analyze::AuthzGranularity::per_object);
  EXPECT_TRUE(findings_of(*f.run).count({"TMC-IDOR", "api"}));
}

// Holdouts (payroll, transit): a warehouse loaded from the backed-up core
// database, an outbox of files and a device buffer got "no backup".
TEST(Facts, AStoreRebuiltFromABackedUpStoreIsDerived) {
  FactsOf f(R"model(tmc: 1
title: Derived stores
assets: [{id: pay, classes: [financial]}, {id: report, classes: [financial]}, {id: order, classes: [financial]}, {id: tap, classes: [financial]}]
elements:
  - {id: user, type: external, kind: browser}
  - {id: api, type: process, kind: api}
  - {id: core, type: store, store: sql, assets: [pay], controls: [backup]}
  - {id: etl, type: process, kind: job}
  - {id: warehouse, type: store, store: sql, assets: [report]}
  - {id: copy, type: store, store: object}
  - {id: outbox, name: SFTP outbox, type: store, store: file, assets: [pay]}
  - {id: orders, type: store, store: sql}
  - {id: device, type: store, store: file, assets: [tap]}
  - {id: uploader, type: process, kind: job}
  - {id: taps, type: store, store: sql, assets: [tap], controls: [backup]}
flows:
  - {id: read, from: core, to: etl, protocol: SQL over TLS, data: [pay]}
  - {id: load, from: etl, to: warehouse, protocol: SQL over TLS, data: [report]}
  - {id: mirror, from: etl, to: copy, protocol: HTTPS, data: [pay]}
  - {id: buy, from: user, to: api, protocol: HTTPS, data: [order]}
  - {id: lookup, from: core, to: api, protocol: SQL over TLS, data: [pay]}
  - {id: save, from: api, to: orders, protocol: SQL over TLS, data: [order]}
  - {id: drain, from: device, to: uploader, protocol: file, data: [tap]}
  - {id: upload, from: uploader, to: taps, protocol: SQL over TLS, data: [tap]}
)model");
  EXPECT_TRUE(f.element("warehouse").derived.value);
  EXPECT_STREQ(f.element("warehouse").derived.evidence, "only computed from backed-up stores");
  // Written by the same job from the same source: computed too.
  EXPECT_TRUE(f.element("copy").derived.value);
  EXPECT_EQ(f.element("outbox").derived.source, analyze::FactSource::read);
  // A device buffer whose taps all go on to a backed-up store.
  EXPECT_STREQ(f.element("device").derived.evidence, "every record it keeps goes on to a backed-up store");
  // Orders come from people: kept where they land, whatever else the API reads.
  EXPECT_FALSE(f.element("orders").derived.value);
  EXPECT_FALSE(f.element("core").derived.value);
  Findings got = findings_of(*f.run);
  EXPECT_FALSE(got.count({"TMC-NO-BACKUP", "warehouse"}));
  EXPECT_TRUE(got.count({"TMC-NO-BACKUP", "orders"}));
}

// Holdout (tax filing, payroll): whether changes are reviewed before they
// travel on a flow is read from its label and declarations; a negation wins.
TEST(Facts, ReviewedChangesAreReadAndANegationWins) {
  FactsOf f(R"model(tmc: 1
title: Reviewed
elements:
  - {id: dev, type: external, kind: person}
  - {id: git, type: process, kind: source-control}
  - {id: ci, type: process, kind: ci}
flows:
  - {id: merge, from: git, to: ci, label: checkout on merge to main, protocol: HTTPS, authentication: app token, authorization: read, validation: "protected branch, required reviews"}
  - {id: prs, from: git, to: ci, label: pipeline trigger, protocol: HTTPS, authentication: app token, authorization: "pipelines run on every pull request, forks included", validation: none}
  - {id: push, from: dev, to: git, protocol: SSH, authentication: key, authorization: write, validation: "no code review, no branch protection"}
  - {id: plain, from: dev, to: git, protocol: SSH, authentication: key, authorization: write, validation: none}
  - {id: stated, from: dev, to: git, protocol: SSH, authentication: key, authorization: write, validation: code review, facts: {reviewed: false}}
)model");
  EXPECT_TRUE(f.flow("merge").reviewed.value);
  EXPECT_EQ(f.flow("merge").reviewed.source, analyze::FactSource::read);
  EXPECT_FALSE(f.flow("prs").reviewed.value);
  EXPECT_EQ(f.flow("prs").reviewed.source, analyze::FactSource::read);
  EXPECT_FALSE(f.flow("push").reviewed.value);
  EXPECT_STREQ(f.flow("push").reviewed.evidence, "no code review");
  EXPECT_EQ(f.flow("plain").reviewed.source, analyze::FactSource::unknown);
  EXPECT_FALSE(f.flow("stated").reviewed.value);
  EXPECT_EQ(f.flow("stated").reviewed.source, analyze::FactSource::stated);
}

// Holdout (tax filing): "a user JWT over mTLS" is a person's bearer token
// carried on a service channel, not a client certificate; the channel is
// the mechanism only when nothing else is named.
TEST(Facts, TheChannelIsNotTheCallersCredential) {
  FactsOf f(R"(tmc: 1
title: Channel
elements:
  - {id: gw, type: process, kind: api-gateway}
  - {id: svc, type: process, kind: api}
flows:
  - {id: user, from: gw, to: svc, authentication: verified user JWT forwarded by the gateway over mTLS}
  - {id: mesh, from: gw, to: svc, authentication: mutual TLS between services}
  - {id: only, from: gw, to: svc, authentication: over mTLS}
)");
  EXPECT_EQ(f.flow("user").authentication.value, analyze::AuthMechanism::bearer_token);
  EXPECT_STREQ(f.flow("user").authentication.evidence, "jwt");
  EXPECT_EQ(f.flow("mesh").authentication.value, analyze::AuthMechanism::client_certificate);
  EXPECT_EQ(f.flow("only").authentication.value, analyze::AuthMechanism::client_certificate);
}

TEST(Facts, AStatedFactOverridesTheWords) {
  FactsOf f(R"(tmc: 1
title: stated
elements:
  - {id: a, type: process}
  - {id: b, type: process}
flows:
  - {id: f, from: a, to: b, protocol: HTTPS, authentication: per-device certificate, authorization: role, facts: {authorization: per-object, shared_credential: true, locality: in-process}}
)");
  EXPECT_EQ(f.flow("f").authorization.value, analyze::AuthzGranularity::per_object);
  EXPECT_EQ(f.flow("f").authorization.source, analyze::FactSource::stated);
  EXPECT_TRUE(f.flow("f").shared_credential.value);
  EXPECT_EQ(f.flow("f").locality.value, analyze::Locality::in_process);
}

TEST(Facts, VagueTextGivesTheWeakerFactAndANote) {
  auto run = analyze_text(R"(tmc: 1
title: vague
boundaries: [{id: internet}, {id: backend}]
elements:
  - {id: browser, type: external, kind: browser, boundary: internet}
  - {id: api, type: process, kind: api, boundary: backend}
flows:
  - {id: get, from: browser, to: api, protocol: HTTPS, authentication: bearer token, authorization: checked, validation: schema}
)");
  ASSERT_TRUE(run->model) << run->diagnostics();
  analyze::ModelFacts facts = analyze::compute_facts(*run->model);
  EXPECT_EQ(facts.flows[0].authorization.value, analyze::AuthzGranularity::coarse);
  bool noted = false;
  for (const Diagnostic& d : run->sink.diagnostics()) {
    noted = noted || (d.code == "unstated-fact" && d.severity == Severity::note &&
                      d.message.find("authorization \"checked\"") != std::string::npos);
  }
  EXPECT_TRUE(noted) << run->diagnostics();
}

TEST(Facts, KindsAreInferredFromNamesAndSaySo) {
  FactsOf f(R"(tmc: 1
title: names
elements:
  - {id: web, name: Customer web portal, type: process}
  - {id: gw, name: API gateway, type: process}
  - {id: b, name: Customer browser, type: external}
  - {id: x, name: Ledger, type: process}
)");
  EXPECT_EQ(f.element("web").kind.value, "web-app");
  EXPECT_EQ(f.element("web").kind.source, analyze::FactSource::inferred);
  EXPECT_TRUE(f.element("gw").pass_through);
  EXPECT_EQ(f.element("b").kind.value, "browser");
  EXPECT_EQ(f.element("x").kind.value, "");
  EXPECT_EQ(f.element("x").kind.source, analyze::FactSource::unknown);
}

// Authority data is a value the server owns (a price) or the caller's own
// request (a command): read from the asset's words, stated with `facts:`,
// and a value when nothing says (the weaker reading keeps the rule asking).
TEST(Facts, AuthorityDataIsAValueOrTheCallersRequest) {
  const std::string model = R"m(tmc: 1
title: authority
boundaries: [{id: internet, trust: 0}, {id: backend, trust: 2}]
assets:
  - {id: cart, name: Cart lines with unit prices, classes: [authority]}
  - {id: command, name: "Device command (setpoint, reboot)", classes: [authority]}
  - {id: blob, name: Checkout blob, classes: [authority]}
  - {id: stated, name: Thermostat command, classes: [authority], facts: {authority: value}}
elements:
  - {id: browser, type: external, kind: browser, boundary: internet}
  - {id: shop, type: process, boundary: backend}
  - {id: fleet, type: process, boundary: backend}
  - {id: pay, type: process, boundary: backend}
  - {id: hvac, type: process, boundary: backend}
flows:
  - {id: order, from: browser, to: shop, protocol: HTTPS, data: [cart], authentication: session, authorization: cart owner, validation: schema}
  - {id: cmd, from: browser, to: fleet, protocol: HTTPS, data: [command], authentication: session, authorization: device owner, validation: schema}
  - {id: blob_in, from: browser, to: pay, protocol: HTTPS, data: [blob], authentication: session, authorization: cart owner, validation: schema}
  - {id: set, from: browser, to: hvac, protocol: HTTPS, data: [stated], authentication: session, authorization: device owner, validation: schema}
)m";
  FactsOf f(model);
  ASSERT_TRUE(f.run->model);
  EXPECT_TRUE(f.flow("order").authority_value.value);
  EXPECT_EQ(f.flow("order").authority_value.source, analyze::FactSource::read);
  EXPECT_FALSE(f.flow("cmd").authority_value.value);
  EXPECT_EQ(f.flow("cmd").authority_value.source, analyze::FactSource::read);
  EXPECT_TRUE(f.flow("blob_in").authority_value.value);
  EXPECT_EQ(f.flow("blob_in").authority_value.source, analyze::FactSource::unknown);
  EXPECT_TRUE(f.flow("set").authority_value.value);
  EXPECT_EQ(f.flow("set").authority_value.source, analyze::FactSource::stated);

  auto run = analyze_text(model);
  Findings found = findings_of(*run);
  EXPECT_TRUE(found.contains({"TMC-CLIENT-TRUSTED-FIELD", "shop"}));
  EXPECT_TRUE(found.contains({"TMC-CLIENT-TRUSTED-FIELD", "pay"}));
  EXPECT_TRUE(found.contains({"TMC-CLIENT-TRUSTED-FIELD", "hvac"}));
  EXPECT_FALSE(found.contains({"TMC-CLIENT-TRUSTED-FIELD", "fleet"})) << "a user's own command is not a forged value";
}

// A password the caller sends inside a session (a Wi-Fi key for a device,
// a changed password) is data, not a sign-in; and a vault that only a
// trusted service calls is not exposed because that service is.
TEST(Facts, CarriedCredentialsAreNotASignInAndAVaultBehindAServiceIsNotExposed) {
  const std::string model = R"(tmc: 1
title: carried credentials
boundaries: [{id: internet, trust: 0}, {id: platform, trust: 2}]
assets:
  - {id: wifi_psk, name: Site Wi-Fi password, classes: [credentials]}
  - {id: ca_key, classes: [key]}
elements:
  - {id: browser, type: external, kind: browser, boundary: internet}
  - {id: console, type: process, kind: web-app, boundary: platform, internet_facing: true, assets: [wifi_psk]}
  - {id: kms, type: process, kind: vault, boundary: platform, assets: [ca_key]}
flows:
  - {id: use, from: browser, to: console, protocol: HTTPS, data: [wifi_psk], authentication: SSO session cookie with MFA, authorization: technician role, validation: schema}
  - {id: sign, from: console, to: kms, protocol: HTTPS, authentication: workload identity, authorization: sign-only, validation: KMS API}
)";
  FactsOf f(model);
  ASSERT_TRUE(f.run->model);
  EXPECT_FALSE(f.flow("use").sign_in.value);
  auto run = analyze_text(model);
  Findings found = findings_of(*run);
  EXPECT_FALSE(found.contains({"TMC-CRED-STUFFING", "console"})) << run->diagnostics();
  EXPECT_FALSE(found.contains({"TMC-VAULT-EXPOSED", "kms"}));

  // The same password sent with no session of its own, or with a session
  // the application itself gives (one flow drawn for sign-in and browsing),
  // is a sign-in.
  FactsOf login(R"(tmc: 1
title: sign-in
assets: [{id: password, classes: [credentials]}]
elements:
  - {id: browser, type: external, kind: browser}
  - {id: app, type: process, kind: web-app, internet_facing: true}
  - {id: shop, type: process, kind: web-app, internet_facing: true}
flows:
  - {id: in, from: browser, to: app, protocol: HTTPS, data: [password], authentication: none, authorization: none, validation: form}
  - {id: browse, from: browser, to: shop, protocol: HTTPS, data: [password], authentication: session cookie, authorization: per-user session, validation: form}
)");
  EXPECT_TRUE(login.flow("in").sign_in.value);
  EXPECT_TRUE(login.flow("browse").sign_in.value);
}

// A caller behind a load balancer is still the person in front of it.
TEST(Facts, TheCallerIsSeenThroughProxies) {
  FactsOf f(R"(tmc: 1
title: proxy
elements:
  - {id: b, type: external, kind: browser}
  - {id: lb, type: process, kind: load-balancer}
  - {id: app, type: process, kind: web-app}
flows:
  - {id: in, from: b, to: lb, protocol: HTTPS, authentication: session cookie}
  - {id: fwd, from: lb, to: app, protocol: HTTPS, authentication: session cookie passed through}
)");
  EXPECT_EQ(f.flow("fwd").caller.value, analyze::Caller::browser);
  EXPECT_EQ(f.flow("fwd").authentication.value, analyze::AuthMechanism::session_cookie);
}

// One root cause, one item: the vault finding lists its other places.
TEST(Facts, OneRootCauseIsOneItemWithItsPlaces) {
  auto run = analyze_text(R"(tmc: 1
title: vault
assets: [{id: k1, classes: [key]}, {id: k2, classes: [secret]}]
elements:
  - {id: a, type: process, assets: [k1]}
  - {id: b, type: process, assets: [k2]}
  - {id: c, type: process, assets: [k1]}
)");
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  int count = 0;
  for (const analyze::RuleFinding& f : run->analysis->findings) {
    if (f.rule != "TMC-NO-SECRETS-VAULT") continue;
    ++count;
    EXPECT_EQ(f.target_id, "a");
    EXPECT_EQ(f.places.size(), 2u);
    EXPECT_NE(f.why.find("the same holds for b, c"), std::string::npos) << f.why;
  }
  EXPECT_EQ(count, 1);
}

}  // namespace
}  // namespace tmc
