#include "analyze/analyze.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>

#include "analyze/cvss.h"
#include "analyze/facts.h"
#include "analyze/fingerprint.h"
#include "analyze/scoring.h"
#include "analyze/zones.h"
#include "base/suggest.h"

namespace tmc::analyze {

const char* to_string(FindingStatus status) {
  switch (status) {
    case FindingStatus::open: return "open";
    case FindingStatus::addressed: return "addressed";
    case FindingStatus::dismissed: return "dismissed";
  }
  return "open";
}

bool is_resolved(model::ThreatStatus status) {
  return status == model::ThreatStatus::mitigated || status == model::ThreatStatus::accepted ||
         status == model::ThreatStatus::transferred || status == model::ThreatStatus::eliminated;
}

model::StrideSet applicable_letters(const model::Model& model, model::TargetKind kind, int index) {
  using model::Stride;
  using model::bit;
  if (kind == model::TargetKind::flow) return bit(Stride::T) | bit(Stride::I) | bit(Stride::D);
  if (kind != model::TargetKind::element) return 0;
  const model::Element& e = model.elements[static_cast<size_t>(index)];
  switch (e.type) {
    case model::ElementType::external: return bit(Stride::S) | bit(Stride::R);
    case model::ElementType::process: return 0x3F;
    case model::ElementType::store:
      return static_cast<model::StrideSet>(bit(Stride::T) | bit(Stride::I) | bit(Stride::D) |
                                           (e.store == model::StoreKind::log ? bit(Stride::R) : 0));
  }
  return 0;
}

std::optional<Date> acceptance_end(const model::Model& model, const model::Threat& threat) {
  if (threat.accepted_until) return threat.accepted_until;
  if (model.reviewed) return model.reviewed->plus_days(model.review_every);
  return std::nullopt;
}

namespace {

// The rule that reports an undeclared crossing as a finding.
constexpr std::string_view kUndeclaredCrossingRule = "TMC-CROSSING-UNDECLARED";

// An undeclared crossing is reported once: as the finding of
// TMC-CROSSING-UNDECLARED (ranked, gated, answerable), and as a warning
// only when no such finding (open, addressed or dismissed) stands for the
// flow, e.g. the rule is switched off by a `rules:` setting. Under
// --strict it is always an error, so that CI fails on it.
void check_crossing_declarations(const model::Model& model, const std::vector<BoundaryCrossing>& crossings,
                                 const std::vector<RuleFinding>& findings, DiagnosticSink& sink) {
  std::vector<bool> reported(model.flows.size(), false);
  for (const RuleFinding& finding : findings) {
    if (finding.rule == kUndeclaredCrossingRule && finding.target_kind == model::TargetKind::flow) {
      reported[static_cast<size_t>(finding.target)] = true;
    }
  }
  for (const BoundaryCrossing& crossing : crossings) {
    const model::Flow& flow = model.flows[static_cast<size_t>(crossing.flow)];
    if (flow.response_to_index >= 0) continue;  // a response travels under its request's declarations
    if (!sink.strict() && reported[static_cast<size_t>(crossing.flow)]) continue;
    std::vector<std::string> missing;
    if (!flow.authentication) missing.push_back("authentication");
    if (!flow.authorization) missing.push_back("authorization");
    if (!flow.validation) missing.push_back("validation");
    if (missing.empty()) continue;
    std::string list;
    for (size_t i = 0; i < missing.size(); ++i) {
      list += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + ("'" + missing[i] + "'");
    }
    sink.strict_warning("undeclared-crossing", flow.location,
                        fmt::format("flow '{}' crosses a trust boundary but does not declare {} (a mechanism, or "
                                    "'none')",
                                    flow.id, list));
  }
}

void check_rule_references(const model::Model& model, const RuleLibrary& rules,
                           const std::vector<RuleFinding>& findings, DiagnosticSink& sink) {
  std::vector<std::string> ids = rules.ids();
  for (const model::Threat& threat : model.threats) {
    if (threat.rule && rules.find(threat.rule->value) < 0) {
      sink.warning("unknown-rule", threat.rule->location,
                   fmt::format("unknown rule '{}'{}", threat.rule->value, did_you_mean(threat.rule->value, ids)));
    }
  }
  for (size_t d = 0; d < model.dismissed.size(); ++d) {
    const model::Dismissal& dismissal = model.dismissed[d];
    if (rules.find(dismissal.rule.value) < 0) {
      sink.warning("unknown-rule", dismissal.rule.location,
                   fmt::format("unknown rule '{}'{}", dismissal.rule.value, did_you_mean(dismissal.rule.value, ids)));
      continue;
    }
    bool used = std::any_of(findings.begin(), findings.end(), [&](const RuleFinding& f) { return f.dismissal == static_cast<int>(d); });
    if (!used) {
      sink.warning("stale-dismissal", dismissal.location,
                   fmt::format("rule '{}' reports nothing on '{}' any more; remove this dismissal", dismissal.rule.value,
                               dismissal.target.value));
    }
  }
}

Coverage compute_coverage(const model::Model& model, const std::vector<RuleFinding>& findings) {
  // Threats and findings by target (elements, then flows, by index), so
  // each row looks only at its own.
  const size_t elements = model.elements.size();
  auto slot = [&](model::TargetKind kind, int index) -> std::optional<size_t> {
    if (index < 0) return std::nullopt;
    if (kind == model::TargetKind::element && static_cast<size_t>(index) < elements) return static_cast<size_t>(index);
    if (kind == model::TargetKind::flow && static_cast<size_t>(index) < model.flows.size()) {
      return elements + static_cast<size_t>(index);
    }
    return std::nullopt;
  };
  std::vector<std::vector<int>> threats_on(elements + model.flows.size()), findings_on(elements + model.flows.size());
  for (size_t t = 0; t < model.threats.size(); ++t) {
    for (const model::TargetRef& target : model.threats[t].targets) {
      if (auto at = slot(target.kind, target.index)) threats_on[*at].push_back(static_cast<int>(t));
    }
  }
  for (size_t f = 0; f < findings.size(); ++f) {
    if (auto at = slot(findings[f].target_kind, findings[f].target)) findings_on[*at].push_back(static_cast<int>(f));
  }
  Coverage coverage;
  coverage.rows.reserve(elements + model.flows.size());
  auto add_rows = [&](model::TargetKind kind, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      CoverageRow row;
      row.kind = kind;
      row.index = static_cast<int>(i);
      row.cells.reserve(model::kStrideCount);
      model::StrideSet applicable = applicable_letters(model, kind, row.index);
      const std::vector<model::Clearance>& clear =
          kind == model::TargetKind::element ? model.elements[i].clear : model.flows[i].clear;
      const size_t at = kind == model::TargetKind::element ? i : elements + i;
      const std::vector<int>& row_threats = threats_on[at];
      const std::vector<int>& row_findings = findings_on[at];
      for (int l = 0; l < model::kStrideCount; ++l) {
        CoverageCell cell;
        cell.letter = static_cast<model::Stride>(l);
        cell.applicable = model::has(applicable, cell.letter);
        for (int t : row_threats) {
          if (model::has(model.threats[static_cast<size_t>(t)].stride, cell.letter)) cell.threats.push_back(t);
        }
        for (int f : row_findings) {
          if (model::has(findings[static_cast<size_t>(f)].stride, cell.letter)) cell.findings.push_back(f);
        }
        for (const model::Clearance& c : clear) {
          if (c.letter == cell.letter) cell.cleared = c.reason;
        }
        if (cell.applicable) {
          ++coverage.applicable;
          if (cell.covered()) ++coverage.covered;
        }
        row.cells.push_back(std::move(cell));
      }
      coverage.rows.push_back(std::move(row));
    }
  };
  add_rows(model::TargetKind::element, elements);
  add_rows(model::TargetKind::flow, model.flows.size());
  return coverage;
}

std::vector<RankedItem> rank(const model::Model& model, const std::vector<RuleFinding>& findings, Date today) {
  std::vector<RankedItem> items;
  items.reserve(model.threats.size() +
                static_cast<size_t>(std::count_if(findings.begin(), findings.end(), [](const RuleFinding& f) {
                  return f.status == FindingStatus::open;
                })));
  for (size_t t = 0; t < model.threats.size(); ++t) {
    const model::Threat& threat = model.threats[t];
    RankedItem item;
    item.kind = RankedItem::Kind::threat;
    item.index = static_cast<int>(t);
    item.risk = threat.risk();
    item.bucket = bucket_for(model.scale, item.risk);
    item.resolved = is_resolved(threat.status);
    if (threat.status == model::ThreatStatus::accepted) {
      item.accepted_until = acceptance_end(model, threat);
      if (item.accepted_until && *item.accepted_until < today) {
        item.acceptance_expired = true;
        item.resolved = false;
      }
    }
    items.push_back(std::move(item));
  }
  for (size_t f = 0; f < findings.size(); ++f) {
    if (findings[f].status != FindingStatus::open) continue;
    RankedItem item;
    item.kind = RankedItem::Kind::finding;
    item.index = static_cast<int>(f);
    item.risk = findings[f].risk();
    item.bucket = bucket_for(model.scale, item.risk);
    items.push_back(std::move(item));
  }
  // Sort positions, not the items (each holds strings), then put every
  // item in its place by following the permutation's cycles (in place: a
  // second vector of items would double the peak of a large check).
  std::vector<uint32_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    const RankedItem& a = items[x];
    const RankedItem& b = items[y];
    if (a.risk != b.risk) return a.risk > b.risk;
    return a.kind == RankedItem::Kind::threat && b.kind == RankedItem::Kind::finding;
  });
  // Position p receives items[order[p]].
  for (size_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    RankedItem held = std::move(items[start]);
    size_t at = start;
    while (order[at] != start) {
      size_t from = order[at];
      items[at] = std::move(items[from]);
      order[at] = static_cast<uint32_t>(at);
      at = from;
    }
    items[at] = std::move(held);
    order[at] = static_cast<uint32_t>(at);
  }
  return items;
}

