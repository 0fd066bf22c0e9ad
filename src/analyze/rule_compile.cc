// compile_rules(): a rule file's syntax tree -> Rule values, with
// diagnostics for every mistake.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "analyze/facts.h"
#include "analyze/rule_language.h"
#include "base/suggest.h"

namespace tmc::analyze {

namespace {

using Subject = Condition::Subject;

enum class ArgKind { words, flag, element_condition, flow_condition };

struct PredicateSpec {
  const char* name;
  Subject subject;
  ArgKind arg;
  Predicate kind;
  const std::vector<std::string>* vocabulary = nullptr;  // words: the closed list they come from
};

// The spellings of an enumeration of facts.h, from its first value to `last`.
template <typename Enum>
std::vector<std::string> names_of(Enum first, Enum last) {
  std::vector<std::string> names;
  for (int v = static_cast<int>(first); v <= static_cast<int>(last); ++v) names.emplace_back(to_string(static_cast<Enum>(v)));
  return names;
}

const std::vector<std::string> kAuthNames = names_of(AuthMechanism::unknown, AuthMechanism::other);
const std::vector<std::string> kAuthzNames = names_of(AuthzGranularity::unknown, AuthzGranularity::per_object);
const std::vector<std::string> kIdentityNames = names_of(CallerIdentity::unknown, CallerIdentity::technical);
const std::vector<std::string> kLocalityNames = names_of(Locality::network, Locality::in_process);
const std::vector<std::string> kCallerNames = names_of(Caller::browser, Caller::third_party);
const std::vector<std::string> kLlmUseNames = names_of(LlmUse::generation, LlmUse::embeddings);
const std::vector<std::string> kLogNames = names_of(LogPurpose::audit, LogPurpose::operational);
const std::vector<std::string> kExposureNames = names_of(Exposure::internal, Exposure::internet);
const std::vector<std::string> kValueNames = {"confidentiality", "integrity", "availability"};

// The whole vocabulary of the language.
const std::vector<PredicateSpec>& predicates() {
  static const std::vector<PredicateSpec> kPredicates = {
      // Facts of an element.
      {"type", Subject::element, ArgKind::words, Predicate::type},
      {"store", Subject::element, ArgKind::words, Predicate::store},
      {"privilege", Subject::element, ArgKind::words, Predicate::privilege},
      {"internet_facing", Subject::element, ArgKind::flag, Predicate::internet_facing},
      {"multi_tenant", Subject::element, ArgKind::flag, Predicate::multi_tenant},
      {"tag", Subject::element, ArgKind::words, Predicate::tag},
      {"has", Subject::element, ArgKind::words, Predicate::has},
      {"lacks", Subject::element, ArgKind::words, Predicate::lacks},
      {"asset_class", Subject::element, ArgKind::words, Predicate::asset_class},
      {"untrusted_zone", Subject::element, ArgKind::flag, Predicate::untrusted_zone},
      {"reached_from_untrusted", Subject::element, ArgKind::flag, Predicate::reached_from_untrusted},
      {"inbound", Subject::element, ArgKind::flow_condition, Predicate::inbound},
      {"outbound", Subject::element, ArgKind::flow_condition, Predicate::outbound},
      {"uses_store", Subject::element, ArgKind::element_condition, Predicate::uses_store},
      // Facts of a flow.
      {"protocol", Subject::flow, ArgKind::words, Predicate::protocol},
      {"encrypted", Subject::flow, ArgKind::flag, Predicate::encrypted},
      {"local", Subject::flow, ArgKind::flag, Predicate::local},
      {"crosses", Subject::flow, ArgKind::flag, Predicate::crosses},
      {"authentication", Subject::flow, ArgKind::words, Predicate::authentication},
      {"authorization", Subject::flow, ArgKind::words, Predicate::authorization},
      {"validation", Subject::flow, ArgKind::words, Predicate::validation},
      {"authentication_mentions", Subject::flow, ArgKind::words, Predicate::authentication_mentions},
      {"authorization_mentions", Subject::flow, ArgKind::words, Predicate::authorization_mentions},
      {"validation_mentions", Subject::flow, ArgKind::words, Predicate::validation_mentions},
      {"flow_tag", Subject::flow, ArgKind::words, Predicate::flow_tag},
      {"flow_has", Subject::flow, ArgKind::words, Predicate::flow_has},
      {"flow_lacks", Subject::flow, ArgKind::words, Predicate::flow_lacks},
      {"data_class", Subject::flow, ArgKind::words, Predicate::data_class},
      {"secret_in_url", Subject::flow, ArgKind::flag, Predicate::secret_in_url},
      {"from_less_trusted", Subject::flow, ArgKind::flag, Predicate::from_less_trusted},
      {"from", Subject::flow, ArgKind::element_condition, Predicate::from},
      {"to", Subject::flow, ArgKind::element_condition, Predicate::to},
      // Detection II: what an element is and accepts, where untrusted input
      // reaches, what stands in front of it; which way a flow is asked.
      {"kind", Subject::element, ArgKind::words, Predicate::kind},
      {"accepts", Subject::element, ArgKind::words, Predicate::accepts},
      {"client", Subject::element, ArgKind::flag, Predicate::client},
      {"pass_through", Subject::element, ArgKind::flag, Predicate::pass_through},
      {"entry_point", Subject::element, ArgKind::flag, Predicate::entry_point},
      {"edge_inbound", Subject::element, ArgKind::flow_condition, Predicate::edge_inbound},
      {"edge_lacks", Subject::element, ArgKind::words, Predicate::edge_lacks},
      {"untrusted_input", Subject::element, ArgKind::flag, Predicate::untrusted_input},
      {"exists_kind", Subject::element, ArgKind::words, Predicate::exists_kind},
      {"response", Subject::flow, ArgKind::flag, Predicate::response},
      {"requester", Subject::flow, ArgKind::element_condition, Predicate::requester},
      {"responder", Subject::flow, ArgKind::element_condition, Predicate::responder},
      // Facts (facts.h), with the closed lists of their values.
      {"authn", Subject::flow, ArgKind::words, Predicate::authn, &kAuthNames},
      {"authz", Subject::flow, ArgKind::words, Predicate::authz, &kAuthzNames},
      {"second_factor", Subject::flow, ArgKind::flag, Predicate::second_factor},
      {"said", Subject::flow, ArgKind::words, Predicate::said, &said_words()},
      {"shared_credential", Subject::flow, ArgKind::flag, Predicate::shared_credential},
      {"identity", Subject::flow, ArgKind::words, Predicate::identity, &kIdentityNames},
      {"locality", Subject::flow, ArgKind::words, Predicate::locality, &kLocalityNames},
      {"caller", Subject::flow, ArgKind::words, Predicate::caller, &kCallerNames},
      {"sign_in", Subject::flow, ArgKind::flag, Predicate::sign_in},
      {"public", Subject::flow, ArgKind::flag, Predicate::public_access},
      {"reviewed", Subject::flow, ArgKind::flag, Predicate::reviewed},
      {"parameterized", Subject::flow, ArgKind::flag, Predicate::parameterized},
      {"carries_data", Subject::flow, ArgKind::flag, Predicate::carries_data},
      {"authority_value", Subject::flow, ArgKind::flag, Predicate::authority_value},
      {"jwt", Subject::flow, ArgKind::flag, Predicate::jwt},
      {"backup", Subject::element, ArgKind::flag, Predicate::backup},
      {"derived", Subject::element, ArgKind::flag, Predicate::derived},
      {"holds_secret", Subject::element, ArgKind::flag, Predicate::holds_secret},
      {"holds_password", Subject::element, ArgKind::flag, Predicate::holds_password},
      {"llm_use", Subject::flow, ArgKind::words, Predicate::llm_use, &kLlmUseNames},
      {"log", Subject::element, ArgKind::words, Predicate::log, &kLogNames},
      {"managed", Subject::element, ArgKind::flag, Predicate::managed},
      {"admin", Subject::element, ArgKind::flag, Predicate::admin},
      {"exposure", Subject::element, ArgKind::words, Predicate::exposure, &kExposureNames},
      {"holds_class", Subject::element, ArgKind::words, Predicate::holds_class},
      {"untrusted_content", Subject::element, ArgKind::flag, Predicate::untrusted_content},
      {"zone_exposed", Subject::element, ArgKind::flag, Predicate::zone_exposed},
      {"high_value", Subject::element, ArgKind::words, Predicate::high_value, &kValueNames},
  };
  return kPredicates;
}

std::vector<std::string> predicate_names(Subject subject) {
  std::vector<std::string> names = {"all", "any", "not"};
  for (const PredicateSpec& spec : predicates()) {
    if (spec.subject == subject) names.push_back(spec.name);
  }
  return names;
}

constexpr int kMaxConditionDepth = 12;
// Predicates (including all/any/not) in one rule's condition. With the
// engine's memoization a rule costs O(predicates x (elements + flows)),
// so this bounds the cost of every rule on every model.
constexpr int kMaxRulePredicates = 256;
// Words in one list, and in one rule file (lists of every rule, references
// included). Rule files come from pull requests: without a bound one rule
// with 300,000 words in `authentication_mentions` held an analysis for a
// minute. The largest list of the built-in rules has a dozen words.
constexpr size_t kMaxListWords = 256;
constexpr size_t kMaxFileWords = 10000;

class RuleCompiler {
 public:
  RuleCompiler(const std::string& source, DiagnosticSink& sink) : source_(source), sink_(sink) {}

