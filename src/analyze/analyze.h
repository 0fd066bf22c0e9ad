// The analysis stage (SPEC section 2): from a valid Model to an Analysis —
// crossings, rule findings, STRIDE coverage, the ranked list, metrics and
// the done gate. Problems the analysis finds in the model (undeclared
// crossings, staleness, likely duplicates...) are diagnostics.
#pragma once

#include <optional>
#include <string>

#include "analyze/analysis.h"
#include "analyze/baseline.h"
#include "analyze/rules.h"
#include "base/date.h"
#include "base/diagnostic.h"
#include "model/model.h"

namespace tmc::analyze {

struct AnalyzeOptions {
  Date today;
  int fail_on_rank = 0;        // the gate fails on open items at or above this bucket; -1 = never
  bool fail_on_stale = false;  // staleness is an error instead of a warning
  bool fail_on_overdue = false;  // an overdue mitigation is an error instead of a warning
  // Open items whose fingerprint is in the baseline do not fail the gate;
  // baseline entries no longer open are listed in Analysis::baseline_gone.
  const Baseline* baseline = nullptr;
  // The STRIDE coverage matrix (Analysis::coverage) is built only when
  // asked: `check` never shows it, and at 10k elements it is the largest
  // part of the analysis. false leaves Analysis::coverage empty.
  bool coverage = true;
  // RuleFinding::fingerprint and RankedItem::fingerprint are computed
  // when asked or when there is a baseline (which needs them); false
  // leaves them empty otherwise.
  bool fingerprints = true;
  // RuleFinding::raises, the reasons a finding's likelihood and impact
  // were raised, are written for the reports; `check` shows none, and at
  // 10k elements they are 40,000 formatted strings. false leaves them
  // empty; likelihood and impact are the same.
  bool raises = true;
  // Notes (`unstated-fact`) for facts a rule needs that the model does not
  // state: an inferred kind, an authorization of unknown granularity.
  bool fact_notes = true;
};

// Runs every analysis. REQUIRES: a model that built without errors.
Analysis analyze(const model::Model& model, const RuleLibrary& rules, const AnalyzeOptions& options,
                 DiagnosticSink& sink);

// The applicable STRIDE letters of an element or flow (SPEC 2.2).
model::StrideSet applicable_letters(const model::Model& model, model::TargetKind kind, int index);

// The last day an accepted threat's acceptance holds: `accepted_until`,
// else the day the model's review is due (reviewed + review_every), else
// none (the acceptance does not expire; analyze() warns).
std::optional<Date> acceptance_end(const model::Model& model, const model::Threat& threat);

// True for mitigated, accepted, transferred and eliminated.
bool is_resolved(model::ThreatStatus status);

}  // namespace tmc::analyze