Metrics compute_metrics(const model::Model& model, const std::vector<RankedItem>& ranked) {
  Metrics metrics;
  for (const RiskBucket& bucket : buckets_of(model.scale)) {
    int count = static_cast<int>(std::count_if(ranked.begin(), ranked.end(),
                                               [&](const RankedItem& i) { return i.bucket.rank == bucket.rank; }));
    metrics.per_bucket.emplace_back(bucket.name, count);
  }
  for (int s = 0; s <= static_cast<int>(model::ThreatStatus::eliminated); ++s) {
    auto status = static_cast<model::ThreatStatus>(s);
    int count = static_cast<int>(std::count_if(model.threats.begin(), model.threats.end(),
                                               [&](const model::Threat& t) { return t.status == status; }));
    metrics.per_status.emplace_back(model::to_string(status), count);
  }
  for (const RankedItem& item : ranked) {
    if (item.resolved) continue;
    if (item.bucket.rank == 0) ++metrics.open_top;
    if (item.bucket.rank == 1) ++metrics.open_second;
  }
  long days = 0;
  int resolved = 0;
  for (const model::Threat& threat : model.threats) {
    if (threat.identified && threat.resolved && *threat.resolved >= *threat.identified) {
      days += threat.resolved->days_since_epoch() - threat.identified->days_since_epoch();
      ++resolved;
    }
  }
  if (resolved > 0) metrics.mean_days_to_remediate = static_cast<double>(days) / resolved;
  return metrics;
}

