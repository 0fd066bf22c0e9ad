// The predicates of the rule language (docs/rules.md): evaluate() of a
// condition tree on an element or a flow, over the facts of RuleContext.
#include <algorithm>
#include <cctype>

#include "analyze/rule_context.h"
#include "analyze/words.h"
#include "analyze/zones.h"

namespace tmc::analyze {

namespace {

// Where a flow fact named in `said: [...]` comes from.
FactSource said_source(const FlowFacts& facts, std::string_view name) {
  switch (said_fact(name)) {
    case Predicate::authn: return facts.authentication.source;
    case Predicate::authz: return facts.authorization.source;
    case Predicate::second_factor: return facts.second_factor.source;
    case Predicate::shared_credential: return facts.shared_credential.source;
    case Predicate::identity: return facts.identity.source;
    case Predicate::caller: return facts.caller.source;
    case Predicate::sign_in: return facts.sign_in.source;
    case Predicate::public_access: return facts.public_access.source;
    case Predicate::parameterized: return facts.parameterized.source;
    case Predicate::jwt: return facts.jwt.source;
    default: return FactSource::unknown;
  }
}

bool in_words(const Condition& c, std::string_view value) {
  return std::find(c.words.begin(), c.words.end(), value) != c.words.end();
}

bool kind_in(const RuleContext& context, int element, const std::vector<std::string>& kinds) {
  std::string_view kind = context.element_facts(element).kind.value;
  return !kind.empty() && std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

bool is_client(const RuleContext& context, int element) {
  static const std::vector<std::string> kClientKinds = {"browser", "mobile-app", "desktop-app", "person"};
  return kind_in(context, element, kClientKinds);
}

bool lists_control(const model::Element& e, const std::vector<std::string>& controls) { return any_text_in(e.controls, controls); }

bool from_untrusted(const RuleContext& context, int element) {
  const std::span<const int> in = context.inbound[static_cast<size_t>(element)];
  return std::any_of(in.begin(), in.end(), [&](int f) { return context.untrusted(context.flow(f).from_index); });
}

// evaluate() of a condition under a subject switch, memoized (see RuleMemo).
bool evaluate_memo(const Condition& c, const RuleContext& context, RuleMemo& memo, int index) {
  uint8_t& cached = memo.results(c)[index];
  if (cached != 0) return cached == 2;
  bool result = evaluate(c, context, memo, index);
  cached = result ? 2 : 1;
  return result;
}

bool evaluate_element(const Condition& c, const RuleContext& context, RuleMemo& memo, int index) {
  using P = Predicate;
  const model::Element& e = context.element(index);
  const ElementFacts& facts = context.element_facts(index);
  const ModelFacts& all = context.facts;
  const size_t i = static_cast<size_t>(index);
  switch (c.kind) {
    case P::type: return in_words(c, model::to_string(e.type));
    case P::store: return e.type == model::ElementType::store && in_words(c, model::to_string(e.store));
    case P::privilege: return in_words(c, model::to_string(e.privilege));
    case P::internet_facing: return e.internet_facing == c.flag;
    case P::multi_tenant: return e.multi_tenant == c.flag;
    case P::tag: return any_text_in(e.tags, c.words);
    case P::has: return any_text_in(e.controls, c.words);
    case P::lacks: return !any_text_in(e.controls, c.words);
    case P::asset_class: return handles(context, model::TargetKind::element, index, c.words);
    case P::holds_class:
      return std::any_of(e.asset_indexes.begin(), e.asset_indexes.end(),
                         [&](int a) { return asset_has_class(context.model, a, c.words); });
    case P::untrusted_zone: return facts.untrusted == c.flag;
    case P::reached_from_untrusted: return from_untrusted(context, index) == c.flag;
    case P::inbound:
    case P::outbound: {
      const std::span<const int> flows = (c.kind == P::inbound ? context.inbound : context.outbound)[i];
      return std::any_of(flows.begin(), flows.end(), [&](int f) { return evaluate_memo(c.children[0], context, memo, f); });
    }
    case P::uses_store:
      for (const std::span<const int> flows : {context.inbound[i], context.outbound[i]}) {
        for (int f : flows) {
          const model::Flow& flow = context.flow(f);
          int other = flow.from_index == index ? flow.to_index : flow.from_index;
          if (other >= 0 && context.element(other).type == model::ElementType::store &&
              evaluate_memo(c.children[0], context, memo, other)) {
            return true;
          }
        }
      }
      return false;
    case P::kind: return kind_in(context, index, c.words);
    case P::accepts: return any_text_in(e.accepts, c.words);
    case P::client: return is_client(context, index) == c.flag;
    case P::pass_through: return facts.pass_through == c.flag;
    case P::entry_point: {
      bool entry = !facts.pass_through && e.internet_facing;
      for (int proxy : all.fronts[i]) {
        entry = entry || context.element(proxy).internet_facing || from_untrusted(context, proxy);
      }
      return entry == c.flag;
    }
    case P::edge_inbound: {
      auto matches = [&](std::span<const int> flows) {
        return std::any_of(flows.begin(), flows.end(), [&](int f) { return evaluate(c.children[0], context, memo, f); });
      };
      return matches(context.inbound[i]) || std::any_of(all.fronts[i].begin(), all.fronts[i].end(), [&](int proxy) {
               return matches(context.inbound[static_cast<size_t>(proxy)]);
             });
    }
    case P::edge_lacks:
      return !lists_control(e, c.words) && std::none_of(all.fronts[i].begin(), all.fronts[i].end(), [&](int proxy) {
        return lists_control(context.element(proxy), c.words);
      });
    case P::untrusted_input: return all.input_reached[i] == c.flag;
    case P::untrusted_content: return (all.input_reached[i] || all.content_reached[i]) == c.flag;
    case P::exists_kind:
      for (size_t other = 0; other < context.model.elements.size(); ++other) {
        if (kind_in(context, static_cast<int>(other), c.words)) return true;
      }
      return false;
    case P::log: return facts.log.value != LogPurpose::none && in_words(c, to_string(facts.log.value));
    case P::managed: return facts.managed.value == c.flag;
    case P::admin: return facts.admin.value == c.flag;
    case P::backup: return facts.backup.value == c.flag;
    case P::derived: return facts.derived.value == c.flag;
    case P::holds_secret: return facts.holds_secret == c.flag;
    case P::holds_password: return facts.holds_password == c.flag;
    case P::exposure: return in_words(c, to_string(facts.exposure.value));
    case P::zone_exposed: return facts.zone_exposed == c.flag;
    case P::high_value:
      return std::any_of(e.asset_indexes.begin(), e.asset_indexes.end(), [&](int a) {
        const model::Asset& asset = context.model.assets[static_cast<size_t>(a)];
        return (in_words(c, "confidentiality") && asset.confidentiality == model::Level::high) ||
               (in_words(c, "integrity") && asset.integrity == model::Level::high) ||
               (in_words(c, "availability") && asset.availability == model::Level::high);
      });
    default: return false;
  }
}

bool evaluate_flow(const Condition& c, const RuleContext& context, RuleMemo& memo, int index) {
  using P = Predicate;
  const model::Flow& f = context.flow(index);
  const FlowFacts& facts = context.flow_facts(index);
  const model::Element* receiver = f.to_index >= 0 ? &context.element(f.to_index) : nullptr;
  switch (c.kind) {
    case P::protocol: {
      const std::string& protocol = context.protocol_lower[static_cast<size_t>(index)];
      return std::any_of(c.words.begin(), c.words.end(), [&](const std::string& w) { return has_word(protocol, w); });
    }
    case P::encrypted: {
      const int crossing = context.crossing_of[static_cast<size_t>(index)];
      bool encrypted = crossing >= 0 ? context.crossings[static_cast<size_t>(crossing)].encrypted : flow_is_encrypted(f);
      return encrypted == c.flag;
    }
    case P::local: return (facts.locality.value != Locality::network) == c.flag;
    case P::crosses: return context.crosses(static_cast<size_t>(index)) == c.flag;
    case P::authentication:
    case P::authorization:
    case P::validation: return in_words(c, context.declaration_of(index, c.kind));
    case P::authentication_mentions:
    case P::authorization_mentions:
    case P::validation_mentions: {
      const auto& value = declared(f, c.kind);
      if (!value || std::string_view(context.declaration_of(index, c.kind)) != "declared") return false;
      // The words are lower case: the text is lowered once, then each word
      // is a plain search (a list holds at most 256 words, rule_compile.cc).
      const std::string text = lower(value->value);
      return std::any_of(c.words.begin(), c.words.end(),
                         [&](const std::string& w) { return text.find(w) != std::string::npos; });
    }
    case P::flow_tag: return any_text_in(f.tags, c.words);
    case P::flow_has:
    case P::flow_lacks: {
      bool has = any_text_in(f.controls, c.words) || (receiver != nullptr && any_text_in(receiver->controls, c.words));
      return c.kind == P::flow_has ? has : !has;
    }
    case P::data_class:
      return std::any_of(f.data_indexes.begin(), f.data_indexes.end(),
                         [&](int a) { return asset_has_class(context.model, a, c.words); });
    case P::secret_in_url: {
      static const std::vector<std::string> kSecretClasses = {"credentials", "secret", "key"};
      bool secret = std::any_of(f.in_url_indexes.begin(), f.in_url_indexes.end(), [&](int a) {
        const model::Asset& asset = context.model.assets[static_cast<size_t>(a)];
        std::string names = lower(asset.id + " " + asset.name);
        return asset_has_class(context.model, a, kSecretClasses) || names.find("token") != std::string::npos ||
               names.find("password") != std::string::npos || names.find("secret") != std::string::npos ||
               names.find("api key") != std::string::npos || names.find("api_key") != std::string::npos;
      });
      return secret == c.flag;
    }
    case P::from_less_trusted: {
      if (f.from_index < 0 || f.to_index < 0) return false;
      bool less = context.untrusted(f.from_index) && !context.untrusted(f.to_index);
      const auto& from_trust = context.trust[static_cast<size_t>(f.from_index)];
      const auto& to_trust = context.trust[static_cast<size_t>(f.to_index)];
      if (from_trust && to_trust) less = less || *from_trust < *to_trust;
      return less == c.flag;
    }
    case P::from: return f.from_index >= 0 && evaluate_memo(c.children[0], context, memo, f.from_index);
    case P::to: return f.to_index >= 0 && evaluate_memo(c.children[0], context, memo, f.to_index);
    case P::response: return (f.response_to_index >= 0) == c.flag;
    case P::requester:
    case P::responder: {
      int asker = facts.requester;
      if (asker < 0) return false;
      int other = asker == f.from_index ? f.to_index : f.from_index;
      return evaluate(c.children[0], context, memo, c.kind == P::requester ? asker : other);
    }
    case P::authn: return in_words(c, to_string(facts.authentication.value));
    case P::authz: return in_words(c, to_string(facts.authorization.value));
    case P::second_factor: return facts.second_factor.value == c.flag;
    case P::said: return std::all_of(c.words.begin(), c.words.end(), [&](const std::string& name) {
        return said_source(facts, name) != FactSource::unknown;
      });
    case P::shared_credential: return facts.shared_credential.value == c.flag;
    case P::identity: return in_words(c, to_string(facts.identity.value));
    case P::locality: return in_words(c, to_string(facts.locality.value));
    case P::caller: return facts.caller.value != Caller::none && in_words(c, to_string(facts.caller.value));
    case P::sign_in: return facts.sign_in.value == c.flag;
    case P::public_access: return facts.public_access.value == c.flag;
    case P::reviewed: return facts.reviewed.value == c.flag;
    case P::parameterized: return facts.parameterized.value == c.flag;
    case P::jwt: return facts.jwt.value == c.flag;
    case P::carries_data: return !f.data_indexes.empty() == c.flag;
    case P::authority_value: return facts.authority_value.value == c.flag;
    case P::llm_use: return facts.llm_use.value != LlmUse::none && in_words(c, to_string(facts.llm_use.value));
    default: return false;
  }
}

}  // namespace

bool evaluate(const Condition& condition, const RuleContext& context, RuleMemo& memo, int index) {
  switch (condition.op) {
    case Condition::Op::all:
    case Condition::Op::any: {
      // all: true until a child is false; any: false until a child is true.
      const bool stop_on = condition.op == Condition::Op::any;
      for (const Condition& child : condition.children) {
        if (evaluate(child, context, memo, index) == stop_on) return stop_on;
      }
      return !stop_on;
    }
    case Condition::Op::negate:
      return !evaluate(condition.children[0], context, memo, index);
    case Condition::Op::predicate:
      return condition.subject == Condition::Subject::element ? evaluate_element(condition, context, memo, index)
                                                              : evaluate_flow(condition, context, memo, index);
  }
  return false;
}

}  // namespace tmc::analyze
