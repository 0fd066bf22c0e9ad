// The rule engine: the library of compiled rules, the facts the
// predicates read, and the findings.
#include "analyze/rules.h"

#include <fmt/format.h>

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

#include "analyze/rule_language.h"
#include "analyze/rule_pack.h"
#include "analyze/scoring.h"
#include "analyze/zones.h"
#include "base/suggest.h"
#include "embedded_rules_index.h"

namespace tmc::analyze {

namespace {
std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The classes that make data sensitive: a finding on a target that
// handles them has its impact raised.
const std::vector<std::string> kSensitiveClasses = {"pii", "payment", "health", "credentials", "secret"};

// Names (controls, tags, classes) are compared as written: they are
// kebab-case identifiers, and the rule compiler lower-cases rule words.
bool any_text_in(const std::vector<model::Text>& list, const std::vector<std::string>& words) {
  return std::any_of(list.begin(), list.end(), [&](const model::Text& item) {
    return std::find(words.begin(), words.end(), item.value) != words.end();
  });
}

}  // namespace

// The flows at each element (those ending there, or those starting
// there), every element's list in one array.
class FlowLists {
 public:
  // REQUIRES: `element_of(f)` is an element index or -1 for every flow f.
  template <typename ElementOf>
  FlowLists(size_t elements, size_t flows, ElementOf element_of) : starts_(elements + 1, 0) {
    for (size_t f = 0; f < flows; ++f) {
      if (int e = element_of(f); e >= 0) ++starts_[static_cast<size_t>(e) + 1];
    }
    for (size_t e = 0; e < elements; ++e) starts_[e + 1] += starts_[e];
    flows_.resize(starts_[elements]);
    std::vector<uint32_t> next(starts_.begin(), starts_.end() - 1);
    for (size_t f = 0; f < flows; ++f) {
      if (int e = element_of(f); e >= 0) flows_[next[static_cast<size_t>(e)]++] = static_cast<int>(f);
    }
  }
  std::span<const int> operator[](size_t element) const {
    return {flows_.data() + starts_[element], flows_.data() + starts_[element + 1]};
  }

 private:
  std::vector<uint32_t> starts_;  // element e's flows are flows_[starts_[e], starts_[e + 1])
  std::vector<int> flows_;        // in file order within each element
};

// Facts about the model that predicates read, computed once per run.
struct RuleContext {
  const model::Model& model;
  const std::vector<BoundaryCrossing>& crossings;
  FlowLists inbound;                       // element -> flows ending there
  FlowLists outbound;                      // element -> flows starting there
  std::vector<bool> untrusted;             // element in the outside/internet zone
  std::vector<std::optional<int>> trust;   // element -> zone_trust()
  std::vector<int> crossing_of;            // flow -> index into crossings, or -1
  std::vector<std::string> protocol_lower; // flow -> its protocol, lower case
  std::vector<bool> sensitive_asset;       // asset has a class of kSensitiveClasses
  // flow -> declaration() of its authentication, authorization, validation
  std::vector<std::array<const char*, 3>> declarations;
  // element -> the assets it involves: its own, then the data of its
  // inbound and outbound flows, each once, in order of first mention (one
  // array for all elements; element e's are involved[involved_starts[e],
  // involved_starts[e + 1])).
  std::vector<uint32_t> involved_starts;
  std::vector<int> involved;

  explicit RuleContext(const model::Model& m, const std::vector<BoundaryCrossing>& all_crossings)
      : model(m),
        crossings(all_crossings),
        inbound(m.elements.size(), m.flows.size(), [&](size_t f) { return m.flows[f].to_index; }),
        outbound(m.elements.size(), m.flows.size(), [&](size_t f) { return m.flows[f].from_index; }),
        untrusted(m.elements.size()),
        trust(m.elements.size()),
        crossing_of(m.flows.size(), -1),
        protocol_lower(m.flows.size()),
        sensitive_asset(m.assets.size()) {
    for (size_t f = 0; f < m.flows.size(); ++f) protocol_lower[f] = lower(m.flows[f].protocol);
    // Both depend on the element's zone alone: judged once per zone.
    std::vector<int> judged(m.boundaries.size() + 1, -1);  // zone (boundary + 1) -> an element judged in it
    for (size_t e = 0; e < m.elements.size(); ++e) {
      int& first = judged[static_cast<size_t>(m.elements[e].boundary_index + 1)];
      if (first >= 0) {
        untrusted[e] = untrusted[static_cast<size_t>(first)];
        trust[e] = trust[static_cast<size_t>(first)];
        continue;
      }
      first = static_cast<int>(e);
      untrusted[e] = in_untrusted_zone(m, static_cast<int>(e));
      trust[e] = zone_trust(m, static_cast<int>(e));
    }
    for (size_t c = 0; c < crossings.size(); ++c) crossing_of[static_cast<size_t>(crossings[c].flow)] = static_cast<int>(c);
    for (size_t a = 0; a < m.assets.size(); ++a) sensitive_asset[a] = any_text_in(m.assets[a].classes, kSensitiveClasses);
    compute_declarations();
    compute_involved_assets();
    compute_detection_facts();
  }

