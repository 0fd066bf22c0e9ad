// The fingerprint of a gate item (a recorded threat or a rule finding):
// THE one identity of an item across runs and edits. SARIF
// (partialFingerprints "tmc/v1"), the baseline (`tmc baseline`,
// `check --baseline`) and a future `tmc diff` all use this function and no
// other, so an item keeps one identity everywhere.
//
// What goes in: for a finding, the rule id, the target's kind and id, and
// what matched (the facts the rule reports in its "why" text, without the
// places and folded parts an item names after them); for a
// threat, its id and its target ids. Never line numbers, file names or
// ranks: moving, reordering or re-scoring an item keeps its fingerprint;
// renaming its target or changing the facts that made a rule fire gives a
// new one.
#pragma once

#include <string>
#include <vector>

#include "analyze/analysis.h"
#include "model/model.h"

namespace tmc::analyze {

// 16 lower-case hex digits (FNV-1a 64 over a versioned, NUL-separated
// key). Deterministic across platforms and runs.
std::string fingerprint(const model::Model& model, const std::vector<RuleFinding>& findings,
                        const RankedItem& item);
// The same for one rule finding, whatever its status: an open finding's
// ranked item has this fingerprint.
std::string fingerprint(const RuleFinding& finding);

}  // namespace tmc::analyze
