// Comparing two versions of a model (SPEC 2.9): what changed between two
// analyzed models, and whether the change needs a security review.
//
// Items are matched by id. An item whose id changed but which is otherwise
// the same (ignoring the cosmetic fields: names, descriptions, labels,
// owners) is a rename, and references to it on the other side are read
// through the rename, so renaming an element does not make its flows,
// threats and findings look new. Cosmetic edits (descriptions, names,
// reordering, comments) are listed but never make the verdict.
//
// The verdict is "needs security review" when any reason below is found,
// ranked in this order:
//   1. a new crossing without defenses (authentication, authorization or
//      validation absent or none, or not encrypted);
//   2. a sensitive data class (pii, payment, health, credentials, secret,
//      financial) newly on a crossing flow or a flow to/from an external,
//      where no flow of the old model carried it between the same zones;
//   3. a new open finding at or above DiffOptions::finding_rank;
//   4. a weakened crossing or element (a defense turned to none or removed,
//      a control removed, encryption lost, the source moved to a less
//      trusted zone; an element made internet-facing or given a higher
//      privilege);
//   5. an attack tree whose cheapest attack got cheaper;
//   6. a mitigation whose status went backwards;
//   7. a risk newly accepted or transferred, or a finding newly dismissed;
//   8. a rule switched off or down-scored in the model's `rules:`;
//   9. an open finding gone while its target stays, with no control added
//      to the target, no threat, dismissal or rule setting answering it
//      (a changed `kind` or `accepts` made it vanish);
//  10. a new element or crossing with an applicable STRIDE letter that no
//      threat, finding or clearance covers;
//  11. a `review_when` trigger of the model that the change matches.
// Analyses never print: renderers in render/diff_render.h turn the result
// into text, Markdown, JSON and GitHub annotations.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/analysis.h"
#include "base/date.h"
#include "base/source.h"
#include "model/model.h"

namespace tmc::analyze {

// One side of the comparison.
struct ModelSide {
  const model::Model& model;
  const Analysis& analysis;
};

enum class ItemKind { model, boundary, asset, actor, element, flow, crossing, threat, dismissal };
const char* to_string(ItemKind kind);  // "model", "boundary", ...

enum class ChangeKind { added, removed, changed, renamed };
const char* to_string(ChangeKind kind);  // "added", "removed", "changed", "renamed"

// One field that differs. Values are display text ("" = absent); lists
// are sorted and joined with ", ".
struct FieldChange {
  std::string field;
  std::string before;
  std::string after;
  bool cosmetic = false;  // a name, description, label or owner
};

struct ItemChange {
  ItemKind kind = ItemKind::element;
  ChangeKind change = ChangeKind::changed;
  std::string id;      // the id after the change (before, when removed)
  std::string old_id;  // renamed: the id before
  std::vector<FieldChange> fields;  // changed and renamed items
  SourceLocation before;  // in the old side's sources (unknown when added)
  SourceLocation after;   // in the new side's sources (unknown when removed)
  bool cosmetic_only() const;  // changed, and every field cosmetic
};

enum class ReasonKind {
  crossing_without_defenses,
  sensitive_data_across_boundary,
  new_open_finding,
  weakened,
  attack_cheaper,
  mitigation_regressed,
  risk_accepted,
  rule_weakened,
  finding_vanished,
  coverage_hole,
  review_trigger,
};
const char* to_string(ReasonKind kind);  // "crossing-without-defenses", ...
const char* describe(ReasonKind kind);   // "new crossing without defenses", ...

// Why the change needs a review: one line about one subject.
struct ReviewReason {
  ReasonKind kind = ReasonKind::coverage_hole;
  std::string subject;       // the id the reason is about
  std::string message;       // plain text; renderers escape it
  SourceLocation location;   // where to look (new side; old side when `in_before`)
  bool in_before = false;
};

// A rule finding that became open, or stopped being open.
struct FindingChange {
  std::string rule;
  std::string target;  // target id (new side's id for new findings)
  std::string title;
  std::string why;
  RiskBucket bucket;
  int risk = 0;
  std::string resolution;    // resolved findings: "addressed by T3", "dismissed", "gone"
  SourceLocation location;   // new side for new findings, old side for resolved ones
};

// The cheapest attack of one tree before and after the change (with the
// mitigations of each side).
struct TreeChange {
  std::string id;
  std::string goal;
  std::optional<double> before;  // nullopt: the tree is new
  std::optional<double> after;   // nullopt: the tree was removed
  SourceLocation location;       // new side, or old side when removed
};

struct ModelDiff {
  std::vector<ItemChange> changes;            // by kind (enumeration order), then file order
  std::vector<FindingChange> new_findings;    // highest risk first, then rule and target
  std::vector<FindingChange> resolved_findings;
  std::vector<TreeChange> trees;              // trees whose cheapest attack changed, added or removed
  std::vector<ReviewReason> reasons;          // ranked (ReasonKind order, then file order)
  std::vector<std::string> matched_triggers;  // review_when entries this change matches
  int scale = 3;                              // of the new side
  bool stale = false;                         // the new side is past its review date
  std::optional<Date> stale_since;
  bool needs_review() const { return !reasons.empty(); }
};

struct DiffOptions {
  int finding_rank = 1;  // new open findings in this bucket rank or above are a reason (0 = top)
};

// Compares two analyzed models. Linear in their size (maps by id), apart
// from attack-tree evaluation. Never fails.
ModelDiff diff_models(const ModelSide& before, const ModelSide& after, const DiffOptions& options = {});

// How a finding is recognised across the two versions: its rule and its
// target's id (the old side's target id read through renames). The one
// place to change when findings get a shared fingerprint.
std::string finding_identity(std::string_view rule, std::string_view target_id);

}  // namespace tmc::analyze
