// The analysis stage (SPEC section 2): from a valid Model to an Analysis —
// crossings, rule findings, STRIDE coverage, the ranked list, metrics and
// the done gate. Problems the analysis finds in the model (undeclared
// crossings, staleness, likely duplicates...) are diagnostics.
#pragma once

#include <optional>
#include <string>

#include "analyze/analysis.h"
#include "analyze/rules.h"
#include "base/date.h"
#include "base/diagnostic.h"
#include "model/model.h"

namespace tmc::analyze {

struct AnalyzeOptions {
  Date today;
  int fail_on_rank = 0;        // the gate fails on open items at or above this bucket; -1 = never
  bool fail_on_stale = false;  // staleness is an error instead of a warning
};

// Runs every analysis. REQUIRES: a model that built without errors.
Analysis analyze(const model::Model& model, const RuleLibrary& rules, const AnalyzeOptions& options,
                 DiagnosticSink& sink);

// The applicable STRIDE letters of an element or flow (SPEC 2.2).
model::StrideSet applicable_letters(const model::Model& model, model::TargetKind kind, int index);

// True for mitigated, accepted, transferred and eliminated.
bool is_resolved(model::ThreatStatus status);

}  // namespace tmc::analyze
