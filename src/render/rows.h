// The ranked list flattened into rows: one per recorded threat and open
// rule finding, highest risk first. Every table-shaped output (Markdown,
// HTML, CSV, SARIF, backlog) reads these rows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "render/render.h"

namespace tmc::render {

struct Row {
  std::string id;          // "T1", or "TMC-IDOR:api" for a finding
  bool is_finding = false;
  std::string rule;        // the finding's rule, or the threat's `rule:`
  std::string targets;     // target ids, comma separated
  std::vector<std::string> target_ids;
  std::string title;
  std::string description; // the threat's description, or why the finding fired
  std::string stride;      // letters, e.g. "SI"
  std::string privacy;     // LINDDUN words, comma separated
  int likelihood = 0, impact = 0, risk = 0;
  analyze::RiskBucket bucket;
  std::string status;      // threat status ("accepted until D, expired" when it ended), or "open" for a finding
  std::string fingerprint; // analyze/fingerprint.h
  std::string accepted_until;       // accepted threats: the last day the acceptance holds ("" = no end)
  bool acceptance_expired = false;  // that day has passed: the threat is open again
  bool resolved = false;
  std::string mitigation;  // every mitigation, "; " separated (or the rule's suggestion)
  std::string owner;       // owners of mitigations not yet done
  std::string due;         // earliest due date of mitigations not yet done
  std::string identified;
  std::string cvss;
  SourceLocation location;
  const model::Threat* threat = nullptr;
  const analyze::RuleFinding* finding = nullptr;
};

std::vector<Row> ranked_rows(const RenderInput& input);
// The row of one item of the ranked list; streaming renderers build one
// row at a time instead of holding them all.
Row ranked_row(const RenderInput& input, const analyze::RankedItem& item);

// Calls `visit(row)` with the row of every item of the ranked list in
// order, built one at a time (a 10k-element model has 40,000 items, whose
// rows copy their text); `threats_only` skips the rule findings' rows.
template <class Visit>
void for_each_row(const RenderInput& input, bool threats_only, Visit visit) {
  for (const analyze::RankedItem& item : input.analysis.ranked) {
    if (threats_only && item.kind != analyze::RankedItem::Kind::threat) continue;
    visit(ranked_row(input, item));
  }
}

std::string stride_letters(model::StrideSet set);

enum class Declaration { authentication, authorization, validation };
// What a crossing table shows for a flow's authentication, authorization or
// validation: its own declaration; for a response (response_to) that
// declares nothing, its request's, as "response to ID: TEXT" (or "response
// to ID" when the request declares nothing either). nullopt: not declared.
std::optional<std::string> crossing_declaration(const model::Model& model, const model::Flow& flow, Declaration which);
std::string privacy_words(model::PrivacySet set);
bool mitigation_done(const model::Mitigation& mitigation);

}  // namespace tmc::render