std::set<std::string> title_words(const std::string& title) {
  std::set<std::string> words;
  std::string word;
  for (char c : title + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      if (word.size() > 2) words.insert(word);
      word.clear();
    }
  }
  return words;
}

// A `clear:` entry for a letter that does not apply to the shape.
void check_clearances(const model::Model& model, DiagnosticSink& sink) {
  auto check = [&](model::TargetKind kind, int index, const std::vector<model::Clearance>& clear, const std::string& id) {
    model::StrideSet applicable = applicable_letters(model, kind, index);
    for (const model::Clearance& c : clear) {
      if (model::has(applicable, c.letter)) continue;
      sink.warning("clear-not-applicable", c.location,
                   fmt::format("'{}' is cleared on '{}', but {} does not apply to {} (applicable: {})", model::letter(c.letter), id,
                               model::letter(c.letter), kind == model::TargetKind::flow ? "a flow" : "this kind of element",
                               [&] {
                                 std::string letters;
                                 for (int l = 0; l < model::kStrideCount; ++l) {
                                   if (model::has(applicable, static_cast<model::Stride>(l))) letters += model::letter(static_cast<model::Stride>(l));
                                 }
                                 return letters;
                               }()));
    }
  };
  for (size_t e = 0; e < model.elements.size(); ++e) check(model::TargetKind::element, static_cast<int>(e), model.elements[e].clear, model.elements[e].id);
  for (size_t f = 0; f < model.flows.size(); ++f) check(model::TargetKind::flow, static_cast<int>(f), model.flows[f].clear, model.flows[f].id);
}

