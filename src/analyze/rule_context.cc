#include "analyze/rule_context.h"

#include <algorithm>
#include <cctype>

#include "analyze/words.h"
#include "analyze/zones.h"

namespace tmc::analyze {

const std::vector<std::string> kSensitiveClasses = {"pii", "payment", "health", "credentials", "secret"};

bool any_text_in(const std::vector<model::Text>& list, const std::vector<std::string>& words) {
  return std::any_of(list.begin(), list.end(), [&](const model::Text& item) {
    return std::find(words.begin(), words.end(), item.value) != words.end();
  });
}

bool asset_has_class(const model::Model& model, int asset, const std::vector<std::string>& classes) {
  return any_text_in(model.assets[static_cast<size_t>(asset)].classes, classes);
}

const std::optional<model::Text>& declared(const model::Flow& flow, Predicate kind) {
  switch (kind) {
    case Predicate::authentication:
    case Predicate::authentication_mentions: return flow.authentication;
    case Predicate::authorization:
    case Predicate::authorization_mentions: return flow.authorization;
    default: return flow.validation;
  }
}

namespace {

// "none", "missing" or "declared" for a flow's authentication etc.
const char* declaration(const std::optional<model::Text>& value) {
  if (!value) return "missing";
  return says_none(value) ? "none" : "declared";
}

}  // namespace

RuleContext::RuleContext(const model::Model& m, const std::vector<BoundaryCrossing>& all_crossings,
                         const ModelFacts* given)
    : model(m),
      crossings(all_crossings),
      own_facts(given != nullptr ? ModelFacts() : compute_facts(m)),
      facts(given != nullptr ? *given : static_cast<const ModelFacts&>(own_facts)),
      inbound(m.elements.size(), m.flows.size(), [&](size_t f) { return m.flows[f].to_index; }),
      outbound(m.elements.size(), m.flows.size(), [&](size_t f) { return m.flows[f].from_index; }),
      trust(m.elements.size()),
      crossing_of(m.flows.size(), -1),
      protocol_lower(m.flows.size()) {
  for (size_t f = 0; f < m.flows.size(); ++f) protocol_lower[f] = lower(m.flows[f].protocol);
  // The trust of an element depends on its zone alone: judged once per zone.
  std::vector<int> judged(m.boundaries.size() + 1, -1);  // zone (boundary + 1) -> an element judged in it
  for (size_t e = 0; e < m.elements.size(); ++e) {
    int& first = judged[static_cast<size_t>(m.elements[e].boundary_index + 1)];
    if (first >= 0) {
      trust[e] = trust[static_cast<size_t>(first)];
      continue;
    }
    first = static_cast<int>(e);
    trust[e] = zone_trust(m, static_cast<int>(e));
  }
  for (size_t c = 0; c < crossings.size(); ++c) crossing_of[static_cast<size_t>(crossings[c].flow)] = static_cast<int>(c);
  declarations.resize(m.flows.size());
  for (size_t f = 0; f < m.flows.size(); ++f) {
    const model::Flow& flow = m.flows[f];
    declarations[f] = {declaration(flow.authentication), declaration(flow.authorization), declaration(flow.validation)};
  }
  involved_starts.assign(m.elements.size() + 1, 0);
  std::vector<size_t> seen(m.assets.size(), SIZE_MAX);  // asset -> the element that listed it last
  for (size_t e = 0; e < m.elements.size(); ++e) {
    auto add = [&](const std::vector<int>& assets) {
      for (int a : assets) {
        if (seen[static_cast<size_t>(a)] == e) continue;
        seen[static_cast<size_t>(a)] = e;
        involved.push_back(a);
      }
    };
    add(m.elements[e].asset_indexes);
    for (int f : inbound[e]) add(m.flows[static_cast<size_t>(f)].data_indexes);
    for (int f : outbound[e]) add(m.flows[static_cast<size_t>(f)].data_indexes);
    involved_starts[e + 1] = static_cast<uint32_t>(involved.size());
  }
}

std::string RuleContext::crossed_names(size_t flow) const {
  std::string names;
  if (crossing_of[flow] < 0) return names;
  const BoundaryCrossing& crossing = crossings[static_cast<size_t>(crossing_of[flow])];
  for (int b : crossing.exited) names += (names.empty() ? "leaves " : ", leaves ") + model.boundaries[static_cast<size_t>(b)].id;
  for (int b : crossing.entered) names += (names.empty() ? "enters " : ", enters ") + model.boundaries[static_cast<size_t>(b)].id;
  return names;
}

const char* RuleContext::declaration_of(int flow, Predicate kind) const {
  const auto& of = declarations[static_cast<size_t>(flow)];
  switch (kind) {
    case Predicate::authentication:
    case Predicate::authentication_mentions: return of[0];
    case Predicate::authorization:
    case Predicate::authorization_mentions: return of[1];
    default: return of[2];
  }
}

bool handles(const RuleContext& context, model::TargetKind kind, int target, const std::vector<std::string>& classes) {
  return any_involved_asset(context, kind, target, [&](int asset) { return asset_has_class(context.model, asset, classes); });
}


std::string input_path(const RuleContext& context, int element) {
  const ModelFacts& facts = context.facts;
  if (!facts.input_reached[static_cast<size_t>(element)]) {
    return facts.content_reached[static_cast<size_t>(element)] ? "content that untrusted input wrote into a store it reads"
                                                               : "";
  }
  // Back from the element, hop by hop: the way the data goes on. Into an
  // element that several inputs reach (a queue fed by the sign-in and by
  // the upload parser), the flow in that carries the most of what the hop
  // out of it carries; else the first way the input found.
  std::vector<std::string> names;
  std::vector<bool> seen(context.model.elements.size(), false);
  int at = element;
  int next = -1;  // the hop out of `at` on the path
  for (size_t guard = 0; guard <= context.model.elements.size(); ++guard) {
    names.push_back(context.element(at).name);
    seen[static_cast<size_t>(at)] = true;
    // The input starts at an external or in an untrusted zone.
    if (at != element && (context.element(at).type == model::ElementType::external || context.untrusted(at))) break;
    int f = facts.input_from[static_cast<size_t>(at)];
    if (f >= 0 && seen[static_cast<size_t>(context.flow(f).from_index)]) f = -1;
    if (next >= 0) {
      const std::vector<int>& carried = context.flow(next).data_indexes;
      size_t best = 0;
      for (int in : context.inbound[static_cast<size_t>(at)]) {
        const int from = context.flow(in).from_index;
        if (from < 0 || seen[static_cast<size_t>(from)] || !facts.input_reached[static_cast<size_t>(from)]) continue;
        const size_t shared = data_in_common(context.flow(in), carried);
        if (shared > best) {
          best = shared;
          f = in;
        }
      }
    }
    if (f < 0) break;
    next = f;
    at = context.flow(f).from_index;
  }
  const model::Element& start = context.element(at);
  if (start.type != model::ElementType::external && !context.untrusted(at)) names.push_back("the internet");
  std::string out;
  for (auto it = names.rbegin(); it != names.rend(); ++it) out += (out.empty() ? "" : " -> ") + *it;
  return out;
}

}  // namespace tmc::analyze
