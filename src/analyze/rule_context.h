// What the rule engine knows about a model while it runs the rules: the
// facts (facts.h) and the indexes the predicates read, computed once per
// run. Private to analyze/: the engine (rules.cc) and the predicates
// (rule_predicates.cc) share it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "analyze/analysis.h"
#include "analyze/facts.h"
#include "analyze/flow_lists.h"
#include "analyze/rule_language.h"
#include "model/model.h"

namespace tmc::analyze {

// The classes that make data sensitive: a finding on a target that
// handles them has its impact raised.
extern const std::vector<std::string> kSensitiveClasses;

// Names (controls, tags, classes) are compared as written: they are
// kebab-case identifiers, and the rule compiler lower-cases rule words.
bool any_text_in(const std::vector<model::Text>& list, const std::vector<std::string>& words);
bool asset_has_class(const model::Model& model, int asset, const std::vector<std::string>& classes);
// The declaration a predicate reads (authentication... and *_mentions).
const std::optional<model::Text>& declared(const model::Flow& flow, Predicate kind);

struct RuleContext {
  const model::Model& model;
  const std::vector<BoundaryCrossing>& crossings;
  ModelFacts own_facts;      // when the caller gave none
  const ModelFacts& facts;
  FlowLists inbound;                       // element -> flows ending there
  FlowLists outbound;                      // element -> flows starting there
  std::vector<std::optional<int>> trust;   // element -> zone_trust()
  std::vector<int> crossing_of;            // flow -> index into crossings, or -1
  std::vector<std::string> protocol_lower; // flow -> its protocol, lower case
  // flow -> "none", "missing" or "declared" for its authentication,
  // authorization, validation
  std::vector<std::array<const char*, 3>> declarations;
  // element -> the assets it involves: its own, then the data of its
  // inbound and outbound flows, each once, in order of first mention (one
  // array for all elements; element e's are involved[involved_starts[e],
  // involved_starts[e + 1])).
  std::vector<uint32_t> involved_starts;
  std::vector<int> involved;

  // `given`: the model's facts, or nullptr to compute them.
  RuleContext(const model::Model& m, const std::vector<BoundaryCrossing>& all_crossings, const ModelFacts* given);

  std::span<const int> involved_assets_of(int element) const {
    const size_t e = static_cast<size_t>(element);
    return {involved.data() + involved_starts[e], involved.data() + involved_starts[e + 1]};
  }
  // The flow crosses a boundary.
  bool crosses(size_t flow) const { return crossing_of[flow] >= 0; }
  // "leaves internet, enters app": the boundaries a flow crosses.
  std::string crossed_names(size_t flow) const;
  // The element is in the outside or an internet zone.
  bool untrusted(int element) const { return facts.elements[static_cast<size_t>(element)].untrusted; }

  const model::Element& element(int index) const { return model.elements[static_cast<size_t>(index)]; }
  const model::Flow& flow(int index) const { return model.flows[static_cast<size_t>(index)]; }
  const ElementFacts& element_facts(int index) const { return facts.elements[static_cast<size_t>(index)]; }
  const FlowFacts& flow_facts(int index) const { return facts.flows[static_cast<size_t>(index)]; }

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

// The assets a target involves: a flow's data as listed; an element's own
// assets, then the data of its inbound and outbound flows, each once.
// Visits them until `stop` returns true; true when stopped.
template <typename Stop>
bool any_involved_asset(const RuleContext& context, model::TargetKind kind, int target, Stop stop) {
  if (kind == model::TargetKind::flow) {
    const std::vector<int>& data = context.flow(target).data_indexes;
    for (int a : data) {
      if (stop(a)) return true;
    }
    return false;
  }
  for (int a : context.involved_assets_of(target)) {
    if (stop(a)) return true;
  }
  return false;
}

// An involved asset has one of `classes`.
bool handles(const RuleContext& context, model::TargetKind kind, int target, const std::vector<std::string>& classes);
// "Customer browser -> Web shop -> Search service": the walk untrusted
// input takes to reach `element` ("" when none does).
std::string input_path(const RuleContext& context, int element);

}  // namespace tmc::analyze