  std::span<const int> involved_assets_of(int element) const {
    const size_t e = static_cast<size_t>(element);
    return {involved.data() + involved_starts[e], involved.data() + involved_starts[e + 1]};
  }

  void compute_involved_assets() {
    involved_starts.assign(model.elements.size() + 1, 0);
    std::vector<size_t> seen(model.assets.size(), SIZE_MAX);  // asset -> the element that listed it last
    for (size_t e = 0; e < model.elements.size(); ++e) {
      auto add = [&](const std::vector<int>& assets) {
        for (int a : assets) {
          if (seen[static_cast<size_t>(a)] == e) continue;
          seen[static_cast<size_t>(a)] = e;
          involved.push_back(a);
        }
      };
      add(model.elements[e].asset_indexes);
      for (int f : inbound[e]) add(model.flows[static_cast<size_t>(f)].data_indexes);
      for (int f : outbound[e]) add(model.flows[static_cast<size_t>(f)].data_indexes);
      involved_starts[e + 1] = static_cast<uint32_t>(involved.size());
    }
  }

  // The flow crosses a boundary.
  bool crosses(size_t flow) const { return crossing_of[flow] >= 0; }

  // "leaves internet, enters app": the boundaries a flow crosses.
  std::string crossed_names(size_t flow) const {
    std::string names;
    if (crossing_of[flow] < 0) return names;
    const BoundaryCrossing& crossing = crossings[static_cast<size_t>(crossing_of[flow])];
    for (int b : crossing.exited) names += (names.empty() ? "leaves " : ", leaves ") + model.boundaries[static_cast<size_t>(b)].id;
    for (int b : crossing.entered) names += (names.empty() ? "enters " : ", enters ") + model.boundaries[static_cast<size_t>(b)].id;
    return names;
  }

  const model::Element& element(int index) const { return model.elements[static_cast<size_t>(index)]; }
  const model::Flow& flow(int index) const { return model.flows[static_cast<size_t>(index)]; }

  // ---- Detection II facts, computed once: linear in the model, except
  // that each element keeps at most kMaxFronts proxies in front of it.
  static constexpr size_t kMaxFronts = 64;
  std::vector<bool> pass_through;        // element is a load balancer, gateway, proxy or CDN
  std::vector<int> input_from;           // element -> flow that first brings untrusted input (-1: source / none)
  std::vector<bool> input_reached;       // untrusted input reaches the element along flows
  std::vector<std::vector<int>> fronts;  // element -> pass-through proxies in front of it (transitively, sorted)

  void compute_detection_facts();
  void compute_declarations();
  // "none", "missing" or "declared" for the declaration a predicate reads.
  const char* declaration_of(int flow, Predicate kind) const;
};

// Memoized results of the conditions under a subject switch (inbound,
// outbound, uses_store, from, to), per element or flow: 0 unknown, 1
// false, 2 true. Each such condition is then evaluated at most once per
// element or flow, so a rule costs O(size of its condition x (elements +
// flows)) however deeply its quantifiers nest. Each thread that runs rules
// has its own, cleared after each rule; a rule has a handful of such
// conditions, so they are found by a linear search.
class RuleMemo {
 public:
  explicit RuleMemo(size_t size) : size_(size) {}
  // The results of `c`, one byte per element or flow. The bytes stay where
  // they are until clear(), whatever is added meanwhile.
  uint8_t* results(const Condition& c) {
    for (auto& [condition, bytes] : slots_) {
      if (condition == &c) return bytes.get();
    }
    slots_.emplace_back(&c, std::make_unique<uint8_t[]>(size_));  // zeroed: all unknown
    return slots_.back().second.get();
  }
  void clear() { slots_.clear(); }

