// The analyzed model: everything the analysis stage computes from a Model
// (SPEC section 2) and hands to the renderers. Analyses never print.
//
// Ownership of the pieces: crossings/coverage/scoring/gate/metrics are
// computed by analyze(); rule findings come from the rule engine
// (rules.h); attack-tree values from attack_tree.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/diagnostic.h"
#include "model/model.h"

namespace tmc::analyze {

// A flow that crosses one or more trust boundaries (SPEC 2.1).
struct BoundaryCrossing {
  int flow = -1;               // index into Model::flows
  std::vector<int> exited;     // boundaries left, innermost first
  std::vector<int> entered;    // boundaries entered, outermost first
  bool encrypted = false;      // protocol or controls show transport encryption
};

// Risk buckets, top first. Scale 3: fix-now, fix-soon, watch. Scale 5: P0..P3.
struct RiskBucket {
  int rank = 0;         // 0 = top bucket
  std::string name;     // "fix-now", "fix-soon", "watch", "P0", ...
  std::string label;    // "fix now", "P0 critical", ...
};

enum class FindingStatus { open, addressed, dismissed };
const char* to_string(FindingStatus status);  // "open", "addressed", "dismissed"

// A rule firing on one target. The rule's own text (id, title, mitigation,
// rationale, references) is not copied into each of the thousands of
// findings of a large model: those members refer to the rule in the
// RuleLibrary, which must outlive the findings (the pipeline's FrontEnd
// holds both).
struct RuleFinding {
  RuleFinding(const std::string& rule_id, const std::string& rule_title, const std::string& rule_mitigation,
              const std::string& rule_rationale, const std::vector<std::string>& rule_references)
      : rule(rule_id), title(rule_title), mitigation(rule_mitigation), rationale(rule_rationale),
        references(rule_references) {}

  const std::string& rule;           // the rule's id, e.g. "TMC-IDOR"
  model::TargetKind target_kind = model::TargetKind::element;
  int target = -1;                   // index into elements/flows/boundaries
  std::string target_id;
  const std::string& title;          // the rule's title
  std::string why;                   // which facts of the model made it fire
  // The length of the rule's own message at the start of `why`, before the
  // places and parts are named: the fingerprint reads this much, so that an
  // item keeps its identity when a place or a part comes or goes (0: all).
  size_t why_own = 0;
  const std::string& mitigation;     // suggested mitigation
  const std::string& rationale;      // why the rule matters (the rule's text)
  const std::vector<std::string>& references;  // the rule's CWE, CAPEC, OWASP references
  model::StrideSet stride = 0;
  model::PrivacySet privacy = 0;
  int likelihood = 1;                // after business-context raises
  int impact = 1;
  int default_likelihood = 1;        // the rule's defaults on the model's scale, before raises
  int default_impact = 1;
  std::vector<std::string> raises;   // why L or I were raised, for the report
  // The facts it rests on ("flow get: authorization coarse (read: 'scopes'
  // in authorization ...)"), written with the raises (facts_behind).
  std::vector<std::string> facts;
  SourceLocation location;           // the target's declaration
  FindingStatus status = FindingStatus::open;
  int addressed_by = -1;             // threat index when addressed
  int dismissal = -1;                // index into Model::dismissed when dismissed
  std::string fingerprint;           // analyze/fingerprint.h; empty unless AnalyzeOptions::fingerprints
  // A rule with one root cause per model (`once: true`) gives one finding:
  // `target` is its first place, these are the others (same target kind).
  std::vector<int> places;
  // The checklist item (its rule `collects: checklist`): each hygiene rule
  // and the element it fired on, in order. An item that folds others
  // (`folds:`): each folded rule and its target (of the kind it fired on).
  struct Part {
    std::string rule;
    model::TargetKind kind = model::TargetKind::element;
    int target = -1;
    friend bool operator==(const Part&, const Part&) = default;
  };
  std::vector<Part> parts;
  int risk() const { return likelihood * impact; }
};

// One row of the ranked list: a recorded threat or an open rule finding.
struct RankedItem {
  enum class Kind { threat, finding } kind = Kind::threat;
  int index = -1;        // into Model::threats or Analysis::findings
  int risk = 0;
  RiskBucket bucket;
  bool resolved = false; // threat: mitigated/accepted/transferred/eliminated (and not expired)
  bool acceptance_expired = false;  // accepted, but the acceptance has ended: open again
  std::optional<Date> accepted_until;  // accepted threats: the day the acceptance ends (inclusive), if any
  bool baselined = false;  // open, but held by the --baseline: the gate does not count it
  std::string fingerprint;  // analyze/fingerprint.h
};

// Coverage of one (element or flow, STRIDE letter) pair (SPEC 2.2).
struct CoverageCell {
  model::Stride letter = model::Stride::S;
  bool applicable = false;
  std::vector<int> threats;   // recorded threats covering it
  std::vector<int> findings;  // rule findings covering it
  std::string cleared;        // reason of a `clear:` entry, if any
  bool covered() const { return !threats.empty() || !findings.empty() || !cleared.empty(); }
};

struct CoverageRow {
  model::TargetKind kind = model::TargetKind::element;
  int index = -1;
  std::vector<CoverageCell> cells;  // six, in STRIDE order
};

struct Coverage {
  std::vector<CoverageRow> rows;  // elements in file order, then flows
  int applicable = 0;
  int covered = 0;
  double percent() const { return applicable == 0 ? 100.0 : 100.0 * covered / applicable; }
};

struct Metrics {
  std::vector<std::pair<std::string, int>> per_bucket;  // bucket name -> count, top first
  std::vector<std::pair<std::string, int>> per_status;  // status -> count, enumeration order
  int open_top = 0;        // open items in the top bucket
  int open_second = 0;     // open items in the second bucket
  std::optional<double> mean_days_to_remediate;
};

struct Analysis {
  Date today;
  std::vector<BoundaryCrossing> crossings;  // in flow order
  std::vector<RuleFinding> findings;        // sorted by rule id then target order
  Coverage coverage;
  std::vector<RankedItem> ranked;           // highest risk first, ties by file order
  Metrics metrics;
  bool done = false;      // gate: nothing open (and not baselined) at or above the fail-on bucket
  int baselined = 0;      // open items the baseline holds
  std::vector<std::string> baseline_gone;  // ids of baseline entries no longer open, as recorded
  bool stale = false;
  std::optional<Date> stale_since;
};

}  // namespace tmc::analyze
