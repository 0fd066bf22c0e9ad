// The rule engine: the library of compiled rules, the facts the
// predicates read, and the findings.
#include "analyze/rules.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <sched.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <thread>
#include <unordered_map>

#include "analyze/rule_context.h"
#include "analyze/rule_language.h"
#include "analyze/rule_pack.h"
#include "analyze/scoring.h"
#include "analyze/zones.h"
#include "base/suggest.h"
#include "embedded_rules_index.h"

namespace tmc::analyze {

// ---- RuleLibrary ------------------------------------------------------------

RuleLibrary::RuleLibrary() = default;
RuleLibrary::~RuleLibrary() = default;
RuleLibrary::RuleLibrary(RuleLibrary&&) noexcept = default;
RuleLibrary& RuleLibrary::operator=(RuleLibrary&&) noexcept = default;

namespace {

bool add_rules(std::vector<std::unique_ptr<Rule>>& rules, std::vector<Rule> compiled, DiagnosticSink& sink) {
  bool ok = true;
  for (Rule& rule : compiled) {
    auto existing = std::find_if(rules.begin(), rules.end(), [&](const auto& r) { return r->id == rule.id; });
    if (existing != rules.end()) {
      sink.error("rule-duplicate-id", rule.location,
                 fmt::format("rule id '{}' is already defined ({})", rule.id, (*existing)->source));
      ok = false;
      continue;
    }
    rules.push_back(std::make_unique<Rule>(std::move(rule)));
  }
  return ok;
}

}  // namespace

RuleLibrary RuleLibrary::builtin(SourceManager& sources, DiagnosticSink& sink) {
  // The rule files' text is registered as before (diagnostics and `tmc
  // rules` point into it); their rules come from the pack made at build
  // time from that same text, already checked and sorted by id.
  std::vector<PackedFile> files;
  std::vector<uint32_t> ids;
  for (const embedded::EmbeddedFile& file : embedded::kRuleFiles) {
    files.push_back({std::string(file.path), file.bytes.size()});
    ids.push_back(sources.add(std::string(file.path), std::string(file.bytes)));
  }
  std::vector<Rule> rules;
  std::string error;
  RuleLibrary library;
  if (!unpack_rules(embedded::rule_pack, files, ids, rules, error)) {
    sink.error("rule-pack", {}, fmt::format("the built-in rules cannot be read ({}); this is a bug in tmc", error));
    return library;
  }
  library.rules_.reserve(rules.size());
  for (Rule& rule : rules) library.rules_.push_back(std::make_unique<Rule>(std::move(rule)));
  return library;
}

RuleLibrary RuleLibrary::builtin_from_yaml(SourceManager& sources, DiagnosticSink& sink) {
  RuleLibrary library;
  for (const embedded::EmbeddedFile& file : embedded::kRuleFiles) {
    uint32_t id = sources.add(std::string(file.path), std::string(file.bytes));
    load::SyntaxTree root = load::parse_document(id, sources, load::LoadLimits(), sink);
    if (root) add_rules(library.rules_, compile_rules(*root, "built-in", sink), sink);
  }
  std::stable_sort(library.rules_.begin(), library.rules_.end(), [](const auto& a, const auto& b) { return a->id < b->id; });
  return library;
}

namespace {
// Rewords a loader diagnostic about "a model file" for a rule file.
std::string as_rule_file_wording(std::string message) {
  static const std::pair<std::string_view, std::string_view> kWords[] = {
      {"the file is empty; a model starts with 'tmc: 1'", "the file is empty; a rule file starts with 'tmc-rules: 1'"},
      {"a model file must be a mapping of keys ('tmc: 1', 'title: ...')",
       "a rule file must be a mapping of keys ('tmc-rules: 1', 'rules: ...')"},
      {"a model file holds one YAML document; split the others into files and list them under 'include:'",
       "a rule file holds one YAML document; split the others into files and pass each with --rules"},
      {"in model files", "in rule files"},
      {"in a model file", "in a rule file"},
  };
  for (const auto& [from, to] : kWords) {
    size_t at = message.find(from);
    if (at != std::string::npos) message.replace(at, from.size(), to);
  }
  return message;
}
}  // namespace

bool RuleLibrary::add_file(const std::string& path, const load::FileSystem& fs, const load::LoadLimits& limits,
                           SourceManager& sources, DiagnosticSink& sink) {
  size_t errors = sink.error_count();
  std::string error;
  auto text = fs.read(path, limits.max_file_bytes, error);
  if (!text) {
    sink.error("read-error", {}, fmt::format("cannot read rule file '{}': {}", path, error));
    return false;
  }
  uint32_t id = sources.add(path, std::move(*text));
  // The loader words its diagnostics for model files; this is a rule file.
  DiagnosticSink parse_sink(sink.strict());
  load::SyntaxTree root = load::parse_document(id, sources, limits, parse_sink);
  for (Diagnostic d : parse_sink.diagnostics()) {
    d.message = as_rule_file_wording(std::move(d.message));
    sink.report(std::move(d));
  }
  if (root) add_rules(rules_, compile_rules(*root, path, sink), sink);
  std::stable_sort(rules_.begin(), rules_.end(), [](const auto& a, const auto& b) { return a->id < b->id; });
  for (const auto& rule : rules_) {
    if (rule->source != path) continue;
    for (const std::string& folded : rule->folds) {
      if (find(folded) < 0) {
        sink.warning("rule-unknown-fold", rule->location,
                     fmt::format("rule {} folds '{}', which is no rule{}", rule->id, folded, did_you_mean(folded, ids())));
      }
    }
  }
  return sink.error_count() == errors;
}

size_t RuleLibrary::size() const { return rules_.size(); }
const Rule& RuleLibrary::rule(size_t index) const { return *rules_[index]; }

int RuleLibrary::find(std::string_view id) const {
  for (size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i]->id == id) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> RuleLibrary::ids() const {
  std::vector<std::string> out;
  for (const auto& rule : rules_) out.push_back(rule->id);
  return out;
}

std::vector<std::string> RuleLibrary::controls() const {
  std::set<std::string> names;
  std::vector<const Condition*> work;
  for (const auto& rule : rules_) work.push_back(&rule->when);
  while (!work.empty()) {
    const Condition* c = work.back();
    work.pop_back();
    if (c->predicate == "has" || c->predicate == "lacks" || c->predicate == "flow_has" || c->predicate == "flow_lacks" ||
        c->predicate == "edge_lacks") {
      names.insert(c->words.begin(), c->words.end());
    }
    for (const Condition& child : c->children) work.push_back(&child);
  }
  return {names.begin(), names.end()};
}

// ---- The facts behind a finding ---------------------------------------------

namespace {

// The fact a predicate reads, as describe_*_facts() names it ("" = none).
const char* fact_of(Predicate predicate) {
  switch (predicate) {
    case Predicate::authn: return "authentication";
    case Predicate::authz: return "authorization";
    case Predicate::second_factor: return "second factor";
    case Predicate::shared_credential: return "shared credential";
    case Predicate::identity: return "identity";
    case Predicate::local:
    case Predicate::locality: return "locality";
    case Predicate::caller: return "caller";
    case Predicate::sign_in: return "sign-in";
    case Predicate::public_access: return "public";
    case Predicate::reviewed: return "reviewed";
    case Predicate::parameterized: return "parameterized";
    case Predicate::llm_use: return "llm use";
    case Predicate::kind:
    case Predicate::client:
    case Predicate::pass_through: return "kind";
    case Predicate::exposure:
    case Predicate::entry_point:
    case Predicate::internet_facing:
    case Predicate::reached_from_untrusted: return "exposure";
    case Predicate::log: return "log";
    case Predicate::managed: return "managed";
    case Predicate::admin: return "admin";
    case Predicate::backup: return "backup";
    case Predicate::derived: return "derived";
    case Predicate::jwt: return "jwt";
    case Predicate::authority_value: return "authority data";
    default: return "";
  }
}

void collect_fact_names(const Condition& c, std::set<std::string>& element_facts, std::set<std::string>& flow_facts) {
  if (c.op == Condition::Op::predicate && c.kind == Predicate::said) {
    // `said: [second_factor]`: the facts it names.
    for (const std::string& word : c.words) {
      if (const char* name = fact_of(said_fact(word)); *name != '\0') flow_facts.insert(name);
    }
  } else if (c.op == Condition::Op::predicate) {
    if (const char* name = fact_of(c.kind); *name != '\0') {
      (c.subject == Condition::Subject::element ? element_facts : flow_facts).insert(name);
    }
  }
  for (const Condition& child : c.children) collect_fact_names(child, element_facts, flow_facts);
}

}  // namespace

std::vector<FactLine> facts_behind(const model::Model& model, const ModelFacts& facts, const Rule& rule,
                                   const RuleFinding& finding) {
  std::set<std::string> element_names, flow_names;
  collect_fact_names(rule.when, element_names, flow_names);
  std::vector<FactLine> out;
  auto add = [&](const std::string& subject, const std::vector<FactLine>& lines, const std::set<std::string>& wanted) {
    for (const FactLine& line : lines) {
      if (!wanted.count(line.name)) continue;
      FactLine named = line;
      named.name = subject + ": " + line.name;
      out.push_back(std::move(named));
    }
  };
  if (finding.target_kind == model::TargetKind::flow) {
    const model::Flow& flow = model.flows[static_cast<size_t>(finding.target)];
    add("flow " + flow.id, describe_flow_facts(model, facts, finding.target), flow_names);
    for (int end : {flow.from_index, flow.to_index}) {
      if (end >= 0) add(model.elements[static_cast<size_t>(end)].id, describe_element_facts(model, facts, end), element_names);
    }
    return out;
  }
  add(model.elements[static_cast<size_t>(finding.target)].id, describe_element_facts(model, facts, finding.target),
      element_names);
  size_t shown = 0;
  for (size_t f = 0; f < model.flows.size() && shown < 6; ++f) {
    const model::Flow& flow = model.flows[f];
    if (flow.to_index != finding.target || flow.response_to_index >= 0 || flow_names.empty()) continue;
    add("flow " + flow.id, describe_flow_facts(model, facts, static_cast<int>(f)), flow_names);
    ++shown;
  }
  return out;
}

// ---- Running the rules ---------------------------------------------------------

namespace {

std::string fill(const std::string& message, const RuleContext& context, bool is_flow, int index) {
  const model::Model& m = context.model;
  auto value = [&](std::string_view key) -> std::string {
    if (is_flow) {
      const model::Flow& f = context.flow(index);
      auto name_of = [&](int e) { return e >= 0 ? m.elements[static_cast<size_t>(e)].name : std::string("?"); };
      if (key == "id") return f.id;
      if (key == "name") return f.label.empty() ? f.id : f.label;
      if (key == "from") return name_of(f.from_index);
      if (key == "to") return name_of(f.to_index);
      if (key == "protocol") return f.protocol.empty() ? "an unnamed protocol" : f.protocol;
      if (key == "authentication") return f.authentication ? f.authentication->value : "(not declared)";
      if (key == "authorization") return f.authorization ? f.authorization->value : "(not declared)";
      if (key == "validation") return f.validation ? f.validation->value : "(not declared)";
      if (key == "boundaries") return context.crossed_names(static_cast<size_t>(index));
      if (key == "requester" || key == "responder") {
        int asker = context.flow_facts(index).requester;
        int other = asker == f.from_index ? f.to_index : f.from_index;
        return name_of(key == "requester" ? asker : other);
      }
      if (key == "missing") {
        std::string out;
        for (Predicate which : {Predicate::authentication, Predicate::authorization, Predicate::validation}) {
          if (!declared(f, which)) {
            out += out.empty() ? "" : ", ";
            out += which == Predicate::authentication ? "authentication"
                   : which == Predicate::authorization ? "authorization"
                                                       : "validation";
          }
        }
        return out;
      }
      if (key == "classes" || key == "assets" || key == "pii") {
        static const std::vector<std::string> kPii = {"pii"};
        std::string out;
        for (int a : f.data_indexes) {
          const model::Asset& asset = m.assets[static_cast<size_t>(a)];
          bool wanted = key == "assets" || any_text_in(asset.classes, key == "pii" ? kPii : kSensitiveClasses);
          if (wanted) out += (out.empty() ? "" : ", ") + asset.name;
        }
        return out;
      }
    } else {
      const model::Element& e = context.element(index);
      if (key == "id") return e.id;
      if (key == "name") return e.name;
      if (key == "store") return model::to_string(e.store);
      if (key == "privilege") return model::to_string(e.privilege);
      if (key == "kind") return e.kind.empty() ? model::to_string(e.type) : e.kind;
      if (key == "input_path") return input_path(context, index);
      if (key == "accepts") {
        std::string out;
        for (const model::Text& item : e.accepts) out += (out.empty() ? "" : ", ") + item.value;
        return out;
      }
      if (key == "classes" || key == "assets" || key == "pii") {
        // The assets the rule's asset_class read: its own, then the data
        // its flows carry (a log that holds none itself but is written
        // personal data names that data).
        static const std::vector<std::string> kPii = {"pii"};
        std::string out;
        any_involved_asset(context, model::TargetKind::element, index, [&](int a) {
          const model::Asset& asset = m.assets[static_cast<size_t>(a)];
          bool wanted = key == "assets" || any_text_in(asset.classes, key == "pii" ? kPii : kSensitiveClasses);
          if (wanted) out += (out.empty() ? "" : ", ") + asset.name;
          return false;
        });
        return out;
      }
    }
    return "{" + std::string(key) + "}";
  };
  // Placeholders can repeat and expand to long lists: the filled message
  // is cut at kMaxMessageBytes (on a UTF-8 boundary) so that a small rule
  // file cannot multiply into gigabytes of findings.
  constexpr size_t kMaxMessageBytes = 2000;
  std::string out;
  out.reserve(message.size() + 32);
  const std::string_view text = message;
  for (size_t i = 0; i < text.size() && out.size() <= kMaxMessageBytes;) {
    size_t open = text.find('{', i);
    size_t close = open == std::string_view::npos ? std::string_view::npos : text.find('}', open);
    if (close == std::string_view::npos) {
      // No placeholder from here on (the loop copied one byte at a time
      // before; the cut below treats both alike).
      out.append(text.substr(i, std::min(text.size() - i, kMaxMessageBytes + 1 - out.size())));
      break;
    }
    out.append(text.substr(i, open - i));
    if (out.size() > kMaxMessageBytes) break;
    out += value(text.substr(open + 1, close - open - 1));
    i = close + 1;
  }
  if (out.size() > kMaxMessageBytes) {
    size_t cut = kMaxMessageBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

bool target_matches(const RuleTarget target, const model::Element& element) {
  switch (target) {
    case RuleTarget::element: return true;
    case RuleTarget::process: return element.type == model::ElementType::process;
    case RuleTarget::store: return element.type == model::ElementType::store;
    case RuleTarget::external: return element.type == model::ElementType::external;
    default: return false;
  }
}

// The asset properties a rule's threat classes put at stake: tampering and
// repudiation (of records) integrity, information disclosure and every
// privacy class confidentiality, denial of service availability, spoofing
// and elevation of privilege confidentiality and integrity both.
struct Stakes {
  bool confidentiality = false, integrity = false, availability = false;
};

Stakes stakes_of(const Rule& rule) {
  using model::Stride;
  Stakes stakes;
  auto has = [&](Stride letter) { return model::has(rule.stride, letter); };
  const bool data = rule.stakes == RuleStakes::data;
  stakes.confidentiality = data && (has(Stride::I) || has(Stride::S) || has(Stride::E) || rule.privacy != 0);
  stakes.integrity = data && (has(Stride::T) || has(Stride::R) || has(Stride::S) || has(Stride::E));
  stakes.availability = rule.stakes != RuleStakes::none && has(Stride::D);
  return stakes;
}

// The assets a finding's target involves (any_involved_asset, the walk the
// class raise makes), each once, in order of first mention.
std::vector<int> involved_assets(const RuleFinding& finding, const RuleContext& context) {
  if (finding.target_kind == model::TargetKind::element) {
    const std::span<const int> assets = context.involved_assets_of(finding.target);  // each once already
    return {assets.begin(), assets.end()};
  }
  std::vector<int> assets;
  for (int a : context.flow(finding.target).data_indexes) {
    if (std::find(assets.begin(), assets.end(), a) == assets.end()) assets.push_back(a);
  }
  return assets;
}

// Whether an asset the finding's target involves has a high
// confidentiality, integrity or availability that the rule threatens.
// With `reasons`, also why: "asset 'ledger' has integrity high" for each
// such asset, at most three named.
bool high_stakes(const Rule& rule, const RuleFinding& finding, const RuleContext& context, std::string* reasons) {
  const Stakes stakes = stakes_of(rule);
  size_t named = 0, more = 0;
  for (int a : involved_assets(finding, context)) {
    const model::Asset& asset = context.model.assets[static_cast<size_t>(a)];
    const bool high[] = {stakes.confidentiality && asset.confidentiality == model::Level::high,
                         stakes.integrity && asset.integrity == model::Level::high,
                         stakes.availability && asset.availability == model::Level::high};
    if (!high[0] && !high[1] && !high[2]) continue;
    if (reasons == nullptr) return true;
    if (named == 3) {
      ++more;
      continue;
    }
    std::string& out = *reasons;
    out += named++ == 0 ? "asset '" : ", asset '";
    out += asset.id;
    out += "' has ";
    const char* separator = "";
    for (int p = 0; p < 3; ++p) {
      if (!high[p]) continue;
      out += separator;
      out += p == 0 ? "confidentiality" : p == 1 ? "integrity" : "availability";
      separator = " and ";
    }
    out += " high";
  }
  if (more > 0) *reasons += fmt::format(" (and {} more)", more);
  return named > 0;
}

// The classes whose loss is severe for anyone (impact 3), and those that
// matter (impact 2): what is at stake decides a finding's impact.
const std::vector<std::string> kCriticalClasses = {"health", "payment", "credentials", "secret", "key"};
const std::vector<std::string> kPersonalClasses = {"pii", "financial", "authority"};

// What is at stake at the finding's target for this rule, 0 (nothing
// said) to 3, with the reason when `why` is given.
int stakes_level(const Rule& rule, const RuleFinding& finding, const RuleContext& context, std::string* why) {
  if (rule.stakes == RuleStakes::none) return 0;
  int level = 0;
  auto raise = [&](int to, std::string reason) {
    if (to <= level) return;
    level = to;
    if (why != nullptr) *why = std::move(reason);
  };
  if (rule.stakes == RuleStakes::data) {
    // The tokens and sessions an element only passes on, and the keys it
    // fetches to call others, are how callers get in, not what they are
    // after: on an element, credentials, secrets and keys count in full
    // where it holds them (its own assets) or where the rule is about a flow.
    const std::vector<int>* own = finding.target_kind == model::TargetKind::element
                                      ? &context.element(finding.target).asset_indexes
                                      : nullptr;
    for (int a : involved_assets(finding, context)) {
      const model::Asset& asset = context.model.assets[static_cast<size_t>(a)];
      const bool held = own == nullptr || std::find(own->begin(), own->end(), a) != own->end();
      for (const model::Text& c : asset.classes) {
        if ((c.value == "credentials" || c.value == "secret" || c.value == "key") && !held) {
          raise(2, fmt::format("{} pass through it (asset '{}')", c.value == "key" ? "keys" : c.value == "secret" ? "secrets" : "credentials", asset.id));
        } else if (std::find(kCriticalClasses.begin(), kCriticalClasses.end(), c.value) != kCriticalClasses.end()) {
          raise(3, fmt::format("it handles {} data (asset '{}')", c.value, asset.id));
        } else if (std::find(kPersonalClasses.begin(), kPersonalClasses.end(), c.value) != kPersonalClasses.end()) {
          raise(2, fmt::format("it handles {} data (asset '{}')", c.value, asset.id));
        }
      }
    }
    if (finding.target_kind == model::TargetKind::element) {
      model::Privilege p = context.element(finding.target).privilege;
      if (p == model::Privilege::admin || p == model::Privilege::root) {
        raise(3, fmt::format("it runs as {}", model::to_string(p)));
      }
    }
  }
  // The value of the assets at stake: a high confidentiality, integrity or
  // availability in what the rule threatens.
  std::string high;
  if (high_stakes(rule, finding, context, why != nullptr ? &high : nullptr)) raise(3, high);
  return level;
}

// Likelihood from the weakness (the rule's default) and the target's
// exposure; impact from the rule's default and what is at stake (docs/
// rules.md, "Scoring"). With `explain`, the reasons go to finding.raises.
void score(RuleFinding& finding, const Rule& rule, const RuleContext& context, bool explain) {
  const model::Model& m = context.model;
  const int likelihood = scale_default(m.scale, rule.likelihood);
  const int impact = scale_default(m.scale, rule.impact);
  // +1 where an attacker on the internet reaches the target directly, -1
  // where no untrusted input reaches it at all (an insider, or a second flaw
  // first): an internal weakness is rarely the thing to fix tonight. A rule
  // of likelihood 1 already needs a further condition once an attacker can
  // send input (a phished password, a leaked key): exposure does not remove
  // it, so it is not raised.
  int step = 0;
  std::string where;  // what the step is about, for the explanation
  if (finding.target_kind == model::TargetKind::element) {
    const model::Element& e = context.element(finding.target);
    const Exposure exposure = context.element_facts(finding.target).exposure.value;
    if (e.type != model::ElementType::external && exposure == Exposure::internet) {
      step = 1;
      where = e.internet_facing ? fmt::format("{} is internet-facing", e.id)
                                : fmt::format("{} is reached from an untrusted zone", e.id);
    } else if (e.type != model::ElementType::external && exposure == Exposure::internal) {
      step = -1;
      where = fmt::format("no path from an untrusted zone reaches {}", e.id);
    }
  } else {
    const model::Flow& f = context.flow(finding.target);
    if (f.from_index >= 0 && context.untrusted(f.from_index)) {
      step = 1;
      where = fmt::format("{} comes from an untrusted zone", f.id);
    } else if (f.from_index >= 0 && f.to_index >= 0 &&
               context.element_facts(f.from_index).exposure.value == Exposure::internal &&
               context.element_facts(f.to_index).exposure.value == Exposure::internal) {
      step = -1;
      where = fmt::format("no path from an untrusted zone reaches {}", f.id);
    }
  }
  if (step > 0 && rule.likelihood <= 1) {
    if (explain) {
      finding.raises.push_back(fmt::format("likelihood stays {}: {}, but the rule's weakness needs a further condition",
                                           likelihood, where));
    }
    step = 0;
  } else if (step > 0 && likelihood >= m.scale) {
    if (explain) finding.raises.push_back(fmt::format("likelihood +1: {} (already {}, the top of the scale)", where, m.scale));
  } else if (step < 0 && likelihood <= 1) {
    step = 0;  // already the bottom of the scale
  } else if (step != 0 && explain) {
    finding.raises.push_back(fmt::format("likelihood {}: {}", step > 0 ? "+1" : "-1", where));
  }
  std::string why;
  const int level = stakes_level(rule, finding, context, explain ? &why : nullptr);
  // On scale 5 what is at stake maps like a default (2 -> 3, 3 -> 4), and
  // the top of the scale is for a rule whose own default is already the
  // worst meeting critical stakes.
  int stakes_impact = level == 0 ? 0 : scale_default(m.scale, level);
  if (m.scale == 5 && level == 3 && rule.impact == 3) stakes_impact = 5;
  finding.default_likelihood = likelihood;
  finding.default_impact = impact;
  finding.likelihood = std::clamp(likelihood + step, 1, m.scale);
  finding.impact = std::min(m.scale, std::max(impact, stakes_impact));
  if (explain && stakes_impact > impact) {
    finding.raises.push_back(fmt::format("impact {}: what is at stake: {}", finding.impact, why));
  } else if (explain && level > 0 && !why.empty()) {
    finding.raises.push_back(fmt::format("impact stays {}: what is at stake ({}) is no more than the rule's default",
                                         impact, why));
  }
}

// Threats that answer a rule, and dismissals, by rule id.
struct Answers {
  std::map<std::string, std::vector<int>> threats;
  std::map<std::string, std::vector<int>> dismissals;
  explicit Answers(const model::Model& model) {
    for (size_t t = 0; t < model.threats.size(); ++t) {
      if (model.threats[t].rule) threats[model.threats[t].rule->value].push_back(static_cast<int>(t));
    }
    for (size_t d = 0; d < model.dismissed.size(); ++d) dismissals[model.dismissed[d].rule.value].push_back(static_cast<int>(d));
  }
};

const std::vector<model::Text>& target_tags(const model::Model& model, model::TargetKind kind, int index) {
  static const std::vector<model::Text> kNone;
  if (kind == model::TargetKind::element) return model.elements[static_cast<size_t>(index)].tags;
  if (kind == model::TargetKind::flow) return model.flows[static_cast<size_t>(index)].tags;
  return kNone;
}

bool has_any_tag(const std::vector<model::Text>& tags, const std::vector<model::Text>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(), [&](const model::Text& w) {
    return std::any_of(tags.begin(), tags.end(), [&](const model::Text& t) { return t.value == w.value; });
  });
}

bool dismissal_covers(const model::Model& model, const model::Dismissal& dismissal, const RuleFinding& finding) {
  if (dismissal.all) return true;
  // A finding with several places (a rule with one root cause) is covered
  // by a dismissal of any of them.
  std::vector<int> places = finding.places;
  places.insert(places.begin(), finding.target);
  return std::any_of(places.begin(), places.end(), [&](int place) {
    if (dismissal.tag) return has_any_tag(target_tags(model, finding.target_kind, place), {*dismissal.tag});
    const std::string& id = finding.target_kind == model::TargetKind::flow ? model.flows[static_cast<size_t>(place)].id
                                                                           : model.elements[static_cast<size_t>(place)].id;
    return std::any_of(dismissal.targets.begin(), dismissal.targets.end(),
                       [&](const model::Text& target) { return target.value == id; });
  });
}

// The model's `rules:` entry that applies to this rule on this target (the
// last one in file order wins), or nullptr.
const model::RuleSetting* setting_for(const model::Model& model, const std::string& rule, model::TargetKind kind,
                                      int index) {
  const model::RuleSetting* found = nullptr;
  for (const model::RuleSetting& setting : model.rule_settings) {
    if (setting.rule.value != rule) continue;
    if (!setting.for_tags.empty() && !has_any_tag(target_tags(model, kind, index), setting.for_tags)) continue;
    found = &setting;
  }
  return found;
}

// A likelihood or impact the model sets replaces the rule's default and
// its raise: the team has judged this rule for this model.
void apply_setting(RuleFinding& finding, const model::RuleSetting& setting, bool explain) {
  if (setting.likelihood) {
    finding.likelihood = *setting.likelihood;
  }
  if (setting.impact) {
    finding.impact = *setting.impact;
  }
  if (!explain) return;
  if (setting.likelihood) {
    finding.raises.erase(std::remove_if(finding.raises.begin(), finding.raises.end(),
                                        [](const std::string& r) { return r.rfind("likelihood", 0) == 0; }),
                         finding.raises.end());
    finding.raises.push_back(fmt::format("likelihood set to {} by this model's rule setting: {}", *setting.likelihood,
                                         setting.reason));
  }
  if (setting.impact) {
    finding.raises.erase(std::remove_if(finding.raises.begin(), finding.raises.end(),
                                        [](const std::string& r) { return r.rfind("impact", 0) == 0; }),
                         finding.raises.end());
    finding.raises.push_back(
        fmt::format("impact set to {} by this model's rule setting: {}", *setting.impact, setting.reason));
  }
}

void set_status(RuleFinding& finding, const model::Model& model, const Answers& answers) {
  auto at_a_place = [&](int index) {
    return index == finding.target || std::find(finding.places.begin(), finding.places.end(), index) != finding.places.end();
  };
  if (auto it = answers.threats.find(finding.rule); it != answers.threats.end()) {
    for (int t : it->second) {
      for (const model::TargetRef& target : model.threats[static_cast<size_t>(t)].targets) {
        if (target.kind == finding.target_kind && at_a_place(target.index)) {
          finding.status = FindingStatus::addressed;
          finding.addressed_by = t;
          return;
        }
      }
    }
  }
  if (auto it = answers.dismissals.find(finding.rule); it != answers.dismissals.end()) {
    for (int d : it->second) {
      if (dismissal_covers(model, model.dismissed[static_cast<size_t>(d)], finding)) {
        finding.status = FindingStatus::dismissed;
        finding.dismissal = d;
        return;
      }
    }
  }
}

}  // namespace

namespace {

// Out-of-scope elements are drawn for context: no finding lands on them,
// nor on a flow between two of them.
bool out_of_scope(const model::Model& model, bool is_flow, int index) {
  if (!is_flow) return model.elements[static_cast<size_t>(index)].out_of_scope;
  const model::Flow& f = model.flows[static_cast<size_t>(index)];
  return model.elements[static_cast<size_t>(f.from_index)].out_of_scope &&
         model.elements[static_cast<size_t>(f.to_index)].out_of_scope;
}

}  // namespace

namespace {

// Where a rule fires: a few bytes per match.
struct Match {
  uint32_t rule;
  int32_t index;
  const model::RuleSetting* setting;
  int32_t places = -1;  // its other places (one root cause), an index into a list of place lists
};

// The targets of `rule` where it fires, in file order.
void match_rule(const Rule& rule, uint32_t r, const RuleContext& context, RuleMemo& memo, std::vector<Match>& out) {
  if (rule.collector) return;  // it fires where the checklist rules do (collect_checklist)
  const model::Model& model = context.model;
  memo.clear();
  bool on_flows = rule.target == RuleTarget::flow || rule.target == RuleTarget::crossing;
  size_t count = on_flows ? model.flows.size() : model.elements.size();
  for (size_t i = 0; i < count; ++i) {
    int index = static_cast<int>(i);
    if (on_flows) {
      if (rule.target == RuleTarget::crossing && !context.crosses(i)) continue;
      if (model.flows[i].from_index < 0 || model.flows[i].to_index < 0) continue;
    } else if (!target_matches(rule.target, model.elements[i])) {
      continue;
    }
    if (out_of_scope(model, on_flows, index)) continue;
    model::TargetKind kind = on_flows ? model::TargetKind::flow : model::TargetKind::element;
    const model::RuleSetting* setting = setting_for(model, rule.id, kind, index);
    if (setting != nullptr && !setting->enabled) continue;
    if (!evaluate(rule.when, context, memo, index)) continue;
    out.push_back({r, index, setting});
  }
}

// One root cause, one item. A rule with `once` keeps its first match and
// its other targets become places of that one finding. A finding on a
// response keeps to the finding of the same rule on its request: a request
// and its response are one connection, fixed once (an answer to either
// answers both).
void join_places(const Rule& rule, const RuleContext& context, std::vector<Match>& matches,
                 std::vector<std::vector<int>>& place_lists) {
  const model::Model& model = context.model;
  if (rule.once) {
    if (matches.size() < 2) return;
    std::vector<int>& places = place_lists.emplace_back();
    for (size_t m = 1; m < matches.size(); ++m) places.push_back(matches[m].index);
    matches.resize(1);
    matches[0].places = static_cast<int32_t>(place_lists.size() - 1);
    return;
  }
  if (rule.target != RuleTarget::flow && rule.target != RuleTarget::crossing) return;
  // The match on each flow, by flow index.
  std::unordered_map<int, size_t> on_flow;
  for (size_t m = 0; m < matches.size(); ++m) on_flow.emplace(matches[m].index, m);
  // The match each one joins: a response joins its request; the hop a
  // gateway, proxy or load balancer forwards a request on joins the first
  // matched request into it (the same request, one more hop).
  std::vector<int> host(matches.size(), -1);
  bool any = false;
  for (size_t m = 0; m < matches.size(); ++m) {
    const model::Flow& flow = model.flows[static_cast<size_t>(matches[m].index)];
    if (flow.response_to_index >= 0) {
      if (auto it = on_flow.find(flow.response_to_index); it != on_flow.end()) host[m] = static_cast<int>(it->second);
    } else if (flow.from_index >= 0 && context.element_facts(flow.from_index).pass_through) {
      for (int in : context.inbound[static_cast<size_t>(flow.from_index)]) {
        auto it = on_flow.find(in);
        if (it != on_flow.end() && it->second != m && model.flows[static_cast<size_t>(in)].response_to_index < 0) {
          host[m] = static_cast<int>(it->second);
          break;
        }
      }
    }
    any = any || host[m] >= 0;
  }
  if (!any) return;
  // Each joins the end of its chain (a response to a forwarded hop joins the
  // request that came in); a loop of forwarding joins nothing. Each match is
  // walked once: a walk stops at a match whose end is known.
  constexpr int kUnknown = -1, kOnWalk = -2, kLoop = -3;
  std::vector<int> end(matches.size(), kUnknown);
  for (size_t m = 0; m < matches.size(); ++m) {
    if (host[m] < 0) end[m] = static_cast<int>(m);
  }
  std::vector<size_t> walk;
  for (size_t m = 0; m < matches.size(); ++m) {
    size_t at = m;
    while (end[at] == kUnknown) {
      end[at] = kOnWalk;
      walk.push_back(at);
      at = static_cast<size_t>(host[at]);
    }
    const int found = end[at] == kOnWalk ? kLoop : end[at];
    for (size_t w : walk) end[w] = found;
    walk.clear();
  }
  std::vector<bool> joined(matches.size(), false);
  for (size_t m = 0; m < matches.size(); ++m) {
    const int root = end[m];
    if (root < 0 || static_cast<size_t>(root) == m) continue;
    Match& at = matches[static_cast<size_t>(root)];
    if (at.places < 0) {
      at.places = static_cast<int32_t>(place_lists.size());
      place_lists.emplace_back();
    }
    place_lists[static_cast<size_t>(at.places)].push_back(matches[m].index);
    joined[m] = true;
  }
  size_t kept = 0;
  for (size_t m = 0; m < matches.size(); ++m) {
    if (!joined[m]) matches[kept++] = matches[m];
  }
  matches.resize(kept);
}

// Fills in the finding of one match.
void build_finding(RuleFinding& finding, const Match& match, const std::vector<std::vector<int>>& place_lists,
                   const Rule& rule, const RuleContext& context, const Answers& answers, bool explain) {
  const model::Model& model = context.model;
  const bool on_flows = rule.target == RuleTarget::flow || rule.target == RuleTarget::crossing;
  const int index = match.index;
  const size_t i = static_cast<size_t>(index);
  finding.target_kind = on_flows ? model::TargetKind::flow : model::TargetKind::element;
  finding.target = index;
  finding.target_id = on_flows ? model.flows[i].id : model.elements[i].id;
  finding.why = fill(rule.message, context, on_flows, index);
  finding.why_own = finding.why.size();
  finding.stride = rule.stride;
  finding.privacy = rule.privacy;
  finding.location = on_flows ? model.flows[i].location : model.elements[i].location;
  if (match.places >= 0) {
    finding.places = place_lists[static_cast<size_t>(match.places)];
    std::string others;
    for (int place : finding.places) {
      others += others.empty() ? "" : ", ";
      const size_t at = static_cast<size_t>(place);
      if (!on_flows) {
        others += model.elements[at].id;
      } else if (rule.once) {
        others += model.flows[at].id;
      } else if (model.flows[at].response_to_index >= 0) {
        others += fmt::format("its response {}", model.flows[at].id);
      } else {
        others += fmt::format("{}, the hop {} forwards it on", model.flows[at].id,
                              model.elements[static_cast<size_t>(model.flows[at].from_index)].id);
      }
    }
    finding.why += rule.once ? fmt::format(" (one root cause: the same holds for {})", others)
                             : fmt::format(" (the same request: the same holds for {})", others);
  }
  score(finding, rule, context, explain);
  if (explain) {
    for (const FactLine& line : facts_behind(model, context.facts, rule, finding)) {
      finding.facts.push_back(fmt::format("{} {} ({}{}{})", line.name, line.value, to_string(line.source),
                                          line.evidence.empty() ? "" : ": ", line.evidence));
    }
  }
  if (match.setting != nullptr) apply_setting(finding, *match.setting, explain);
  set_status(finding, model, answers);
}

// `place` becomes one of the item's places, unless it is its target or one
// already.
void add_place(RuleFinding& item, int place) {
  if (place != item.target && std::find(item.places.begin(), item.places.end(), place) == item.places.end()) {
    item.places.push_back(place);
  }
}

// An item takes in one of its parts: the part's classes and facts, and its
// score when the part is graver (the score of the gravest part, not the
// worst likelihood of one and the worst impact of another).
void absorb(RuleFinding& item, const RuleFinding& part, bool explain) {
  item.stride |= part.stride;
  item.privacy |= part.privacy;
  if (part.risk() > item.risk()) {
    item.likelihood = part.likelihood;
    item.impact = part.impact;
    item.default_likelihood = part.default_likelihood;
    item.default_impact = part.default_impact;
    item.raises = part.raises;
  }
  if (explain) item.facts.insert(item.facts.end(), part.facts.begin(), part.facts.end());
}

// The hygiene reminders (`checklist: true`) that are open become places of
// one item, the finding of the rule that `collects: checklist`: one line for
// "these baseline controls are not stated", not one finding each. A part
// that is dismissed or answered by a threat stays a finding of its own with
// that status; a setting that switches the collector off drops the open
// parts, and its likelihood or impact applies to the item.
void collect_checklist(std::vector<RuleFinding>& findings, const std::vector<Match>& matches, const RuleLibrary& rules,
                       const RuleContext& context, const Answers& answers, bool explain) {
  const Rule* group = nullptr;
  for (size_t r = 0; r < rules.size() && group == nullptr; ++r) {
    if (rules.rule(r).collector) group = &rules.rule(r);
  }
  if (group == nullptr) return;
  std::vector<size_t> parts;
  for (size_t i = 0; i < findings.size(); ++i) {
    if (rules.rule(matches[i].rule).checklist && findings[i].status == FindingStatus::open) parts.push_back(i);
  }
  if (parts.empty()) return;
  const model::Model& model = context.model;
  const RuleFinding& first = findings[parts.front()];
  const model::RuleSetting* setting = setting_for(model, group->id, model::TargetKind::element, first.target);
  const bool keep = setting == nullptr || setting->enabled;
  RuleFinding item(group->id, group->title, group->mitigation, group->rationale, group->references);
  if (keep) {
    item.target_kind = model::TargetKind::element;
    item.target = first.target;
    item.target_id = first.target_id;
    item.location = first.location;
    item.likelihood = item.impact = item.default_likelihood = item.default_impact = 1;
    // What is missing, rule by rule in library order, with where.
    struct Missing {
      const RuleFinding* part;
      std::vector<std::string> where;
    };
    std::vector<Missing> missing;
    for (size_t i : parts) {
      const RuleFinding& part = findings[i];
      absorb(item, part, explain);
      if (missing.empty() || &missing.back().part->title != &part.title) missing.push_back({&part, {}});
      std::vector<int> at = {part.target};
      at.insert(at.end(), part.places.begin(), part.places.end());
      for (int place : at) {
        item.parts.push_back({part.rule, model::TargetKind::element, place});
        missing.back().where.push_back(model.elements[static_cast<size_t>(place)].id);
        add_place(item, place);
      }
    }
    std::string list;
    for (const Missing& m : missing) {
      // The reminder, where, and what to do: the item's own mitigation is
      // only how to answer it.
      std::string_view fix = m.part->mitigation;
      if (!fix.empty() && fix.back() == '.') fix.remove_suffix(1);
      list += fmt::format("{}{} ({}): {}", list.empty() ? "" : "; ", m.part->title, fmt::join(m.where, ", "), fix);
    }
    item.why = fmt::format("{} baseline reminder{} the model does not answer: {}", item.parts.size(),
                           item.parts.size() == 1 ? "" : "s", list);
    if (setting != nullptr) apply_setting(item, *setting, explain);
    set_status(item, model, answers);
  }
  // The item takes the place of its first part; the other parts go.
  std::vector<bool> drop(findings.size(), false);
  for (size_t i : parts) drop[i] = true;
  std::vector<RuleFinding> kept;
  kept.reserve(findings.size() - parts.size() + 1);
  for (size_t i = 0; i < findings.size(); ++i) {
    if (i == parts.front() && keep) kept.push_back(std::move(item));
    if (!drop[i]) kept.push_back(std::move(findings[i]));
  }
  findings = std::move(kept);
}

// A rule that `folds` others names the root cause their findings share:
// where it fires and is open, the open findings of those rules on the same
// target (and, for a rule on elements, on the flows into it) become parts
// of its item. The item names each part's finding in its text and scores
// like its gravest part. A finding answered on its own (a threat, a
// dismissal) stays on its own, and so does every part of an item that is
// answered: its parts are still to be judged. A part's own places become
// the item's places when they are of the same kind; a part with places of
// another kind is left alone, so that no place is lost.
void fold_findings(std::vector<RuleFinding>& findings, const RuleLibrary& rules, const RuleContext& context,
                   bool explain) {
  std::unordered_map<std::string_view, const Rule*> leads;
  std::set<std::string_view> folded;
  for (size_t r = 0; r < rules.size(); ++r) {
    const Rule& rule = rules.rule(r);
    if (rule.folds.empty()) continue;
    leads.emplace(rule.id, &rule);
    folded.insert(rule.folds.begin(), rule.folds.end());
  }
  if (leads.empty()) return;
  // The open findings that may be parts, by where they are.
  std::map<std::pair<model::TargetKind, int>, std::vector<size_t>> parts_at;
  for (size_t i = 0; i < findings.size(); ++i) {
    const RuleFinding& f = findings[i];
    if (f.status == FindingStatus::open && folded.contains(f.rule)) {
      parts_at[{f.target_kind, f.target}].push_back(i);
    }
  }
  if (parts_at.empty()) return;
  std::vector<bool> taken(findings.size(), false);
  for (size_t l = 0; l < findings.size(); ++l) {
    RuleFinding& lead = findings[l];
    auto rule = leads.find(lead.rule);
    if (rule == leads.end() || lead.status != FindingStatus::open || taken[l]) continue;
    std::vector<std::pair<model::TargetKind, int>> where = {{lead.target_kind, lead.target}};
    if (lead.target_kind == model::TargetKind::element) {
      for (int flow : context.inbound[lead.target]) where.emplace_back(model::TargetKind::flow, flow);
    }
    std::string also;
    for (const auto& at : where) {
      auto candidates = parts_at.find(at);
      if (candidates == parts_at.end()) continue;
      for (size_t p : candidates->second) {
        const RuleFinding& part = findings[p];
        const std::vector<std::string>& wanted = rule->second->folds;
        if (p == l || taken[p] || std::find(wanted.begin(), wanted.end(), part.rule) == wanted.end()) continue;
        if (!part.places.empty() && part.target_kind != lead.target_kind) continue;
        taken[p] = true;
        for (int place : part.places) add_place(lead, place);
        lead.parts.push_back({part.rule, part.target_kind, part.target});
        absorb(lead, part, explain);
        also += fmt::format("{}{} ({})", also.empty() ? "" : "; ", part.why, part.rule);
      }
    }
    if (!also.empty()) lead.why += fmt::format(". The same root cause: {}", also);
  }
  if (std::find(taken.begin(), taken.end(), true) == taken.end()) return;
  std::vector<RuleFinding> kept;
  kept.reserve(findings.size());
  for (size_t i = 0; i < findings.size(); ++i) {
    if (!taken[i]) kept.push_back(std::move(findings[i]));
  }
  findings = std::move(kept);
}

// Below this many (rule, target) pairs the rules run on the calling thread
// alone: a thread costs more than it saves on a small model.
constexpr size_t kParallelWork = 200'000;

// The cores this process may run on (taskset and cpusets count), 1 to 8.
unsigned usable_cores() {
  cpu_set_t cores;
  unsigned count = sched_getaffinity(0, sizeof cores, &cores) == 0 ? static_cast<unsigned>(CPU_COUNT(&cores))
                                                                   : std::thread::hardware_concurrency();
  return std::clamp(count, 1u, 8u);
}

// Runs work() on `workers` threads (the calling thread one of them) and
// waits for all of them. An exception in any is rethrown here, the calling
// thread's first.
template <typename Work>
void run_workers(unsigned workers, Work work) {
  std::vector<std::exception_ptr> errors(workers);
  auto guarded = [&](unsigned worker) {
    try {
      work();
    } catch (...) {
      errors[worker] = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> threads;
    threads.reserve(workers - 1);
    for (unsigned w = 1; w < workers; ++w) threads.emplace_back(guarded, w);
    guarded(0);
  }  // joins
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace

std::vector<RuleFinding> run_rules(const model::Model& model, const std::vector<BoundaryCrossing>& crossings,
                                   const RuleLibrary& rules, const RuleRunOptions& options) {
  const unsigned threads = options.threads;
  RuleContext context(model, crossings, options.facts);
  Answers answers(model);
  const size_t targets = model.elements.size() + model.flows.size();
  unsigned workers = threads;
  if (workers == 0) {
    workers = rules.size() * targets < kParallelWork ? 1u : usable_cores();
  }
  // First where each rule fires, then the findings themselves, built once
  // in a vector of the exact size: a growing vector of findings would hold
  // two copies of itself while it moves (the peak of a large check). Both
  // steps share out their work between the threads; the result does not
  // depend on how: the matches are kept per rule and joined in rule order,
  // and each finding depends on its match alone.
  std::vector<std::vector<Match>> matches_of(rules.size());
  std::atomic<size_t> next_rule{0};
  const size_t size = std::max(model.elements.size(), model.flows.size());
  run_workers(workers, [&] {
    RuleMemo memo(size);
    for (size_t r = next_rule++; r < rules.size(); r = next_rule++) {
      match_rule(rules.rule(r), static_cast<uint32_t>(r), context, memo, matches_of[r]);
    }
  });
  std::vector<std::vector<int>> place_lists;
  for (size_t r = 0; r < rules.size(); ++r) join_places(rules.rule(r), context, matches_of[r], place_lists);
  std::vector<Match> matches;
  size_t total = 0;
  for (const auto& list : matches_of) total += list.size();
  matches.reserve(total);
  for (auto& list : matches_of) {
    matches.insert(matches.end(), list.begin(), list.end());
    std::vector<Match>().swap(list);
  }
  std::vector<RuleFinding> findings;
  findings.reserve(matches.size());
  for (const Match& match : matches) {
    const Rule& rule = rules.rule(match.rule);
    findings.emplace_back(rule.id, rule.title, rule.mitigation, rule.rationale, rule.references);
  }
  constexpr size_t kChunk = 256;
  std::atomic<size_t> next_chunk{0};
  run_workers(threads == 0 && matches.size() < kChunk * 4 ? 1u : workers, [&] {
    for (size_t start = next_chunk++ * kChunk; start < matches.size(); start = next_chunk++ * kChunk) {
      for (size_t m = start; m < std::min(start + kChunk, matches.size()); ++m) {
        build_finding(findings[m], matches[m], place_lists, rules.rule(matches[m].rule), context, answers,
                      options.raises);
      }
    }
  });
  collect_checklist(findings, matches, rules, context, answers, options.raises);
  fold_findings(findings, rules, context, options.raises);
  return findings;
}

}  // namespace tmc::analyze
