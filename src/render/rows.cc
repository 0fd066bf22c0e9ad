#include "render/rows.h"

#include <algorithm>

namespace tmc::render {

std::string stride_letters(model::StrideSet set) {
  std::string out;
  for (int l = 0; l < model::kStrideCount; ++l) {
    if (model::has(set, static_cast<model::Stride>(l))) out += model::letter(static_cast<model::Stride>(l));
  }
  return out;
}

std::string privacy_words(model::PrivacySet set) {
  std::string out;
  for (const char* name : model::privacy_names(set)) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

namespace {
// Joins sentences and phrases: "A." + "B" -> "A. B"; "A" + "B" -> "A; B".
void append_part(std::string& text, const std::string& part) {
  if (!text.empty()) text += text.back() == '.' ? " " : "; ";
  text += part;
}
}  // namespace

bool mitigation_done(const model::Mitigation& mitigation) {
  return mitigation.status == model::MitigationStatus::done || mitigation.status == model::MitigationStatus::verified;
}

Row ranked_row(const RenderInput& input, const analyze::RankedItem& item) {
  const model::Model& m = input.model;
  Row row;
  row.risk = item.risk;
  row.bucket = item.bucket;
  row.resolved = item.resolved;
  row.fingerprint = item.fingerprint;
  if (item.kind == analyze::RankedItem::Kind::threat) {
    const model::Threat& t = m.threats[static_cast<size_t>(item.index)];
    row.threat = &t;
    row.id = t.id;
    row.rule = t.rule ? t.rule->value : "";
    for (const model::TargetRef& target : t.targets) {
      row.target_ids.push_back(target.id.value);
      row.targets += (row.targets.empty() ? "" : ", ") + target.id.value;
    }
    row.title = t.title;
    row.description = t.description;
    row.stride = stride_letters(t.stride);
    row.privacy = privacy_words(t.privacy);
    row.likelihood = t.likelihood;
    row.impact = t.impact;
    row.status = model::to_string(t.status);
    if (item.accepted_until) row.accepted_until = item.accepted_until->to_string();
    row.acceptance_expired = item.acceptance_expired;
    if (item.acceptance_expired) row.status = "accepted until " + row.accepted_until + ", expired";
    std::vector<std::string> owners;
    std::optional<Date> due;
    for (const model::Mitigation& mitigation : t.mitigations) {
      append_part(row.mitigation, mitigation.description);
      if (mitigation_done(mitigation)) continue;
      if (!mitigation.owner.empty() && std::find(owners.begin(), owners.end(), mitigation.owner) == owners.end()) {
        owners.push_back(mitigation.owner);
      }
      if (mitigation.due && (!due || *mitigation.due < *due)) due = mitigation.due;
    }
    if (t.status == model::ThreatStatus::accepted) {
      append_part(row.mitigation, "Accepted by " + t.accepted_by + ": " + t.reason);
      if (item.acceptance_expired) {
        append_part(row.mitigation, "The acceptance ended on " + item.accepted_until->to_string() + "; review it");
      }
    }
    if (t.status == model::ThreatStatus::transferred) append_part(row.mitigation, "Transferred to " + t.transferred_to + ": " + t.reason);
    for (const std::string& owner : owners) row.owner += (row.owner.empty() ? "" : ", ") + owner;
    if (due) row.due = due->to_string();
    if (t.identified) row.identified = t.identified->to_string();
    if (t.cvss) row.cvss = t.cvss->value;
    row.location = t.location;
  } else {
    const analyze::RuleFinding& f = input.analysis.findings[static_cast<size_t>(item.index)];
    row.finding = &f;
    row.is_finding = true;
    row.id = f.rule + ":" + f.target_id;
    row.rule = f.rule;
    row.targets = f.target_id;
    row.target_ids = {f.target_id};
    row.title = f.title;
    row.description = f.why;
    row.stride = stride_letters(f.stride);
    row.privacy = privacy_words(f.privacy);
    row.likelihood = f.likelihood;
    row.impact = f.impact;
    row.status = "open";
    row.mitigation = f.mitigation;
    // No date: a finding has no day it was first seen (a baseline records
    // that), and today's date would change the register on every run.
    row.location = f.location;
  }
  return row;
}

std::vector<Row> ranked_rows(const RenderInput& input) {
  std::vector<Row> rows;
  rows.reserve(input.analysis.ranked.size());
  for (const analyze::RankedItem& item : input.analysis.ranked) rows.push_back(ranked_row(input, item));
  return rows;
}

std::optional<std::string> crossing_declaration(const model::Model& model, const model::Flow& flow, Declaration which) {
  auto of = [&](const model::Flow& f) -> const std::optional<model::Text>& {
    return which == Declaration::authentication ? f.authentication
           : which == Declaration::authorization ? f.authorization
                                                 : f.validation;
  };
  if (of(flow)) return of(flow)->value;
  if (flow.response_to_index < 0) return std::nullopt;
  const model::Flow& request = model.flows[static_cast<size_t>(flow.response_to_index)];
  std::string out = "response to " + request.id;
  if (of(request)) out += ": " + of(request)->value;
  return out;
}

}  // namespace tmc::render
