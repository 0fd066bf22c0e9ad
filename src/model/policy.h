// An organisation's policy (docs/policy.md): what every model checked under
// it must hold to, set outside the model so that a change to the model
// cannot relax it. Read from the file `--policy FILE` or $TMC_POLICY names.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "load/syntax_tree.h"
#include "model/model.h"

namespace tmc::model {

struct Policy {
  std::string path;                    // as given
  std::optional<int> scale;            // models must use this scale
  std::string fail_on;                 // the gate: --fail-on's default and the weakest one allowed ("" = none)
  SourceLocation fail_on_location;
  bool strict = false;                 // --strict always
  std::vector<Text> require;           // top-level keys every model states
  std::vector<Text> locked_rules;      // rules a model may not switch off or down-score
  std::vector<std::string> rule_packs; // rule files loaded for every model (paths as resolved)
};

// The top-level keys a policy may require a model to state.
const std::vector<std::string>& requirable_model_keys();

// Reads a policy file's root mapping. `directory` is the policy file's
// directory: rule packs are named relative to it. Reports every problem at
// its line (an unknown key, a tmc older than `min_tmc`, ...).
std::optional<Policy> read_policy(const load::Node& root, const std::string& path, const std::string& directory,
                                  DiagnosticSink& sink);

// Reports `policy-violation` errors at the model's lines: a scale other
// than the policy's, a required key the model does not state
// (`model_root` is the model file's root mapping), a locked rule or a rule
// of a pack (`pack_rules`) that a `rules:` setting switches off or
// down-scores.
void check_policy(const Policy& policy, const Model& model, const load::Node* model_root,
                  const std::vector<std::string>& pack_rules, DiagnosticSink& sink);

}  // namespace tmc::model