// Acceptances that ended, or that never end; mitigations past their due date.
void check_dates(const model::Model& model, const std::vector<RankedItem>& ranked, const AnalyzeOptions& options,
                 DiagnosticSink& sink) {
  for (const RankedItem& item : ranked) {
    if (item.kind != RankedItem::Kind::threat) continue;
    const model::Threat& threat = model.threats[static_cast<size_t>(item.index)];
    if (threat.status != model::ThreatStatus::accepted) continue;
    SourceLocation at = threat.accepted_until ? threat.accepted_until_location : threat.location;
    if (item.acceptance_expired) {
      sink.warning("acceptance-expired", at,
                   fmt::format("the acceptance of threat '{}' ended on {} ({}); it counts as open again until it "
                               "is reviewed and accepted anew",
                               threat.id, item.accepted_until->to_string(),
                               threat.accepted_until ? "its accepted_until" : "the model's review was due"));
    } else if (!item.accepted_until) {
      sink.warning("acceptance-without-expiry", threat.location,
                   fmt::format("threat '{}' is accepted with no end: give it 'accepted_until: YYYY-MM-DD' (or give "
                               "the model a 'reviewed' date, which ends acceptances when the review is due)",
                               threat.id));
    }
  }
  for (const model::Threat& threat : model.threats) {
    if (is_resolved(threat.status)) continue;  // mitigated with open mitigations is a model error
    for (const model::Mitigation& m : threat.mitigations) {
      if (!m.due || !(*m.due < options.today)) continue;
      if (m.status == model::MitigationStatus::done || m.status == model::MitigationStatus::verified) continue;
      std::string name = !m.id.empty() ? "mitigation " + m.id : "a mitigation";
      std::string message = fmt::format("{} of threat '{}' was due on {} and is still {}{}", name, threat.id,
                                        m.due->to_string(), model::to_string(m.status),
                                        m.owner.empty() ? "" : " (owner: " + m.owner + ")");
      if (options.fail_on_overdue) {
        sink.error("overdue-mitigation", m.location, message);
      } else {
        sink.warning("overdue-mitigation", m.location, message);
      }
    }
  }
}

void apply_baseline(Analysis& analysis, const Baseline& baseline) {
  std::set<std::string> open;
  std::set<std::string> held_by_baseline;
  for (const BaselineEntry& entry : baseline.entries) held_by_baseline.insert(entry.fingerprint);
  for (RankedItem& item : analysis.ranked) {
    if (item.resolved) continue;
    open.insert(item.fingerprint);
    if (held_by_baseline.count(item.fingerprint) > 0) {
      item.baselined = true;
      ++analysis.baselined;
    }
  }
  for (const BaselineEntry& entry : baseline.entries) {
    if (open.count(entry.fingerprint) == 0) {
      analysis.baseline_gone.push_back(entry.id.empty() ? entry.fingerprint : entry.id);
    }
  }
}

void check_cvss(const model::Model& model, DiagnosticSink& sink) {
  for (const model::Threat& threat : model.threats) {
    if (!threat.cvss) continue;
    auto result = score_cvss(threat.cvss->value);
    if (const auto* error = std::get_if<CvssError>(&result)) {
      SourceLocation at = threat.cvss->location;
      // Point inside the scalar: a quoted one (YAML quotes, every JSON
      // string) spans its two quotes, and its text starts one column later.
      bool quoted = at.length == threat.cvss->value.size() + 2;
      at.column += static_cast<uint32_t>(error->offset) + (quoted ? 1 : 0);
      at.length = static_cast<uint32_t>(std::max<size_t>(1, error->length));
      sink.error("invalid-cvss", at, error->message);
    }
  }
}

