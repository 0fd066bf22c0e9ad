#include "model/policy.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/suggest.h"
#include "base/version.h"
#include "model/reader.h"

namespace tmc::model {

namespace {

const std::vector<std::string> kPolicyKeys = {"tmc-policy", "description", "min_tmc",      "scale",
                                              "fail_on",    "strict",      "require",      "locked_rules",
                                              "rule_packs"};

bool contains(const std::vector<std::string>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

}  // namespace

const std::vector<std::string>& requirable_model_keys() {
  static const std::vector<std::string> kKeys = {
      "title",   "scope",      "in_scope", "out_of_scope", "authors",   "reviewed", "review_every",
      "review_when", "scale",  "requires", "assumptions",  "actors",    "assets",   "boundaries",
      "elements", "flows",     "paths",    "threats",      "attack_trees", "asset_classes"};
  return kKeys;
}

std::optional<Policy> read_policy(const load::Node& root, const std::string& path, const std::string& directory,
                                  DiagnosticSink& sink) {
  const size_t errors = sink.error_count();
  if (!root.is_mapping()) {
    sink.error("wrong-type", root.location, "a policy file is a mapping of keys ('tmc-policy: 1', 'fail_on: ...')");
    return std::nullopt;
  }
  MapReader reader(root, "the policy", kPolicyKeys, sink);
  Policy policy;
  policy.path = path;
  if (const load::Node* version = reader.get("tmc-policy"); version == nullptr) {
    sink.error("missing-key", root.location, "a policy file starts with 'tmc-policy: 1'");
  } else if (!version->is_scalar() || version->text() != "1") {
    sink.error("unsupported-version", version->location,
               fmt::format("unsupported policy version '{}'; this tmc reads 'tmc-policy: 1'", version->text()));
  }
  reader.string("description");
  if (const load::Node* min = reader.get("min_tmc")) {
    const std::string text = min->is_scalar() ? std::string(min->text()) : std::string();
    auto newer = version_at_least(text);
    if (!newer) {
      sink.error("invalid-value", min->location,
                 fmt::format("'min_tmc' takes the oldest tmc version allowed, such as \"0.2\", not '{}'", text));
    } else if (!*newer) {
      sink.error("policy-violation", min->location,
                 fmt::format("the policy '{}' requires tmc {} or newer; this is tmc {}: install the version the "
                             "organisation rolled out",
                             path, text, version()));
    }
  }
  if (auto scale = reader.integer("scale", 3, 5)) {
    if (*scale != 3 && *scale != 5) {
      sink.error("invalid-value", reader.get("scale")->location, "'scale' is 3 or 5");
    } else {
      policy.scale = static_cast<int>(*scale);
    }
  }
  if (const load::Node* gate = reader.get("fail_on")) {
    policy.fail_on = gate->is_scalar() ? std::string(gate->text()) : std::string();
    policy.fail_on_location = gate->location;
    if (policy.fail_on.empty() || policy.fail_on == "never") {
      sink.error("invalid-value", gate->location,
                 "'fail_on' names the bucket at which the gate fails (fix-now, fix-soon, watch, P0..P3), not never");
    }
  }
  policy.strict = reader.boolean("strict").value_or(false);
  policy.require = reader.text_list("require");
  for (const Text& key : policy.require) {
    if (!contains(requirable_model_keys(), key.value)) {
      sink.error("invalid-value", key.location,
                 fmt::format("'{}' is not a top-level key of a model{}", key.value,
                             did_you_mean(key.value, requirable_model_keys())));
    }
  }
  policy.locked_rules = reader.text_list("locked_rules");
  for (const Text& pack : reader.text_list("rule_packs")) {
    policy.rule_packs.push_back(!pack.value.empty() && pack.value[0] == '/' ? pack.value : directory + "/" + pack.value);
  }
  reader.finish();
  if (sink.error_count() != errors) return std::nullopt;
  return policy;
}

void check_policy(const Policy& policy, const Model& model, const load::Node* model_root,
                  const std::vector<std::string>& pack_rules, DiagnosticSink& sink) {
  auto at_key = [&](std::string_view key) {
    const load::MappingEntry* entry = model_root != nullptr ? model_root->find(key) : nullptr;
    return entry != nullptr ? entry->value->location : model.location;
  };
  if (policy.scale && model.scale != *policy.scale) {
    sink.error("policy-violation", at_key("scale"),
               fmt::format("the policy '{}' fixes the scale at {}; this model uses scale {}", policy.path, *policy.scale,
                           model.scale));
  }
  for (const Text& key : policy.require) {
    if (model_root != nullptr && model_root->find(key.value) != nullptr) continue;
    sink.error("policy-violation", model.location,
               fmt::format("the policy '{}' requires every model to state '{}'", policy.path, key.value));
  }
  for (const RuleSetting& setting : model.rule_settings) {
    const bool weakens = !setting.enabled || setting.likelihood || setting.impact;
    if (!weakens) continue;
    const bool locked = std::any_of(policy.locked_rules.begin(), policy.locked_rules.end(),
                                    [&](const Text& rule) { return rule.value == setting.rule.value; });
    const bool from_pack = contains(pack_rules, setting.rule.value);
    if (!locked && !from_pack) continue;
    sink.error("policy-violation", setting.location,
               fmt::format("the policy '{}' {} rule {}: a model may not {}; answer its findings with threats, "
                           "controls or dismissals",
                           policy.path, locked ? "locks" : "adds, as a mandatory pack,", setting.rule.value,
                           setting.enabled ? "set its score" : "switch it off"));
  }
}

}  // namespace tmc::model