 private:
  size_t size_;
  std::vector<std::pair<const Condition*, std::unique_ptr<uint8_t[]>>> slots_;
};

namespace {

bool contains_word(const std::string& lowered_text, const std::string& word) {
  for (size_t at = lowered_text.find(word); at != std::string::npos; at = lowered_text.find(word, at + 1)) {
    bool left = at == 0 || !std::isalnum(static_cast<unsigned char>(lowered_text[at - 1]));
    size_t end = at + word.size();
    bool right = end >= lowered_text.size() || !std::isalnum(static_cast<unsigned char>(lowered_text[end]));
    if (left && right) return true;
  }
  return false;
}

bool asset_has_class(const model::Model& model, int asset, const std::vector<std::string>& classes) {
  return any_text_in(model.assets[static_cast<size_t>(asset)].classes, classes);
}

// "none", "missing" or "declared" for a flow's authentication etc.: "none"
// when the text starts (after spaces) with the word none, in any case.
const char* declaration(const std::optional<model::Text>& value) {
  if (!value) return "missing";
  std::string_view text = value->value;
  size_t start = text.find_first_not_of(' ');
  if (start == std::string_view::npos || text.size() - start < 4) return "declared";
  for (size_t i = 0; i < 4; ++i) {
    if (std::tolower(static_cast<unsigned char>(text[start + i])) != "none"[i]) return "declared";
  }
  bool word_ends = text.size() == start + 4 || !std::isalnum(static_cast<unsigned char>(text[start + 4]));
  return word_ends ? "none" : "declared";
}

const std::optional<model::Text>& declared(const model::Flow& flow, std::string_view which) {
  return which == "authentication" ? flow.authentication : which == "authorization" ? flow.authorization : flow.validation;
}

// The declaration a predicate reads (authentication... and *_mentions).
const std::optional<model::Text>& declared(const model::Flow& flow, Predicate kind) {
  switch (kind) {
    case Predicate::authentication:
    case Predicate::authentication_mentions: return flow.authentication;
    case Predicate::authorization:
    case Predicate::authorization_mentions: return flow.authorization;
    default: return flow.validation;
  }
}

}  // namespace

void RuleContext::compute_declarations() {
  declarations.resize(model.flows.size());
  for (size_t f = 0; f < model.flows.size(); ++f) {
    const model::Flow& flow = model.flows[f];
    declarations[f] = {declaration(flow.authentication), declaration(flow.authorization), declaration(flow.validation)};
  }
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

namespace {

// Visits the assets a target involves, until `stop` returns true: a flow's
// data as listed; an element's own assets, then the data of its inbound and
// outbound flows, each once (RuleContext::involved). True when stopped.
template <typename Stop>
bool any_involved_asset(const RuleContext& context, model::TargetKind kind, int target, Stop stop) {
  if (kind == model::TargetKind::flow) {
    const std::vector<int>& data = context.flow(target).data_indexes;
    return std::any_of(data.begin(), data.end(), stop);
  }
  const std::span<const int> assets = context.involved_assets_of(target);
  return std::any_of(assets.begin(), assets.end(), stop);
}

// An involved asset has one of `classes`.
bool handles(const RuleContext& context, model::TargetKind kind, int target, const std::vector<std::string>& classes) {
  return any_involved_asset(context, kind, target, [&](int asset) { return asset_has_class(context.model, asset, classes); });
}

// An involved asset has one of kSensitiveClasses.
bool handles_sensitive(const RuleContext& context, model::TargetKind kind, int target) {
  return any_involved_asset(context, kind, target, [&](int asset) { return context.sensitive_asset[static_cast<size_t>(asset)]; });
}

}  // namespace

// ---- Detection II: technology, reachability and direction facts --------------

namespace {

bool kind_in(const model::Element& e, const std::vector<std::string>& kinds) {
  return !e.kind.empty() && std::find(kinds.begin(), kinds.end(), e.kind) != kinds.end();
}

const std::vector<std::string> kPassThroughKinds = {"api-gateway", "load-balancer", "reverse-proxy", "cdn"};
const std::vector<std::string> kClientKinds = {"browser", "mobile-app", "desktop-app", "person"};

// Where untrusted input starts: anything outside our control (externals),
// anything in an untrusted zone, anything reachable from the internet.
// An element outside every boundary counts only when it is an external: in
// a model drawn without zones, our own processes are not input sources.
bool input_source(const RuleContext& context, int e) {
  const model::Element& element = context.element(e);
  return element.type == model::ElementType::external || element.internet_facing ||
         (element.boundary_index >= 0 && context.untrusted[static_cast<size_t>(e)]);
}

}  // namespace

void RuleContext::compute_detection_facts() {
  const size_t n = model.elements.size();
  pass_through.assign(n, false);
  input_from.assign(n, -1);
  input_reached.assign(n, false);
  fronts.assign(n, {});
  for (size_t e = 0; e < n; ++e) pass_through[e] = kind_in(model.elements[e], kPassThroughKinds);
  // Untrusted input flows with the data (the drawn direction) through
  // processes, queues and file or object stores (messages and files are
  // passed on as they came); databases, caches and logs end the walk (their
  // records are typed and owned by us). Breadth first, sources in file
  // order: the recorded path is deterministic.
  // Three rounds: from externals and untrusted zones along requests (so a
  // path names the person or party the input comes from and the way it was
  // sent), then along responses too, then from internet-facing elements no
  // such path reached ("the internet -> ...").
  std::vector<int> queue;
  for (int round = 0; round < 3; ++round) {
    for (size_t e = 0; e < n; ++e) {
      const model::Element& element = model.elements[e];
      bool outside = element.type == model::ElementType::external ||
                     (element.boundary_index >= 0 && untrusted[e]);
      bool seed = round < 2 ? outside || input_reached[e] : element.internet_facing || input_reached[e];
      if (seed) {
        input_reached[e] = true;
        queue.push_back(static_cast<int>(e));
      }
    }
    for (size_t head = 0; head < queue.size(); ++head) {
      int e = queue[head];
      const model::Element& element = model.elements[static_cast<size_t>(e)];
      bool passes = input_source(*this, e) || element.type != model::ElementType::store ||
                    element.store == model::StoreKind::queue || element.store == model::StoreKind::file ||
                    element.store == model::StoreKind::object;
      if (!passes) continue;
      for (int f : outbound[static_cast<size_t>(e)]) {
        const model::Flow& flow = model.flows[static_cast<size_t>(f)];
        if (round == 0 && flow.response_to_index >= 0) continue;
        int to = flow.to_index;
        if (to < 0 || input_reached[static_cast<size_t>(to)]) continue;
        input_reached[static_cast<size_t>(to)] = true;
        input_from[static_cast<size_t>(to)] = f;
        queue.push_back(to);
      }
    }
    queue.clear();
  }
  // Proxies in front of an element: walk back through inbound flows from
  // pass-through elements, breadth first, visiting each proxy once and
  // keeping the nearest kMaxFronts (a hostile mesh of proxies stays cheap).
  for (size_t e = 0; e < n; ++e) {
    if (pass_through[e]) continue;
    std::vector<int> seen;
    auto visit = [&](int element) {
      for (int f : inbound[static_cast<size_t>(element)]) {
        int from = model.flows[static_cast<size_t>(f)].from_index;
        if (seen.size() >= kMaxFronts || from < 0 || !pass_through[static_cast<size_t>(from)]) continue;
        if (std::find(seen.begin(), seen.end(), from) == seen.end()) seen.push_back(from);
      }
    };
    visit(static_cast<int>(e));
    for (size_t head = 0; head < seen.size(); ++head) visit(seen[head]);
    std::sort(seen.begin(), seen.end());
    fronts[e] = std::move(seen);
  }
}

namespace {

// "Customer browser -> Web shop -> Search service": the walk untrusted
// input takes to reach `element` (from the internet when it is exposed
// directly).
std::string input_path(const RuleContext& context, int element) {
  if (!context.input_reached[static_cast<size_t>(element)]) return "";
  std::vector<std::string> names;
  int at = element;
  for (size_t guard = 0; guard <= context.model.elements.size(); ++guard) {
    names.push_back(context.element(at).name);
    int f = context.input_from[static_cast<size_t>(at)];
    if (f < 0) break;
    at = context.flow(f).from_index;
  }
  const model::Element& start = context.element(at);
  if (start.type != model::ElementType::external && !context.untrusted[static_cast<size_t>(at)]) names.push_back("the internet");
  std::string out;
  for (auto it = names.rbegin(); it != names.rend(); ++it) out += (out.empty() ? "" : " -> ") + *it;
  return out;
}

// The element that asks: a response is asked by its receiver, and a store
// never asks (a flow out of a store is a read by its receiver).
int requester_of(const RuleContext& context, const model::Flow& f) {
  if (f.from_index < 0 || f.to_index < 0) return -1;
  if (f.response_to_index >= 0) return f.to_index;
  bool passive = context.element(f.from_index).type == model::ElementType::store &&
                 context.element(f.to_index).type != model::ElementType::store;
  return passive ? f.to_index : f.from_index;
}

bool is_client(const model::Element& e) {
  if (!e.kind.empty()) return kind_in(e, kClientKinds);
  if (e.type != model::ElementType::external) return false;
  std::string names = lower(e.id + " " + e.name);
  return names.find("browser") != std::string::npos;
}

bool lists_control(const model::Element& e, const std::vector<std::string>& controls) { return any_text_in(e.controls, controls); }

// Element predicates of the Detection II block; `handled` false = not one of them.
bool evaluate_detection_element(const Condition& c, const RuleContext& context, RuleMemo& memo, int index, bool& handled) {
  using P = Predicate;
  const model::Element& e = context.element(index);
  const size_t i = static_cast<size_t>(index);
  handled = true;
  switch (c.kind) {
    case P::kind: return kind_in(e, c.words);
    case P::accepts: return any_text_in(e.accepts, c.words);
    case P::client: return is_client(e) == c.flag;
    case P::pass_through: return context.pass_through[i] == c.flag;
    case P::entry_point: {
      bool entry = !context.pass_through[i] && e.internet_facing;
      for (int proxy : context.fronts[i]) {
        const model::Element& p = context.element(proxy);
        bool exposed = p.internet_facing || std::any_of(context.inbound[static_cast<size_t>(proxy)].begin(),
                                                        context.inbound[static_cast<size_t>(proxy)].end(), [&](int f) {
                                                          return context.untrusted[static_cast<size_t>(context.flow(f).from_index)];
                                                        });
        entry = entry || exposed;
      }
      return entry == c.flag;
    }
    case P::edge_inbound: {
      auto matches = [&](std::span<const int> flows) {
        return std::any_of(flows.begin(), flows.end(), [&](int f) { return evaluate(c.children[0], context, memo, f); });
      };
      return matches(context.inbound[i]) || std::any_of(context.fronts[i].begin(), context.fronts[i].end(), [&](int proxy) {
               return matches(context.inbound[static_cast<size_t>(proxy)]);
             });
    }
    case P::edge_lacks:
      return !lists_control(e, c.words) && std::none_of(context.fronts[i].begin(), context.fronts[i].end(), [&](int proxy) {
        return lists_control(context.element(proxy), c.words);
      });
    case P::untrusted_input: return context.input_reached[i] == c.flag;
    case P::exists_kind:
      return std::any_of(context.model.elements.begin(), context.model.elements.end(),
                         [&](const model::Element& other) { return kind_in(other, c.words); });
    default: handled = false; return false;
  }
}

bool evaluate_detection_flow(const Condition& c, const RuleContext& context, RuleMemo& memo, int index, bool& handled) {
  using P = Predicate;
  const model::Flow& f = context.flow(index);
  handled = true;
  switch (c.kind) {
    case P::response: return (f.response_to_index >= 0) == c.flag;
    case P::requester:
    case P::responder: {
      int asker = requester_of(context, f);
      if (asker < 0) return false;
      int other = asker == f.from_index ? f.to_index : f.from_index;
      return evaluate(c.children[0], context, memo, c.kind == P::requester ? asker : other);
    }
    default: handled = false; return false;
  }
}

}  // namespace

namespace {

// evaluate() of a condition under a subject switch, memoized (see RuleMemo).
bool evaluate_memo(const Condition& c, const RuleContext& context, RuleMemo& memo, int index) {
  uint8_t& cached = memo.results(c)[index];
  if (cached != 0) return cached == 2;
  bool result = evaluate(c, context, memo, index);
  cached = result ? 2 : 1;
  return result;
}

bool evaluate_element(const Condition& c, const RuleContext& context, RuleMemo& memo, int index) {
  const model::Element& e = context.element(index);
  using P = Predicate;
  const P k = c.kind;
  bool handled = false;
  bool detected = evaluate_detection_element(c, context, memo, index, handled);
  if (handled) return detected;
  auto in_words = [&](const char* value) { return std::find(c.words.begin(), c.words.end(), value) != c.words.end(); };
  if (k == P::type) return in_words(model::to_string(e.type));
  if (k == P::store) return e.type == model::ElementType::store && in_words(model::to_string(e.store));
  if (k == P::privilege) return in_words(model::to_string(e.privilege));
  if (k == P::internet_facing) return e.internet_facing == c.flag;
  if (k == P::multi_tenant) return e.multi_tenant == c.flag;
  if (k == P::tag) return any_text_in(e.tags, c.words);
  if (k == P::has) return any_text_in(e.controls, c.words);
  if (k == P::lacks) return !any_text_in(e.controls, c.words);
  if (k == P::asset_class) return handles(context, model::TargetKind::element, index, c.words);
  if (k == P::untrusted_zone) return context.untrusted[static_cast<size_t>(index)] == c.flag;
  if (k == P::reached_from_untrusted) {
    bool reached = std::any_of(context.inbound[static_cast<size_t>(index)].begin(), context.inbound[static_cast<size_t>(index)].end(),
                               [&](int f) { return context.untrusted[static_cast<size_t>(context.flow(f).from_index)]; });
    return reached == c.flag;
  }
  if (k == P::inbound || k == P::outbound) {
    const std::span<const int> flows = (k == P::inbound ? context.inbound : context.outbound)[static_cast<size_t>(index)];
    return std::any_of(flows.begin(), flows.end(), [&](int f) { return evaluate_memo(c.children[0], context, memo, f); });
  }
  if (k == P::uses_store) {
    for (const std::span<const int> flows : {context.inbound[static_cast<size_t>(index)], context.outbound[static_cast<size_t>(index)]}) {
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
  }
  return false;
}

bool evaluate_flow(const Condition& c, const RuleContext& context, RuleMemo& memo, int index) {
  const model::Flow& f = context.flow(index);
  using P = Predicate;
  const P k = c.kind;
  const model::Element* receiver = f.to_index >= 0 ? &context.element(f.to_index) : nullptr;
  bool handled = false;
  bool detected = evaluate_detection_flow(c, context, memo, index, handled);
  if (handled) return detected;
  if (k == P::protocol) {
    const std::string& protocol = context.protocol_lower[static_cast<size_t>(index)];
    return std::any_of(c.words.begin(), c.words.end(), [&](const std::string& w) { return contains_word(protocol, w); });
  }
  if (k == P::encrypted) {
    const int crossing = context.crossing_of[static_cast<size_t>(index)];
    bool encrypted = crossing >= 0 ? context.crossings[static_cast<size_t>(crossing)].encrypted : flow_is_encrypted(f);
    return encrypted == c.flag;
  }
  if (k == P::local) return is_local_transport(f) == c.flag;
  if (k == P::crosses) return context.crosses(static_cast<size_t>(index)) == c.flag;
  if (k == P::authentication || k == P::authorization || k == P::validation) {
    std::string_view state = context.declaration_of(index, k);
    return std::find(c.words.begin(), c.words.end(), state) != c.words.end();
  }
  if (k == P::authentication_mentions || k == P::authorization_mentions || k == P::validation_mentions) {
    const auto& value = declared(f, k);
    if (!value || std::string_view(context.declaration_of(index, k)) != "declared") return false;
    // The words are lower case; the text is compared ignoring case, in place.
    const std::string_view text = value->value;
    return std::any_of(c.words.begin(), c.words.end(), [&](const std::string& w) {
      return w.empty() || std::search(text.begin(), text.end(), w.begin(), w.end(), [](char a, char b) {
                            return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;  // the C locale's tolower
                          }) != text.end();
    });
  }
  if (k == P::flow_tag) return any_text_in(f.tags, c.words);
  if (k == P::flow_has || k == P::flow_lacks) {
    bool has = any_text_in(f.controls, c.words) || (receiver != nullptr && any_text_in(receiver->controls, c.words));
    return k == P::flow_has ? has : !has;
  }
  if (k == P::data_class) {
    return std::any_of(f.data_indexes.begin(), f.data_indexes.end(),
                       [&](int a) { return asset_has_class(context.model, a, c.words); });
  }
  if (k == P::secret_in_url) {
    static const std::vector<std::string> kSecretClasses = {"credentials", "secret"};
    bool secret = std::any_of(f.in_url_indexes.begin(), f.in_url_indexes.end(), [&](int a) {
      const model::Asset& asset = context.model.assets[static_cast<size_t>(a)];
      std::string names = lower(asset.id + " " + asset.name);
      return asset_has_class(context.model, a, kSecretClasses) || names.find("token") != std::string::npos ||
             names.find("password") != std::string::npos || names.find("secret") != std::string::npos ||
             names.find("api key") != std::string::npos || names.find("api_key") != std::string::npos;
    });
    return secret == c.flag;
  }
  if (k == P::from_less_trusted) {
    if (f.from_index < 0 || f.to_index < 0) return false;
    bool from_untrusted = context.untrusted[static_cast<size_t>(f.from_index)];
    bool to_untrusted = context.untrusted[static_cast<size_t>(f.to_index)];
    bool less = from_untrusted && !to_untrusted;
    const auto& from_trust = context.trust[static_cast<size_t>(f.from_index)];
    const auto& to_trust = context.trust[static_cast<size_t>(f.to_index)];
    if (from_trust && to_trust) less = less || *from_trust < *to_trust;
    return less == c.flag;
  }
  if (k == P::from) return f.from_index >= 0 && evaluate_memo(c.children[0], context, memo, f.from_index);
  if (k == P::to) return f.to_index >= 0 && evaluate_memo(c.children[0], context, memo, f.to_index);
  return false;
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
        int asker = requester_of(context, f);
        int other = asker == f.from_index ? f.to_index : f.from_index;
        return name_of(key == "requester" ? asker : other);
      }
      if (key == "missing") {
        std::string out;
        for (const char* which : {"authentication", "authorization", "validation"}) {
          if (!declared(f, which)) out += (out.empty() ? "" : ", ") + std::string(which);
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
        static const std::vector<std::string> kPii = {"pii"};
        std::string out;
        for (int a : e.asset_indexes) {
          const model::Asset& asset = m.assets[static_cast<size_t>(a)];
          bool wanted = key == "assets" || any_text_in(asset.classes, key == "pii" ? kPii : kSensitiveClasses);
          if (wanted) out += (out.empty() ? "" : ", ") + asset.name;
        }
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
  stakes.confidentiality = has(Stride::I) || has(Stride::S) || has(Stride::E) || rule.privacy != 0;
  stakes.integrity = has(Stride::T) || has(Stride::R) || has(Stride::S) || has(Stride::E);
  stakes.availability = has(Stride::D);
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

// Likelihood and impact of a finding, raised for the business context
// (SPEC 2.5); with `explain`, the reasons go to finding.raises.
void score(RuleFinding& finding, const Rule& rule, const RuleContext& context, bool explain) {
  const model::Model& m = context.model;
  int likelihood = scale_default(m.scale, rule.likelihood);
  int impact = scale_default(m.scale, rule.impact);
  bool sensitive = false, exposed = false;
  if (finding.target_kind == model::TargetKind::element) {
    const model::Element& e = context.element(finding.target);
    sensitive = handles_sensitive(context, model::TargetKind::element, finding.target);
    const std::span<const int> in = context.inbound[static_cast<size_t>(finding.target)];
    exposed = e.internet_facing || std::any_of(in.begin(), in.end(), [&](int f) {
      return context.untrusted[static_cast<size_t>(context.flow(f).from_index)];
    });
    if (explain && e.internet_facing) finding.raises.push_back(fmt::format("likelihood +1: {} is internet-facing", e.id));
    else if (explain && exposed) finding.raises.push_back(fmt::format("likelihood +1: {} is reached from an untrusted zone", e.id));
  } else {
    const model::Flow& f = context.flow(finding.target);
    sensitive = handles_sensitive(context, model::TargetKind::flow, finding.target);
    exposed = f.from_index >= 0 && context.untrusted[static_cast<size_t>(f.from_index)];
    if (explain && exposed) finding.raises.push_back(fmt::format("likelihood +1: {} comes from an untrusted zone", f.id));
  }
  // Privilege: a compromised target that runs as admin or root gives the
  // attacker more, so it raises impact like sensitive data (one step at
  // most, whatever the number of reasons).
  bool privileged = false;
  if (finding.target_kind == model::TargetKind::element) {
    model::Privilege p = context.element(finding.target).privilege;
    privileged = p == model::Privilege::admin || p == model::Privilege::root;
  }
  if (!explain) {
    // the numbers below need only the booleans
  } else if (sensitive && privileged) {
    finding.raises.push_back(fmt::format("impact +1: it handles pii, payment, health, credentials or secret data, and "
                                         "runs as {}",
                                         model::to_string(context.element(finding.target).privilege)));
  } else if (sensitive) {
    finding.raises.push_back("impact +1: it handles pii, payment, health, credentials or secret data");
  } else if (privileged) {
    finding.raises.push_back(fmt::format("impact +1: it runs as {}", model::to_string(context.element(finding.target).privilege)));
  }
  // The value of the assets at stake: a high confidentiality, integrity or
  // availability in what the rule threatens raises impact (the same one
  // step: the raise is capped, whatever the number of reasons).
  std::string stakes;
  const bool high = high_stakes(rule, finding, context, explain ? &stakes : nullptr);
  if (high && explain) {
    bool other = sensitive || privileged;
    if (other) finding.raises.back() += "; " + stakes;
    else finding.raises.push_back("impact +1: " + stakes);
  }
  sensitive = sensitive || privileged || high;
  finding.default_likelihood = likelihood;
  finding.default_impact = impact;
  finding.likelihood = std::min(m.scale, likelihood + (exposed ? 1 : 0));
  finding.impact = std::min(m.scale, impact + (sensitive ? 1 : 0));
  // A raise that hits the top of the scale says so.
  for (std::string& raise : finding.raises) {
    bool on_likelihood = raise.rfind("likelihood", 0) == 0;
    int before = on_likelihood ? likelihood : impact;
    if (before >= m.scale) raise += fmt::format(" (already {}, the top of the scale)", m.scale);
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
  if (dismissal.tag) return has_any_tag(target_tags(model, finding.target_kind, finding.target), {*dismissal.tag});
  return std::any_of(dismissal.targets.begin(), dismissal.targets.end(),
                     [&](const model::Text& id) { return id.value == finding.target_id; });
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
  if (auto it = answers.threats.find(finding.rule); it != answers.threats.end()) {
    for (int t : it->second) {
      for (const model::TargetRef& target : model.threats[static_cast<size_t>(t)].targets) {
        if (target.kind == finding.target_kind && target.index == finding.target) {
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
};

// The targets of `rule` where it fires, in file order.
void match_rule(const Rule& rule, uint32_t r, const RuleContext& context, RuleMemo& memo, std::vector<Match>& out) {
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

// Fills in the finding of one match.
void build_finding(RuleFinding& finding, const Match& match, const Rule& rule, const RuleContext& context,
                   const Answers& answers, bool explain) {
  const model::Model& model = context.model;
  const bool on_flows = rule.target == RuleTarget::flow || rule.target == RuleTarget::crossing;
  const int index = match.index;
  const size_t i = static_cast<size_t>(index);
  finding.target_kind = on_flows ? model::TargetKind::flow : model::TargetKind::element;
  finding.target = index;
  finding.target_id = on_flows ? model.flows[i].id : model.elements[i].id;
  finding.why = fill(rule.message, context, on_flows, index);
  finding.stride = rule.stride;
  finding.privacy = rule.privacy;
  finding.location = on_flows ? model.flows[i].location : model.elements[i].location;
  score(finding, rule, context, explain);
  if (match.setting != nullptr) apply_setting(finding, *match.setting, explain);
  set_status(finding, model, answers);
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
  RuleContext context(model, crossings);
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
        build_finding(findings[m], matches[m], rules.rule(matches[m].rule), context, answers, options.raises);
      }
    }
  });
  return findings;
}

}  // namespace tmc::analyze