  std::vector<Rule> compile(const load::Node& root);

 private:
  std::optional<Rule> compile_rule(const load::Node& node);
  // A mapping of predicates (implicit AND) for `subject`.
  bool compile_condition(const load::Node& node, Subject subject, int depth, Condition& out);
  bool compile_predicate(const load::MappingEntry& entry, Subject subject, int depth, Condition& out);
  std::vector<std::string> words(const load::Node& value, std::string_view key);
  // False, after a `rule-too-large` error, when the list `value` of `key`
  // holds more words than a list or the file may.
  bool within_word_caps(const load::Node& value, std::string_view key);

  const std::string& source_;
  DiagnosticSink& sink_;
  int predicates_ = 0;  // in the rule being compiled
  size_t words_ = 0;    // in the file so far
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool RuleCompiler::within_word_caps(const load::Node& value, std::string_view key) {
  const size_t count = value.is_sequence() ? value.items().size() : 1;
  if (count > kMaxListWords) {
    sink_.error("rule-too-large", value.location,
                fmt::format("'{}' lists {} words; a list holds at most {}", key, count, kMaxListWords));
    return false;
  }
  const bool was_within = words_ <= kMaxFileWords;
  words_ += count;
  if (words_ <= kMaxFileWords) return true;
  if (was_within) {
    sink_.error("rule-too-large", value.location,
                fmt::format("the rule file lists more than {} words in all; split it", kMaxFileWords));
  }
  return false;
}

std::vector<std::string> RuleCompiler::words(const load::Node& value, std::string_view key) {
  std::vector<std::string> out;
  if (!within_word_caps(value, key)) return out;
  if (value.is_scalar() && !value.is_null()) {
    out.push_back(lower(std::string(value.text())));
  } else if (value.is_sequence()) {
    for (const load::NodePtr& item : value.items()) {
      if (item->is_scalar() && !item->is_null()) {
        out.push_back(lower(std::string(item->text())));
      } else {
        sink_.error("rule-shape", item->location, fmt::format("'{}' takes words, found {}", key, load::describe(*item)));
      }
    }
  } else {
    sink_.error("rule-shape", value.location, fmt::format("'{}' takes a word or a list of words", key));
  }
  return out;
}

bool RuleCompiler::compile_predicate(const load::MappingEntry& entry, Subject subject, int depth, Condition& out) {
  if (++predicates_ > kMaxRulePredicates) {
    if (predicates_ == kMaxRulePredicates + 1) {
      sink_.error("rule-too-large", entry.key_location,
                  fmt::format("a rule's condition may hold at most {} predicates; split the rule", kMaxRulePredicates));
    }
    return false;
  }
  const std::string key(entry.key);
  const load::Node& value = *entry.value;
  out.location = entry.key_location;
  out.subject = subject;
  if (key == "all" || key == "any") {
    out.op = key == "all" ? Condition::Op::all : Condition::Op::any;
    if (!value.is_sequence() || value.items().empty()) {
      sink_.error("rule-shape", value.location, fmt::format("'{}' takes a non-empty list of conditions", key));
      return false;
    }
    bool ok = true;
    for (const load::NodePtr& item : value.items()) {
      Condition child;
      ok = compile_condition(*item, subject, depth + 1, child) && ok;
      out.children.push_back(std::move(child));
    }
    return ok;
  }
  if (key == "not") {
    out.op = Condition::Op::negate;
    Condition child;
    bool ok = compile_condition(value, subject, depth + 1, child);
    out.children.push_back(std::move(child));
    return ok;
  }
  const PredicateSpec* spec = nullptr;
  for (const PredicateSpec& candidate : predicates()) {
    if (key == candidate.name && candidate.subject == subject) spec = &candidate;
  }
  if (spec == nullptr) {
    bool other_subject = std::any_of(predicates().begin(), predicates().end(),
                                     [&](const PredicateSpec& s) { return key == s.name; });
    sink_.error("rule-unknown-predicate", entry.key_location,
                other_subject
                    ? fmt::format("'{}' is a predicate of {}, not of {} (use from:/to: or inbound:/outbound: to "
                                  "switch)",
                                  key, subject == Subject::element ? "flows" : "elements",
                                  subject == Subject::element ? "elements" : "flows")
                    : fmt::format("unknown predicate '{}'{}", key, did_you_mean(key, predicate_names(subject))));
    return false;
  }
  out.op = Condition::Op::predicate;
  out.predicate = key;
  out.kind = spec->kind;
  switch (spec->arg) {
    case ArgKind::words: {
      out.words = words(value, key);
      bool ok = !out.words.empty();
      if (spec->vocabulary != nullptr) {
        for (const std::string& word : out.words) {
          if (std::find(spec->vocabulary->begin(), spec->vocabulary->end(), word) != spec->vocabulary->end()) continue;
          sink_.error("rule-invalid-value", value.location,
                      fmt::format("'{}' is not a value of '{}' ({}){}", word, key, fmt::join(*spec->vocabulary, ", "),
                                  did_you_mean(word, *spec->vocabulary)));
          ok = false;
        }
      }
      return ok;
    }
    case ArgKind::flag:
      if (!value.is_scalar() || value.quoted || (value.text() != "true" && value.text() != "false")) {
        sink_.error("rule-invalid-value", value.location, fmt::format("'{}' takes true or false", key));
        return false;
      }
      out.flag = value.text() == "true";
      return true;
    case ArgKind::element_condition:
    case ArgKind::flow_condition: {
      Condition child;
      bool ok = compile_condition(value, spec->arg == ArgKind::flow_condition ? Subject::flow : Subject::element,
                                  depth + 1, child);
      out.children.push_back(std::move(child));
      return ok;
    }
  }
  return false;
}

bool RuleCompiler::compile_condition(const load::Node& node, Subject subject, int depth, Condition& out) {
  out.op = Condition::Op::all;
  out.subject = subject;
  out.location = node.location;
  if (depth > kMaxConditionDepth) {
    sink_.error("rule-too-deep", node.location,
                fmt::format("conditions nest more than {} levels deep", kMaxConditionDepth));
    return false;
  }
  if (!node.is_mapping() || node.entries().empty()) {
    sink_.error("rule-shape", node.location, "a condition is a mapping of predicates, e.g. { type: process }");
    return false;
  }
  bool ok = true;
  for (const load::MappingEntry& entry : node.entries()) {
    Condition child;
    ok = compile_predicate(entry, subject, depth, child) && ok;
    out.children.push_back(std::move(child));
  }
  return ok;
}

int stride_bits(const std::vector<std::string>& letters, const load::Node* node, DiagnosticSink& sink, bool& ok) {
  int bits = 0;
  for (const std::string& letter : letters) {
    size_t position = std::string("stride").find(letter);
    if (letter.size() != 1 || position == std::string::npos) {
      sink.error("rule-invalid-value", node->location, fmt::format("'{}' is not a STRIDE letter", letter));
      ok = false;
      continue;
    }
    bits |= 1 << position;
  }
  return bits;
}

std::optional<Rule> RuleCompiler::compile_rule(const load::Node& node) {
  static const std::vector<std::string> kKeys = {"id",         "title",      "on",         "stride",  "privacy",
                                                 "rationale",  "mitigation", "message",    "references", "likelihood",
                                                 "impact",     "stakes",     "once",       "when",
                                                 "checklist",  "collects",   "folds"};
  Rule rule;
  rule.source = source_;
  rule.location = node.location;
  bool ok = true;
  auto text = [&](const char* key, bool required) -> std::string {
    const load::MappingEntry* entry = node.find(key);
    if (entry == nullptr || !entry->value->is_scalar() || entry->value->is_null()) {
      if (required) {
        sink_.error("rule-missing-field", entry ? entry->value->location : node.location,
                    fmt::format("rule has no '{}'", key));
        ok = false;
      }
      return "";
    }
    return std::string(entry->value->text());
  };
  rule.id = text("id", true);
  // A rule id is printed, matched and used in SARIF: the model's id format
  // (a letter, then letters, digits, '_', '.' or '-'), so no NUL, control
  // or space can hide in it.
  bool id_ok = rule.id.empty() || std::isalpha(static_cast<unsigned char>(rule.id[0]));
  for (char c : rule.id) id_ok = id_ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  if (!id_ok) {
    sink_.error("rule-invalid-value", node.find("id")->value->location,
                fmt::format("'{}' is not a valid rule id: start with a letter, then letters, digits, '_', '.' or '-'",
                            rule.id));
    ok = false;
  }
  rule.title = text("title", true);
  rule.rationale = text("rationale", true);
  rule.mitigation = text("mitigation", true);
  rule.message = text("message", true);
  std::string on = text("on", true);
  static const std::vector<std::string> kTargets = {"element", "process", "store", "external", "flow", "crossing"};
  auto target = std::find(kTargets.begin(), kTargets.end(), on);
  if (!on.empty() && target == kTargets.end()) {
    sink_.error("rule-invalid-value", node.find("on")->value->location,
                fmt::format("'on' must be one of element, process, store, external, flow, crossing{}",
                            did_you_mean(on, kTargets)));
    ok = false;
  } else if (!on.empty()) {
    rule.target = static_cast<RuleTarget>(target - kTargets.begin());
  }
  for (const char* key : {"likelihood", "impact"}) {
    std::string value = text(key, true);
    if (value.empty()) continue;
    if (value != "1" && value != "2" && value != "3") {
      sink_.error("rule-invalid-value", node.find(key)->value->location,
                  fmt::format("rule {} is on the scale 1..3, not '{}'", key, value));
      ok = false;
      continue;
    }
    (std::string_view(key) == "likelihood" ? rule.likelihood : rule.impact) = value[0] - '0';
  }
  // What is at stake: by default the data, or availability for a rule
  // about denial of service alone.
  rule.stakes = RuleStakes::data;
  std::string stakes = text("stakes", false);
  static const std::vector<std::string> kStakes = {"data", "availability", "none"};
  if (auto it = std::find(kStakes.begin(), kStakes.end(), stakes); !stakes.empty() && it == kStakes.end()) {
    sink_.error("rule-invalid-value", node.find("stakes")->value->location,
                fmt::format("'stakes' is data, availability or none, not '{}'{}", stakes, did_you_mean(stakes, kStakes)));
    ok = false;
  } else if (!stakes.empty()) {
    rule.stakes = static_cast<RuleStakes>(it - kStakes.begin());
  }
  std::string once = text("once", false);
  if (!once.empty() && once != "true" && once != "false") {
    sink_.error("rule-invalid-value", node.find("once")->value->location, "'once' takes true or false");
    ok = false;
  }
  rule.once = once == "true";
  std::string checklist = text("checklist", false);
  if (!checklist.empty() && checklist != "true" && checklist != "false") {
    sink_.error("rule-invalid-value", node.find("checklist")->value->location, "'checklist' takes true or false");
    ok = false;
  }
  rule.checklist = checklist == "true";
  std::string collects = text("collects", false);
  if (!collects.empty() && collects != "checklist") {
    sink_.error("rule-invalid-value", node.find("collects")->value->location,
                fmt::format("'collects' takes 'checklist', not '{}'", collects));
    ok = false;
  }
  rule.collector = collects == "checklist";
  if ((rule.checklist || rule.collector) && rule.target != RuleTarget::element && rule.target != RuleTarget::process &&
      rule.target != RuleTarget::store && rule.target != RuleTarget::external) {
    sink_.error("rule-invalid-value", node.find(rule.collector ? "collects" : "checklist")->key_location,
                "a checklist rule and its collector are on elements, so that their places are elements");
    ok = false;
  }
  if (const load::MappingEntry* stride = node.find("stride")) {
    rule.stride = static_cast<model::StrideSet>(stride_bits(words(*stride->value, "stride"), stride->value, sink_, ok));
  }
  if (const load::MappingEntry* privacy = node.find("privacy")) {
    static const std::vector<std::string> kPrivacy = {"linkability", "identifiability", "non-repudiation",
                                                      "detectability", "disclosure", "unawareness", "non-compliance"};
    for (const std::string& word : words(*privacy->value, "privacy")) {
      auto it = std::find(kPrivacy.begin(), kPrivacy.end(), word);
      if (it == kPrivacy.end()) {
        sink_.error("rule-invalid-value", privacy->value->location,
                    fmt::format("'{}' is not a LINDDUN class{}", word, did_you_mean(word, kPrivacy)));
        ok = false;
      } else {
        rule.privacy |= static_cast<model::PrivacySet>(1u << (it - kPrivacy.begin()));
      }
    }
  }
  if (stakes.empty() && rule.stride == model::bit(model::Stride::D) && rule.privacy == 0) {
    rule.stakes = RuleStakes::availability;
  }
  if (rule.stride == 0 && rule.privacy == 0 && ok) {
    sink_.error("rule-missing-field", node.location, "a rule names at least one STRIDE letter or privacy class");
    ok = false;
  }
  if (const load::MappingEntry* references = node.find("references")) {
    if (within_word_caps(*references->value, "references")) {
      for (const load::NodePtr& item : references->value->items()) {
        if (item->is_scalar()) rule.references.emplace_back(item->text());
      }
    } else {
      ok = false;
    }
  }
  if (const load::MappingEntry* folds = node.find("folds")) {
    if (!within_word_caps(*folds->value, "folds")) {
      ok = false;
    } else if (!folds->value->is_sequence()) {
      sink_.error("rule-shape", folds->value->location, "'folds' takes a list of rule ids, e.g. [TMC-ADMIN-NO-MFA]");
      ok = false;
    } else {
      for (const load::NodePtr& item : folds->value->items()) {
        std::string id = item->is_scalar() && !item->is_null() ? std::string(item->text()) : "";
        if (id.empty() || id == rule.id) {
          sink_.error("rule-invalid-value", item->location,
                      id.empty() ? "'folds' takes rule ids" : "a rule does not fold itself");
          ok = false;
        } else {
          rule.folds.push_back(std::move(id));
        }
      }
    }
  }
  const load::MappingEntry* when = node.find("when");
  if (rule.collector) {
    if (when != nullptr) {
      sink_.error("rule-invalid-value", when->key_location,
                  "a rule that collects the checklist has no 'when': it fires where the checklist rules do");
      ok = false;
    }
  } else if (when == nullptr) {
    sink_.error("rule-missing-field", node.location, "rule has no 'when' condition");
    ok = false;
  } else {
    Subject subject = rule.target == RuleTarget::flow || rule.target == RuleTarget::crossing ? Subject::flow : Subject::element;
    predicates_ = 0;
    ok = compile_condition(*when->value, subject, 0, rule.when) && ok;
  }
  for (const load::MappingEntry& entry : node.entries()) {
    if (std::find(kKeys.begin(), kKeys.end(), entry.key) == kKeys.end()) {
      sink_.error("rule-unknown-key", entry.key_location,
                  fmt::format("unknown key '{}' in a rule{}", entry.key, did_you_mean(entry.key, kKeys)));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return rule;
}

std::vector<Rule> RuleCompiler::compile(const load::Node& root) {
  std::vector<Rule> rules;
  const load::MappingEntry* version = root.find("tmc-rules");
  if (version == nullptr || version->value->text() != "1") {
    sink_.error("rule-shape", version ? version->value->location : root.location,
                "a rule file starts with 'tmc-rules: 1'");
    return rules;
  }
  const load::MappingEntry* list = root.find("rules");
  if (list == nullptr || !list->value->is_sequence()) {
    sink_.error("rule-shape", list ? list->value->location : root.location, "a rule file has a 'rules:' list");
    return rules;
  }
  for (const load::MappingEntry& entry : root.entries()) {
    if (entry.key != "tmc-rules" && entry.key != "rules") {
      sink_.error("rule-unknown-key", entry.key_location, fmt::format("unknown key '{}' in a rule file", entry.key));
    }
  }
  for (const load::NodePtr& item : list->value->items()) {
    if (!item->is_mapping()) {
      sink_.error("rule-shape", item->location, "each rule is a mapping");
      continue;
    }
    if (auto rule = compile_rule(*item)) rules.push_back(std::move(*rule));
  }
  return rules;
}

}  // namespace

std::vector<Rule> compile_rules(const load::Node& root, const std::string& source, DiagnosticSink& sink) {
  return RuleCompiler(source, sink).compile(root);
}

namespace {
// The flow facts `said` asks about: each is also a predicate of its own.
constexpr std::pair<std::string_view, Predicate> kSaid[] = {
    {"authn", Predicate::authn},   {"authz", Predicate::authz},       {"second_factor", Predicate::second_factor},
    {"shared_credential", Predicate::shared_credential},              {"identity", Predicate::identity},
    {"caller", Predicate::caller}, {"sign_in", Predicate::sign_in},   {"public", Predicate::public_access},
    {"parameterized", Predicate::parameterized},                      {"jwt", Predicate::jwt}};
}  // namespace

Predicate said_fact(std::string_view word) {
  for (const auto& [name, fact] : kSaid) {
    if (name == word) return fact;
  }
  return Predicate::none;
}

const std::vector<std::string>& said_words() {
  static const std::vector<std::string> kWords = [] {
    std::vector<std::string> words;
    for (const auto& [name, fact] : kSaid) words.emplace_back(name);
    return words;
  }();
  return kWords;
}

std::string describe(const Condition& condition) {
  auto list = [](const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& word : words) out += (out.empty() ? "" : ", ") + word;
    return words.size() == 1 ? out : "[" + out + "]";
  };
  switch (condition.op) {
    case Condition::Op::all:
    case Condition::Op::any: {
      if (condition.children.size() == 1) return describe(condition.children[0]);
      std::string out;
      const char* joiner = condition.op == Condition::Op::all ? " and " : " or ";
      for (const Condition& child : condition.children) out += (out.empty() ? "" : joiner) + describe(child);
      return "(" + out + ")";
    }
    case Condition::Op::negate:
      return "not " + describe(condition.children[0]);
    case Condition::Op::predicate:
      if (!condition.children.empty()) return condition.predicate + " " + describe(condition.children[0]);
      if (!condition.words.empty()) return condition.predicate + ": " + list(condition.words);
      return condition.predicate + (condition.flag ? "" : ": false");
  }
  return "";
}

}  // namespace tmc::analyze
