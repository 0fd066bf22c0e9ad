// Markdown: the brief one-file report, the full report, and the backlog
// issues. Renders well on common forges; the DFD is a Mermaid block.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "analyze/attack_tree.h"
#include "analyze/scoring.h"
#include "base/json_text.h"
#include "render/attack_tree_render.h"
#include "render/escape.h"
#include "render/render.h"
#include "render/rows.h"

namespace tmc::render {

namespace {

std::string md(std::string_view text) { return markdown_escape(text); }

// A code span in a table cell: there GFM reads "\|" as '|', inside code too.
std::string cell_code(std::string_view text) {
  std::string out;
  for (char c : markdown_code(text)) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

// A fenced block whose fence is longer than any backtick run inside.
std::string fenced(const std::string& content, const std::string& language) {
  size_t longest = 0, run = 0;
  for (char c : content) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(std::max<size_t>(3, longest + 1), '`');
  return fence + language + "\n" + content + (content.ends_with("\n") ? "" : "\n") + fence + "\n";
}

std::string verdict(const RenderInput& input) {
  const analyze::Analysis& a = input.analysis;
  std::string out = a.done ? "**Done**: every item in the top bucket is mitigated, accepted, transferred or eliminated."
                           : fmt::format("**Not done**: {} open item(s) in the top bucket.", a.metrics.open_top);
  if (a.stale) out += fmt::format(" The model is **stale** (a review was due on {}).", a.stale_since->to_string());
  return out;
}

void threat_table(const RenderInput& input, bool with_status_details, Sink& out) {
  out.write("| # | Threat | Target | Class | L | I | L×I | Bucket | Status |\n|---|---|---|---|---|---|---|---|---|\n");
  for_each_row(input, false, [&](const Row& row) {
    std::string classes = row.stride;
    if (!row.privacy.empty()) classes += (classes.empty() ? "" : " ") + row.privacy;
    std::string status = row.is_finding ? "open (rule finding)" : row.status;
    if (with_status_details && row.threat != nullptr && row.threat->status == model::ThreatStatus::accepted) {
      status += " by " + row.threat->accepted_by;
    }
    out.write(fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", md(row.id), md(row.title), md(row.targets), md(classes),
                          row.likelihood, row.impact, row.risk, md(row.bucket.label), md(status)));
  });
}

void mitigation_list(const RenderInput& input, Sink& out) {
  int number = 0;
  for_each_row(input, true, [&](const Row& row) {
    const model::Threat& t = *row.threat;
    std::string text = fmt::format("{}. **{}** {}", ++number, md(t.id), md(t.title));
    if (t.status == model::ThreatStatus::accepted) text += fmt::format(" — accepted by {}: {}", md(t.accepted_by), md(t.reason));
    if (t.status == model::ThreatStatus::transferred) text += fmt::format(" — transferred to {}: {}", md(t.transferred_to), md(t.reason));
    if (t.status == model::ThreatStatus::eliminated) text += fmt::format(" — eliminated: {}", md(t.reason));
    text += "\n";
    for (const model::Mitigation& m : t.mitigations) {
      std::string who;
      if (!m.owner.empty()) who += md(m.owner);
      if (m.due) who += (who.empty() ? "due " : ", due ") + m.due->to_string();
      text += fmt::format("   - {} *({}{})*\n", md(m.description), model::to_string(m.status), who.empty() ? "" : "; " + who);
    }
    out.write(text);
  });
  if (number == 0) out.write("No threats recorded yet.\n");
}

std::string boundary_summary(const RenderInput& input) {
  const model::Model& m = input.model;
  std::string out;
  for (size_t b = 0; b < m.boundaries.size(); ++b) {
    int crossings = 0;
    for (const auto& c : input.analysis.crossings) {
      bool touches = std::find(c.exited.begin(), c.exited.end(), static_cast<int>(b)) != c.exited.end() ||
                     std::find(c.entered.begin(), c.entered.end(), static_cast<int>(b)) != c.entered.end();
      crossings += touches ? 1 : 0;
    }
    const model::Boundary& boundary = m.boundaries[b];
    out += fmt::format("- **{}**{}: {} crossing flow{}\n", md(boundary.name),
                       boundary.parent_index >= 0 ? " (inside " + md(m.boundaries[static_cast<size_t>(boundary.parent_index)].name) + ")" : "",
                       crossings, crossings == 1 ? "" : "s");
  }
  return out;
}

void crossing_table(const RenderInput& input, Sink& out) {
  const model::Model& m = input.model;
  if (input.analysis.crossings.empty()) return out.write("No flow crosses a trust boundary.\n");
  out.write("| Flow | From → To | Authentication | Authorization | Validation | Encrypted |\n|---|---|---|---|---|---|\n");
  for (const auto& c : input.analysis.crossings) {
    const model::Flow& f = m.flows[static_cast<size_t>(c.flow)];
    auto declared = [&](Declaration which) {
      auto text = crossing_declaration(m, f, which);
      return text ? md(*text) : std::string("*(not declared)*");
    };
    out.write(fmt::format("| {} | {} → {} | {} | {} | {} | {} |\n", md(f.id), md(f.from.value), md(f.to.value),
                          declared(Declaration::authentication), declared(Declaration::authorization),
                          declared(Declaration::validation), c.encrypted ? "yes" : "**no**"));
  }
}

std::string review_section(const RenderInput& input) {
  const model::Model& m = input.model;
  const analyze::Analysis& a = input.analysis;
  std::string out;
  if (m.reviewed) {
    out += fmt::format("Last reviewed {}; reviewed every {} days, so the next review is due {}{}.\n", m.reviewed->to_string(),
                       m.review_every, m.reviewed->plus_days(m.review_every).to_string(), a.stale ? " (**overdue**)" : "");
  } else {
    out += "No review date is recorded (`reviewed:`).\n";
  }
  if (!m.review_when.empty()) {
    out += "\nReview again when:\n\n";
    for (const std::string& when : m.review_when) out += "- " + md(when) + "\n";
  }
  out += fmt::format("\nSTRIDE coverage: {} of {} applicable (element or flow, letter) pairs are covered ({:.0f}%).\n",
                     a.coverage.covered, a.coverage.applicable, a.coverage.percent());
  return out;
}

void coverage_matrix(const RenderInput& input, Sink& out) {
  const model::Model& m = input.model;
  out.write("| Element / flow | S | T | R | I | D | E |\n|---|---|---|---|---|---|---|\n");
  for (const auto& row : input.analysis.coverage.rows) {
    bool is_flow = row.kind == model::TargetKind::flow;
    std::string id = is_flow ? m.flows[static_cast<size_t>(row.index)].id : m.elements[static_cast<size_t>(row.index)].id;
    std::string line = "| " + md(id);
    for (const auto& cell : row.cells) {
      std::string text = !cell.applicable         ? "–"
                         : !cell.threats.empty()  ? md(m.threats[static_cast<size_t>(cell.threats[0])].id)
                         : !cell.findings.empty() ? "finding"
                         : !cell.cleared.empty()  ? "cleared"
                                                  : "**gap**";
      line += " | " + text;
    }
    line += " |\n";
    out.write(line);
  }
}

std::string header(const RenderInput& input) {
  const model::Model& m = input.model;
  std::string path = m.files.empty() ? "" : m.files.front();
  return fmt::format("# Threat model: {}\n\n> Generated by tmc from {} on {}. {}\n\n", md(m.title), markdown_code(path),
                     input.analysis.today.to_string(), verdict(input));
}

}  // namespace

void report_markdown(const RenderInput& input, ReportTemplate which, const DiagramOptions& diagram, Sink& out) {
  const model::Model& m = input.model;
  DiagramOptions whole = diagram;
  out.write(header(input));
  if (which == ReportTemplate::brief) {
    out.write("## 1. What are we building?\n\n");
    if (!m.scope.empty()) out.write(md(m.scope) + "\n\n");
    if (!m.in_scope.empty()) {
      std::string list;
      for (const auto& s : m.in_scope) list += (list.empty() ? "" : ", ") + md(s);
      out.write("In scope: " + list + ".");
    }
    if (!m.out_of_scope.empty()) {
      std::string list;
      for (const auto& s : m.out_of_scope) list += (list.empty() ? "" : ", ") + md(s);
      out.write(" Out of scope: " + list + ".");
    }
    out.write("\n\n" + fenced(diagram_mermaid(input, whole), "mermaid") + "\nTrust boundaries:\n\n" + boundary_summary(input));
    out.write("\n## 2. What can go wrong?\n\n");
    threat_table(input, false, out);
    out.write("\n## 3. What are we going to do about it?\n\n");
    mitigation_list(input, out);
    out.write("\n## 4. Did we do a good job?\n\n" + review_section(input));
    return;
  }

  // The full report.
  std::string authors;
  for (const auto& a : m.authors) authors += (authors.empty() ? "" : ", ") + md(a);
  out.write("| | |\n|---|---|\n");
  out.write(fmt::format("| Scope | {} |\n| Authors | {} |\n| Date | {} |\n| Last review | {} |\n| Model | {} |\n\n",
                        md(m.scope), authors.empty() ? "–" : authors, input.analysis.today.to_string(),
                        m.reviewed ? m.reviewed->to_string() : "–", cell_code(m.files.empty() ? "" : m.files.front())));

  out.write("## 1. Executive summary\n\n" + verdict(input) + "\n\nTop risks:\n\n");
  int shown = 0;
  for (const analyze::RankedItem& item : input.analysis.ranked) {
    if (shown >= 3) break;
    if (item.resolved) continue;
    Row row = ranked_row(input, item);
    ++shown;
    out.write(fmt::format("{}. **{}** {} (risk {}, {}){}\n", shown, md(row.id), md(row.title), row.risk, md(row.bucket.label),
                          row.mitigation.empty() ? "" : ": " + md(row.mitigation)));
  }
  if (shown == 0) out.write("No open risks: every recorded threat is resolved and no rule finding is open.\n");
  int residual = 0;
  for (const analyze::RankedItem& item : input.analysis.ranked) {
    if (item.kind != analyze::RankedItem::Kind::threat) continue;
    model::ThreatStatus status = m.threats[static_cast<size_t>(item.index)].status;
    residual += status == model::ThreatStatus::accepted || status == model::ThreatStatus::transferred ? 1 : 0;
  }
  out.write(fmt::format("\nResidual risk: {} accepted or transferred threat(s), listed in section 8.\n", residual));

  out.write("\n## 2. System overview\n\n");
  if (!m.scope.empty()) out.write(md(m.scope) + "\n\n");
  out.write(fenced(diagram_mermaid(input, whole), "mermaid") + "\nThick red arrows cross a trust boundary.\n\n### Trust boundaries\n\n" +
            boundary_summary(input) + "\n### Crossings\n\n");
  crossing_table(input, out);
  if (!m.assumptions.empty()) {
    out.write("\n### Assumptions\n\n");
    for (const auto& a : m.assumptions) out.write(fmt::format("- **{}** {}\n", md(a.id), md(a.text)));
  }

  out.write("\n## 3. Assets\n\n| Asset | Classes | Owner | C | I | A |\n|---|---|---|---|---|---|\n");
  for (const auto& a : m.assets) {
    std::string classes;
    for (const auto& c : a.classes) classes += (classes.empty() ? "" : ", ") + md(c.value);
    out.write(fmt::format("| {} | {} | {} | {} | {} | {} |\n", md(a.name), classes, md(a.owner), model::to_string(a.confidentiality),
                          model::to_string(a.integrity), model::to_string(a.availability)));
  }

  out.write("\n## 4. Threat inventory\n\n");
  threat_table(input, true, out);
  std::vector<const analyze::RuleFinding*> open_findings;
  for (const analyze::RankedItem& item : input.analysis.ranked) {
    if (item.kind == analyze::RankedItem::Kind::finding) open_findings.push_back(&input.analysis.findings[static_cast<size_t>(item.index)]);
  }
  if (!open_findings.empty()) {
    out.write("\nRule findings (answer each with a threat that names the rule, or dismiss it with a reason):\n\n");
    for (const auto* f : open_findings) {
      // How the score was reached, when a raise moved it off the rule's default.
      std::string score;
      if (!f->raises.empty()) {
        std::string raises;
        for (const std::string& raise : f->raises) raises += (raises.empty() ? "" : "; ") + raise;
        score = fmt::format(" *Score:* likelihood {} × impact {} (rule default {} × {}; {}).", f->likelihood, f->impact,
                            f->default_likelihood, f->default_impact, md(raises));
      }
      out.write(fmt::format("- **{}** on {}: {}.{} *Suggested:* {}\n", md(f->rule), markdown_code(f->target_id), md(f->why), score,
                            md(f->mitigation)));
    }
  }

  out.write("\n## 5. Attack trees\n\n");
  if (m.attack_trees.empty()) out.write("No attack trees.\n");
  for (const auto& tree : m.attack_trees) {
    analyze::TreeReport report = analyze::report_tree(m, tree, {});
    out.write(fmt::format("### {}: {}\n\n", md(tree.id), md(tree.goal)));
    out.write(fmt::format("Cheapest attack: **{}** now, {} ignoring mitigations.\n\n", analyze::describe_cost(report.after.root_cost),
                          analyze::describe_cost(report.before.root_cost)));
    out.write(fenced(attack_tree_text(m, report), "text") + "\n");
  }

  out.write("\n## 6. Mitigation plan\n\n| Threat | Mitigation | Owner | Due | Status | Estimate |\n|---|---|---|---|---|---|\n");
  for_each_row(input, true, [&](const Row& row) {
    for (const auto& mit : row.threat->mitigations) {
      out.write(fmt::format("| {} | {} | {} | {} | {} | {} |\n", md(row.id), md(mit.description), md(mit.owner),
                            mit.due ? mit.due->to_string() : "–", model::to_string(mit.status), md(mit.estimate)));
    }
  });

  out.write("\n## 7. Test plan and validation\n\n| Threat | Acceptance criteria | Test | Verified |\n|---|---|---|---|\n");
  for_each_row(input, true, [&](const Row& row) {
    for (const auto& mit : row.threat->mitigations) {
      if (mit.acceptance.empty() && mit.test.empty()) continue;
      out.write(fmt::format("| {} | {} | {} | {} |\n", md(row.id), md(mit.acceptance), md(mit.test),
                            mit.status == model::MitigationStatus::verified ? "yes" : "no"));
    }
  });

  out.write("\n## 8. Residual risks and acceptance\n\n");
  bool any = false;
  for_each_row(input, true, [&](const Row& row) {
    const model::Threat& t = *row.threat;
    if (t.status == model::ThreatStatus::accepted) {
      out.write(fmt::format("- **{}** {} (risk {}): accepted by {}{}. {}{}\n", md(t.id), md(t.title), row.risk, md(t.accepted_by),
                            row.accepted_until.empty() ? "" : " until " + row.accepted_until, md(t.reason),
                            row.acceptance_expired ? " **The acceptance has ended: the threat counts as open again until it is "
                                                     "reviewed and accepted anew.**"
                                                   : ""));
      any = true;
    } else if (t.status == model::ThreatStatus::transferred) {
      out.write(fmt::format("- **{}** {} (risk {}): transferred to {}. {}\n", md(t.id), md(t.title), row.risk, md(t.transferred_to),
                            md(t.reason)));
      any = true;
    }
  });
  for (const auto& d : m.dismissed) {
    out.write(fmt::format("- Finding **{}** on {} dismissed by {}: {}\n", md(d.rule.value), markdown_code(d.target.value), md(d.by), md(d.reason)));
    any = true;
  }
  if (!any) out.write("Nothing is accepted, transferred or dismissed.\n");
  out.write("\n" + review_section(input));

  out.write("\n## Appendix\n\n### STRIDE coverage\n\n");
  coverage_matrix(input, out);
  const analyze::Metrics& metrics = input.analysis.metrics;
  out.write("\n### Metrics\n\n");
  for (const auto& [name, count] : metrics.per_bucket) out.write(fmt::format("- {}: {}\n", name, count));
  for (const auto& [name, count] : metrics.per_status) out.write(fmt::format("- status {}: {}\n", name, count));
  if (metrics.mean_days_to_remediate) out.write(fmt::format("- mean time to remediate: {:.1f} days\n", *metrics.mean_days_to_remediate));
  out.write("\nThe complete analyzed model is available as JSON: `tmc report MODEL -o model.json`.\n");
}

std::string report_markdown(const RenderInput& input, ReportTemplate which, const DiagramOptions& diagram) {
  StringSink out;
  report_markdown(input, which, diagram, out);
  return std::move(out.str());
}

namespace {
bool is_slug_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'; }

// A stable name per item: the id, never the rank, so a re-run after triage
// rewrites the same file. Characters outside [A-Za-z0-9_.-] become '-'.
std::string backlog_file_name(const Row& row) {
  std::string slug;
  for (char c : row.id) slug += is_slug_char(c) ? c : '-';
  if (row.is_finding) return "finding-" + slug + ".md";  // RULE-target: "TMC-IDOR-api"
  return "threat-" + slug + ".md";
}
}  // namespace

std::vector<BacklogFile> backlog(const RenderInput& input) {
  const model::Model& m = input.model;
  std::vector<BacklogFile> files;
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  std::string csv = "file,title,item,bucket,risk,owner,estimate,due\r\n";
  int number = 0;
  for (const Row& row : ranked_rows(input)) {
    if (row.resolved || row.bucket.rank > 1) continue;
    ++number;
    std::string name = backlog_file_name(row);
    std::string title = fmt::format("[SEC][{}] {}", row.bucket.name, row.title);
    std::string path = m.files.empty() ? "" : m.files.front();
    std::string out = fmt::format("# {}\n\n", md(title));
    out += fmt::format("Threat row: **{}** in {} line {}: risk {} (likelihood {} × impact {}), {}, status {}.\n\n", md(row.id), markdown_code(path),
                       row.location.line, row.risk, row.likelihood, row.impact, md(row.bucket.label),
                       row.is_finding ? "open rule finding" : md(row.status));
    if (!row.description.empty()) out += md(row.description) + "\n\n";
    out += fmt::format("Target: {}. STRIDE: {}.\n\n", md(row.targets), row.stride.empty() ? "–" : row.stride);
    // The target's neighbourhood in the DFD.
    int element = -1;
    for (const std::string& target : row.target_ids) {
      if (element < 0) element = m.find_element(target);
      int flow = m.find_flow(target);
      if (element < 0 && flow >= 0) element = m.flows[static_cast<size_t>(flow)].to_index;
    }
    if (element >= 0) {
      DiagramOptions focus;
      focus.focus = m.elements[static_cast<size_t>(element)].id;
      out += "## Where it is\n\n" + fenced(diagram_mermaid(input, focus), "mermaid") + "\n";
    }
    out += "## Acceptance criteria\n\n";
    std::string owner, estimate, due, tests;
    if (row.threat != nullptr) {
      bool any = false;
      for (const auto& mit : row.threat->mitigations) {
        if (mitigation_done(mit)) continue;
        out += fmt::format("- [ ] {}{}\n", md(mit.description), mit.acceptance.empty() ? "" : ": " + md(mit.acceptance));
        if (!mit.test.empty()) tests += "- " + md(mit.test) + "\n";
        if (owner.empty()) owner = mit.owner;
        if (estimate.empty()) estimate = mit.estimate;
        if (due.empty() && mit.due) due = mit.due->to_string();
        any = true;
      }
      if (!any) out += "- [ ] Decide: mitigate (add a mitigation with acceptance criteria), accept, transfer or eliminate.\n";
    } else {
      out += fmt::format("- [ ] {}\n", md(row.mitigation));
    }
    out += "\n## Test\n\n" + (tests.empty() ? "- Add an automated test that shows the attack fails.\n" : tests);
    out += fmt::format("\n## Planning\n\n- Owner: {}\n- Estimate: {}\n- Due: {}\n", owner.empty() ? "*unassigned*" : md(owner),
                       estimate.empty() ? "*not estimated*" : md(estimate), due.empty() ? "*not set*" : due);
    out += fmt::format(
        "\n## Definition of done\n\n- [ ] The mitigation is in production and its test runs in CI.\n"
        "- [ ] {} is updated in the model ({}), and `tmc check` passes.\n",
        row.is_finding ? "A threat with " + markdown_code("rule: " + row.rule) + " on the target" : "The status of " + md(row.id),
        row.is_finding ? "or the finding is dismissed with a reason" : "mitigated, with the mitigation done or verified");
    files.push_back({name, out});
    json.push_back({{"file", name}, {"title", title}, {"item", row.id}, {"bucket", row.bucket.name}, {"risk", row.risk},
                    {"owner", owner}, {"estimate", estimate}, {"due", due}, {"body", out}});
    for (const std::string& cell : {name, title, row.id, row.bucket.name, std::to_string(row.risk), owner, estimate, due}) {
      csv += (csv.back() == '\n' ? "" : ",") + csv_field(cell);
    }
    csv += "\r\n";
  }
  files.push_back({"backlog.csv", csv});
  files.push_back({"backlog.json", json_document(json)});
  nlohmann::ordered_json manifest;
  manifest["tmc_backlog"] = 1;
  manifest["note"] = "Files written by tmc backlog. On the next run, tmc removes those listed here that are no longer "
                     "urgent, and nothing else.";
  nlohmann::ordered_json owned = nlohmann::ordered_json::array();
  for (const BacklogFile& file : files) owned.push_back(file.name);
  manifest["files"] = std::move(owned);
  files.push_back({kBacklogManifest, json_document(manifest)});
  return files;
}

bool is_backlog_issue_name(std::string_view name) {
  std::string_view slug;
  if (name.starts_with("threat-")) slug = name.substr(7);
  if (name.starts_with("finding-")) slug = name.substr(8);
  if (!slug.ends_with(".md")) return false;
  slug.remove_suffix(3);
  return !slug.empty() && std::all_of(slug.begin(), slug.end(), is_slug_char);
}

BacklogManifest parse_backlog_manifest(std::string_view text) {
  BacklogManifest manifest;
  nlohmann::json json = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("files") || !json["files"].is_array()) return manifest;
  for (const nlohmann::json& name : json["files"]) {
    if (!name.is_string()) continue;
    std::string value = name.get<std::string>();
    if (value == "backlog.csv" || value == "backlog.json" || value == kBacklogManifest) continue;
    (is_backlog_issue_name(value) ? manifest.issues : manifest.ignored).push_back(value);
  }
  return manifest;
}

}  // namespace tmc::render