void check_hygiene(const model::Model& model, DiagnosticSink& sink) {
  if (static_cast<int>(model.threats.size()) > model.max_threats) {
    sink.warning("too-many-threats", model.threats[static_cast<size_t>(model.max_threats)].location,
                 fmt::format("the model records {} threats, more than {}; merge similar ones and drop the bottom of "
                             "the list (or raise 'max_threats')",
                             model.threats.size(), model.max_threats));
  }
  // Likely duplicates: same target, a shared letter, similar titles.
  std::vector<std::set<std::string>> words;
  for (const model::Threat& threat : model.threats) words.push_back(title_words(threat.title));
  std::map<std::pair<int, int>, std::vector<size_t>> by_target;
  for (size_t t = 0; t < model.threats.size(); ++t) {
    for (const model::TargetRef& target : model.threats[t].targets) {
      by_target[{static_cast<int>(target.kind), target.index}].push_back(t);
    }
  }
  std::set<std::pair<size_t, size_t>> reported;
  for (const auto& [target, threats] : by_target) {
    for (size_t i = 0; i < threats.size(); ++i) {
      for (size_t j = i + 1; j < threats.size() && j < i + 64; ++j) {
        size_t a = threats[i], b = threats[j];
        if ((model.threats[a].stride & model.threats[b].stride) == 0 || reported.count({a, b})) continue;
        size_t shared = 0;
        for (const std::string& w : words[a]) shared += words[b].count(w);
        size_t all = words[a].size() + words[b].size() - shared;
        if (all == 0 || static_cast<double>(shared) / static_cast<double>(all) < 0.6) continue;
        reported.insert({a, b});
        sink.warning("likely-duplicate", model.threats[b].location,
                     fmt::format("threat '{}' looks like a duplicate of '{}' (same target, letter and similar title); "
                                 "merge them",
                                 model.threats[b].id, model.threats[a].id),
                     {{model.threats[a].location, "the other threat"}});
      }
    }
  }
}

}  // namespace

Analysis analyze(const model::Model& model, const RuleLibrary& rules, const AnalyzeOptions& options,
                 DiagnosticSink& sink) {
  Analysis analysis;
  analysis.today = options.today;
  analysis.crossings = compute_crossings(model);
  const ModelFacts facts = compute_facts(model);
  RuleRunOptions run;
  run.raises = options.raises;
  run.facts = &facts;
  analysis.findings = run_rules(model, analysis.crossings, rules, run);
  if (options.fact_notes) {
    for (const FactNote& note : fact_notes(model, facts)) {
      if (sink.full()) break;
      const SourceLocation& at = note.at                                   ? *note.at
                                 : note.kind == model::TargetKind::flow ? model.flows[static_cast<size_t>(note.index)].location
                                                                        : model.elements[static_cast<size_t>(note.index)].location;
      sink.note("unstated-fact", at, note.message);
    }
  }
  check_crossing_declarations(model, analysis.crossings, analysis.findings, sink);
  check_rule_references(model, rules, analysis.findings, sink);
  if (options.coverage) analysis.coverage = compute_coverage(model, analysis.findings);
  analysis.ranked = rank(model, analysis.findings, options.today);
  if (options.fingerprints || options.baseline != nullptr) {
    for (RuleFinding& finding : analysis.findings) finding.fingerprint = fingerprint(finding);
    for (RankedItem& item : analysis.ranked) {
      item.fingerprint = item.kind == RankedItem::Kind::finding ? analysis.findings[static_cast<size_t>(item.index)].fingerprint
                                                                : fingerprint(model, analysis.findings, item);
    }
  }
  if (options.baseline != nullptr) apply_baseline(analysis, *options.baseline);
  check_dates(model, analysis.ranked, options, sink);
  analysis.metrics = compute_metrics(model, analysis.ranked);
  check_hygiene(model, sink);
  check_cvss(model, sink);
  check_clearances(model, sink);

  if (model.reviewed) {
    Date due = model.reviewed->plus_days(model.review_every);
    if (due < options.today) {
      analysis.stale = true;
      analysis.stale_since = due;
      std::string message = fmt::format("the model was last reviewed on {} and is stale since {} (review_every: {} days)",
                                        model.reviewed->to_string(), due.to_string(), model.review_every);
      if (options.fail_on_stale) {
        sink.error("stale-model", model.reviewed_location, message);
      } else {
        sink.warning("stale-model", model.reviewed_location, message);
      }
    }
  }
  analysis.done = true;
  if (options.fail_on_rank >= 0) {
    for (const RankedItem& item : analysis.ranked) {
      if (!item.resolved && !item.baselined && item.bucket.rank <= options.fail_on_rank) analysis.done = false;
    }
  }
  return analysis;
}

}  // namespace tmc::analyze
