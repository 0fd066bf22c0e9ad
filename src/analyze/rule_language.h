// The rule language: what a compiled rule is. Rules are data: a target
// kind, a condition tree made of a fixed set of predicates over the
// model's own facts, and the text of the finding. docs/rules.md is the
// reference.
#pragma once

#include <string>
#include <vector>

#include "analyze/analysis.h"
#include "base/diagnostic.h"
#include "load/syntax_tree.h"
#include "model/model.h"

namespace tmc::analyze {

// What a rule iterates over.
enum class RuleTarget { element, process, store, external, flow, crossing };

// What a finding of the rule puts at stake, which decides what raises its
// impact (docs/rules.md, "Scoring"): the data at the target (its classes,
// its confidentiality and integrity, the target's privilege), the
// availability of what it serves, or nothing by itself (a hardening rule:
// a defence is missing, no data is exposed through it alone).
enum class RuleStakes { data, availability, none };

// Every predicate of the language (the names are in rule_compile.cc).
enum class Predicate {
  none, type, store, privilege, internet_facing, multi_tenant, tag, has, lacks, asset_class, untrusted_zone,
  reached_from_untrusted, inbound, outbound, uses_store, protocol, encrypted, local, crosses, authentication,
  authorization, validation, authentication_mentions, authorization_mentions, validation_mentions, flow_tag,
  flow_has, flow_lacks, data_class, secret_in_url, from_less_trusted, from, to,
  // Detection II (technology, input, reachability and direction facts).
  kind, accepts, client, pass_through, entry_point, edge_inbound, edge_lacks, untrusted_input, exists_kind,
  response, requester, responder,
  // Facts (facts.h): what the model states, reads or infers.
  authn, authz, second_factor, shared_credential, identity, locality, caller, sign_in, llm_use, log, managed,
  exposure, holds_class, untrusted_content, zone_exposed, high_value, public_access, parameterized, carries_data,
  backup, jwt, holds_secret, holds_password, authority_value, admin, reviewed, said, derived,
  last = derived
};

// A node of a condition tree. Predicates apply to an element or to a flow
// (`subject`); `from`/`to`/`inbound`/`outbound`/`uses_store` switch the
// subject for their children.
struct Condition {
  enum class Op { all, any, negate, predicate } op = Op::all;
  enum class Subject { element, flow } subject = Subject::element;
  std::string predicate;            // for Op::predicate
  Predicate kind = Predicate::none; // the same, resolved
  std::vector<std::string> words;   // its list argument (lower case)
  bool flag = true;                 // its boolean argument
  std::vector<Condition> children; // all/any/not, and nested subjects
  SourceLocation location;

  friend bool operator==(const Condition&, const Condition&) = default;
};

struct Rule {
  std::string id;
  std::string title;
  RuleTarget target = RuleTarget::element;
  model::StrideSet stride = 0;
  model::PrivacySet privacy = 0;
  std::string rationale;
  std::string mitigation;
  std::string message;   // template with {placeholders}
  std::vector<std::string> references;  // CWE-..., CAPEC-..., OWASP ...
  int likelihood = 1;    // 1..3
  int impact = 1;        // 1..3
  RuleStakes stakes = RuleStakes::data;
  // One item for the whole model: every target where the rule fires is a
  // place of one finding (its root cause is one, e.g. no vault at all).
  bool once = false;
  // A hygiene reminder (`checklist: true`): its open findings are gathered
  // into the one item of the rule that `collects: checklist`, instead of one
  // item each. The collector has no `when`: it fires where its members do.
  bool checklist = false;
  bool collector = false;
  // The rules whose findings share this rule's root cause (`folds: [ID,
  // ...]`): where this rule fires, their open findings on the same target
  // (and, for a rule on elements, on the flows into it) become parts of
  // its item instead of items of their own.
  std::vector<std::string> folds;
  Condition when;
  std::string source;    // "built-in" or the rule file's path
  SourceLocation location;

  friend bool operator==(const Rule&, const Rule&) = default;
};

// Compiles the rules of one rule file (`tmc-rules: 1`, `rules: [...]`).
// Every problem is a diagnostic at file:line:col.
std::vector<Rule> compile_rules(const load::Node& root, const std::string& source, DiagnosticSink& sink);

// Evaluates a condition on an element or a flow of `model`.
struct RuleContext;  // precomputed facts (rules.cc)
class RuleMemo;      // one thread's memo of quantified conditions (rules.cc)
bool evaluate(const Condition& condition, const RuleContext& context, RuleMemo& memo, int index);

// A readable rendering of a condition tree, for `tmc rules ID`.
std::string describe(const Condition& condition);

// `said: [...]`: the flow fact a word names, as the predicate that reads it
// ("authn" -> Predicate::authn, "public" -> Predicate::public_access), or
// Predicate::none; and every such word.
Predicate said_fact(std::string_view word);
const std::vector<std::string>& said_words();

}  // namespace tmc::analyze
