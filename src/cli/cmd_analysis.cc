// The analysis views: threats (the ranked list), crossings (the walk list
// for a review) and coverage (the STRIDE matrix and paths hop by hop).
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "analyze/analyze.h"
#include "analyze/facts.h"
#include "analyze/rule_language.h"
#include "analyze/scoring.h"
#include "base/json_text.h"
#include "base/suggest.h"
#include "cli/command.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "render/rows.h"
#include "cli/table.h"

namespace tmc::cli {

namespace {

using Json = nlohmann::ordered_json;

struct ViewOptions {
  ModelOptions model;
  std::string format = "text";
  bool all = false;
  std::string path;
  std::string explain;  // threats --explain ID
};


std::string target_names(const model::Threat& threat) {
  std::string out;
  for (const model::TargetRef& target : threat.targets) out += (out.empty() ? "" : ", ") + target.id.value;
  return out;
}

// The first mitigation not yet done, as "description (owner, due)".
std::string next_mitigation(const model::Threat& threat) {
  for (const model::Mitigation& m : threat.mitigations) {
    if (m.status == model::MitigationStatus::done || m.status == model::MitigationStatus::verified) continue;
    std::string who = m.owner;
    if (m.due) who += (who.empty() ? "due " : ", due ") + m.due->to_string();
    return who.empty() ? m.description : m.description + " (" + who + ")";
  }
  return "";
}

// Runs the pipeline; prints diagnostics; returns nullptr when the model is
// invalid (exit 2 already set).
std::unique_ptr<FrontEnd> analyzed(const ModelOptions& options, int* exit_code) {
  auto front = load_model_file(options);
  if (!front->analysis || front->sink.has_errors()) {
    print_diagnostics(*front, options);
    *exit_code = front->exit_code() == 0 ? 2 : front->exit_code();
    if (!front->analysis) return nullptr;
  }
  return front;
}

// "  authorization   coarse   read: 'scopes' in authorization \"...\"": one
// fact a line, columns aligned.
std::string fact_lines(const std::vector<analyze::FactLine>& lines, const char* indent) {
  size_t name_width = 0, value_width = 0;
  for (const analyze::FactLine& line : lines) {
    name_width = std::max(name_width, line.name.size());
    value_width = std::max(value_width, line.value.size());
  }
  std::string out;
  for (const analyze::FactLine& line : lines) {
    std::string source = analyze::to_string(line.source);
    if (!line.evidence.empty()) source += ": " + line.evidence;
    out += fmt::format("{}{:<{}}  {:<{}}  {}\n", indent, line.name, name_width, line.value, value_width, source);
  }
  return out;
}

// `threats --explain ID`: how an item got its score and bucket. ID is a
// threat id, RULE:target, or a rule id (every finding of the rule).
void run_explain(const FrontEnd& front, const std::string& id, int* exit_code) {
  const model::Model& m = *front.model;
  const analyze::Analysis& a = *front.analysis;
  const analyze::ModelFacts facts = analyze::compute_facts(m);
  std::string text;
  for (const analyze::RankedItem& item : a.ranked) {
    if (item.kind == analyze::RankedItem::Kind::threat) {
      const model::Threat& t = m.threats[static_cast<size_t>(item.index)];
      if (t.id != id) continue;
      text += fmt::format("{} {}\n  likelihood {} x impact {} = risk {}, as written in the model: bucket {}\n", t.id, t.title,
                          t.likelihood, t.impact, item.risk, item.bucket.name);
      text += fmt::format("  status {}", model::to_string(t.status));
      if (item.acceptance_expired) {
        text += fmt::format(": the acceptance ended on {}, so it counts as open again", item.accepted_until->to_string());
      } else if (item.accepted_until) {
        text += fmt::format(" until {}", item.accepted_until->to_string());
      }
      text += item.baselined ? "; held by the baseline\n" : "\n";
      text += fmt::format("  fingerprint {}\n", item.fingerprint);
      continue;
    }
    const analyze::RuleFinding& f = a.findings[static_cast<size_t>(item.index)];
    if (f.rule != id && f.rule + ":" + f.target_id != id) continue;
    text += fmt::format("{} on '{}': {}\n  why: {}\n", f.rule, f.target_id, f.title, f.why);
    text += fmt::format("  rule default: likelihood {} x impact {} (scale {})\n", f.default_likelihood, f.default_impact,
                        m.scale);
    for (const std::string& raise : f.raises) text += "  " + raise + "\n";
    const int r = front.rules.find(f.rule);
    if (f.raises.empty() && r >= 0 && front.rules.rule(static_cast<size_t>(r)).stakes == analyze::RuleStakes::none) {
      // A hygiene rule keeps its default whatever is at stake: saying the
      // target handles nothing sensitive would be false.
      text += "  no raise: a hygiene rule (stakes: none) keeps its default score whatever the target handles\n";
    } else if (f.raises.empty()) {
      text += "  no raise: the target is not exposed, handles no sensitive data, does not run privileged and involves no "
              "asset rated high in what the rule threatens\n";
    }
    text += fmt::format("  = likelihood {} x impact {} = risk {}: bucket {}{}\n", f.likelihood, f.impact, item.risk,
                        item.bucket.name, item.baselined ? "; held by the baseline" : "");
    if (r >= 0) {
      std::vector<analyze::FactLine> behind = analyze::facts_behind(m, facts, front.rules.rule(static_cast<size_t>(r)), f);
      if (!behind.empty()) text += "  facts it rests on (tmc facts shows them all):\n" + fact_lines(behind, "    ");
    }
    // The findings an item folds (one root cause), each with its own fix.
    if (r >= 0 && !front.rules.rule(static_cast<size_t>(r)).collector) {
      for (const analyze::RuleFinding::Part& part : f.parts) {
        const int pr = front.rules.find(part.rule);
        if (pr < 0) continue;
        const analyze::Rule& rule = front.rules.rule(static_cast<size_t>(pr));
        const std::string& where = part.kind == model::TargetKind::flow ? m.flows[static_cast<size_t>(part.target)].id
                                                                        : m.elements[static_cast<size_t>(part.target)].id;
        text += fmt::format("  part of this item: {} on '{}' ({}): {}\n", part.rule, where, rule.title, rule.mitigation);
      }
    }
    text += fmt::format("  fingerprint {}\n", item.fingerprint);
  }
  if (text.empty()) {
    print_err(fmt::format("tmc threats: error: no open item '{}'; give a threat id, RULE:target or a rule id "
                          "(see 'tmc threats')\n", id));
    *exit_code = 2;
    return;
  }
  print_out(text);
  *exit_code = 0;
}

void run_threats(const ViewOptions& options, int* exit_code) {
  auto front = analyzed(options.model, exit_code);
  if (!front) return;
  if (!options.explain.empty()) {
    run_explain(*front, options.explain, exit_code);
    return;
  }
  const model::Model& m = *front->model;
  const analyze::Analysis& a = *front->analysis;
  Json json = Json::array();
  std::vector<std::vector<std::string>> rows = {{"ID", "RISK", "BUCKET", "STATUS", "STRIDE", "TARGET", "TITLE", "NEXT"}};
  for (const analyze::RankedItem& item : a.ranked) {
    if (item.resolved && !options.all) continue;
    std::vector<std::string> row;
    if (item.kind == analyze::RankedItem::Kind::threat) {
      const model::Threat& t = m.threats[static_cast<size_t>(item.index)];
      std::string status = item.acceptance_expired ? "accepted, expired" : model::to_string(t.status);
      row = {t.id, fmt::format("{}x{}={}", t.likelihood, t.impact, item.risk), item.bucket.name, status,
             render::stride_letters(t.stride), target_names(t), t.title, next_mitigation(t)};
    } else {
      const analyze::RuleFinding& f = a.findings[static_cast<size_t>(item.index)];
      row = {f.rule, fmt::format("{}x{}={}", f.likelihood, f.impact, item.risk), item.bucket.name, "finding",
             render::stride_letters(f.stride), f.target_id, f.title, f.mitigation};
    }
    Json entry;
    for (size_t c = 0; c < row.size(); ++c) {
      static const char* const kKeys[] = {"id", "score", "bucket", "status", "stride", "target", "title", "next"};
      entry[kKeys[c]] = row[c];
    }
    entry["risk"] = item.risk;
    json.push_back(std::move(entry));
    rows.push_back(std::move(row));
  }
  if (options.format == "json") {
    print_out(json_document(json));
  } else {
    std::string text = format_table(rows, 60);
    const analyze::Metrics& metrics = a.metrics;
    std::string buckets;
    for (const auto& [name, count] : metrics.per_bucket) buckets += fmt::format("{}{} {}", buckets.empty() ? "" : ", ", count, name);
    text += fmt::format("\n{} {} shown{}. All items by bucket: {}; open in the top two buckets: {} and {}; {}\n", rows.size() - 1,
                        rows.size() == 2 ? "item" : "items", options.all ? "" : " (resolved threats hidden; --all shows them)", buckets,
                        metrics.open_top, metrics.open_second,
                        a.done ? "the model is done" : "the model is NOT done");
    if (metrics.mean_days_to_remediate) {
      text += fmt::format("mean time to remediate: {:.1f} days\n", *metrics.mean_days_to_remediate);
    }
    print_out(text);
  }
  *exit_code = 0;
}


void run_crossings(const ViewOptions& options, int* exit_code) {
  auto front = analyzed(options.model, exit_code);
  if (!front) return;
  const model::Model& m = *front->model;
  Json json = Json::array();
  std::vector<std::vector<std::string>> rows = {
      {"FLOW", "FROM -> TO", "CROSSES", "AUTHENTICATION", "AUTHORIZATION", "VALIDATION", "ENCRYPTED"}};
  for (const analyze::BoundaryCrossing& crossing : front->analysis->crossings) {
    const model::Flow& f = m.flows[static_cast<size_t>(crossing.flow)];
    std::string crosses;
    Json left = Json::array(), entered = Json::array();
    for (int b : crossing.exited) {
      crosses += (crosses.empty() ? "-" : " -") + m.boundaries[static_cast<size_t>(b)].id;
      left.push_back(m.boundaries[static_cast<size_t>(b)].id);
    }
    for (int b : crossing.entered) {
      crosses += (crosses.empty() ? "+" : " +") + m.boundaries[static_cast<size_t>(b)].id;
      entered.push_back(m.boundaries[static_cast<size_t>(b)].id);
    }
    auto declared = [&](render::Declaration which) {
      return render::crossing_declaration(m, f, which).value_or("(missing)");
    };
    rows.push_back({f.id, f.from.value + " -> " + f.to.value, crosses, declared(render::Declaration::authentication),
                    declared(render::Declaration::authorization), declared(render::Declaration::validation),
                    crossing.encrypted ? "yes" : "no"});
    json.push_back({{"flow", f.id}, {"from", f.from.value}, {"to", f.to.value}, {"leaves", left}, {"enters", entered},
                    {"authentication", f.authentication ? Json(f.authentication->value) : Json(nullptr)},
                    {"authorization", f.authorization ? Json(f.authorization->value) : Json(nullptr)},
                    {"validation", f.validation ? Json(f.validation->value) : Json(nullptr)},
                    {"encrypted", crossing.encrypted},
                    {"line", f.location.line}});
  }
  if (options.format == "json") {
    print_out(json_document(json));
  } else {
    std::string text = format_table(rows, 40);
    text += fmt::format("\n{} of {} flows cross a trust boundary (-zone: leaves it, +zone: enters it). Walk each one: "
                        "who is calling, may they, is the data checked?\n",
                        front->analysis->crossings.size(), m.flows.size());
    print_out(text);
  }
  *exit_code = 0;
}

void print_paths(const FrontEnd& front, const std::string& only, std::string& text, Json& json) {
  const model::Model& m = *front.model;
  for (const model::RequestPath& path : m.paths) {
    if (!only.empty() && path.id != only) continue;
    text += fmt::format("\npath {}: {}\n", path.id, path.name);
    Json hops = Json::array();
    int hop = 0;
    for (int f : path.flow_indexes) {
      const model::Flow& flow = m.flows[static_cast<size_t>(f)];
      model::StrideSet letters_in_play = analyze::applicable_letters(m, model::TargetKind::flow, f);
      if (flow.to_index >= 0) letters_in_play |= analyze::applicable_letters(m, model::TargetKind::element, flow.to_index);
      std::vector<std::string> threats;
      for (size_t t = 0; t < m.threats.size(); ++t) {
        for (const model::TargetRef& target : m.threats[t].targets) {
          bool on_flow = target.kind == model::TargetKind::flow && target.index == f;
          bool on_receiver = target.kind == model::TargetKind::element && target.index == flow.to_index;
          if (on_flow || on_receiver) {
            std::string mitigations;
            for (const model::Mitigation& mit : m.threats[t].mitigations) {
              mitigations += (mitigations.empty() ? "" : "; ") + mit.description + " [" + model::to_string(mit.status) + "]";
            }
            threats.push_back(fmt::format("{} [{}] {}{}", m.threats[t].id, render::stride_letters(m.threats[t].stride), m.threats[t].title,
                                          mitigations.empty() ? "" : "\n        mitigation: " + mitigations));
            break;  // once per hop, even when it targets both the flow and its receiver
          }
        }
      }
      // The open rule findings on the hop or its receiver, in rank order:
      // walking a request is what the per-hop view is for.
      std::vector<std::string> findings;
      for (const analyze::RankedItem& item : front.analysis->ranked) {
        if (item.kind != analyze::RankedItem::Kind::finding) continue;
        const analyze::RuleFinding& finding = front.analysis->findings[static_cast<size_t>(item.index)];
        if (finding.status != analyze::FindingStatus::open) continue;
        auto at = [&](int index) {
          return (finding.target_kind == model::TargetKind::flow && index == f) ||
                 (finding.target_kind == model::TargetKind::element && index == flow.to_index && flow.to_index >= 0);
        };
        // A place of a one-root-cause finding is shown as that place.
        std::string where;
        if (at(finding.target)) {
          where = finding.target_id;
        } else if (auto place = std::find_if(finding.places.begin(), finding.places.end(), at); place != finding.places.end()) {
          const std::string& id = finding.target_kind == model::TargetKind::flow ? m.flows[static_cast<size_t>(*place)].id
                                                                                 : m.elements[static_cast<size_t>(*place)].id;
          where = fmt::format("{} (one root cause with {})", id, finding.target_id);
        } else {
          continue;
        }
        findings.push_back(fmt::format("{}:{} [{}] {} (risk {}, {})", finding.rule, where,
                                       render::stride_letters(finding.stride), finding.title, item.risk, item.bucket.name));
      }
      text += fmt::format("  {}. {} -> {} ({})  letters in play: {}\n", ++hop, flow.from.value, flow.to.value,
                          flow.protocol.empty() ? flow.id : flow.protocol, render::stride_letters(letters_in_play));
      for (const std::string& t : threats) text += "      " + t + "\n";
      if (threats.empty()) text += "      no threat recorded on this hop\n";
      for (const std::string& finding : findings) text += "      open finding " + finding + "\n";
      hops.push_back({{"flow", flow.id},
                      {"to", flow.to.value},
                      {"letters", render::stride_letters(letters_in_play)},
                      {"threats", threats},
                      {"findings", findings}});
    }
    json.push_back({{"path", path.id}, {"name", path.name}, {"hops", hops}});
  }
}

void run_coverage(const ViewOptions& options, int* exit_code) {
  auto front = analyzed(options.model, exit_code);
  if (!front) return;
  const model::Model& m = *front->model;
  const analyze::Coverage& coverage = front->analysis->coverage;
  if (!options.path.empty() && std::none_of(m.paths.begin(), m.paths.end(), [&](const auto& p) { return p.id == options.path; })) {
    std::vector<std::string> ids;
    for (const auto& p : m.paths) ids.push_back(p.id);
    print_err(fmt::format("tmc: error: no path '{}' in the model{}\n", options.path, did_you_mean(options.path, ids)));
    *exit_code = 2;
    return;
  }
  std::vector<std::vector<std::string>> rows = {{"ELEMENT / FLOW", "TYPE", "S", "T", "R", "I", "D", "E"}};
  Json json_rows = Json::array();
  for (const analyze::CoverageRow& row : coverage.rows) {
    bool is_flow = row.kind == model::TargetKind::flow;
    const std::string& id = is_flow ? m.flows[static_cast<size_t>(row.index)].id : m.elements[static_cast<size_t>(row.index)].id;
    std::string type = is_flow ? "flow" : model::to_string(m.elements[static_cast<size_t>(row.index)].type);
    std::vector<std::string> line = {id, type};
    Json cells;
    for (const analyze::CoverageCell& cell : row.cells) {
      std::string text;
      if (!cell.applicable) {
        text = "-";
      } else if (!cell.threats.empty()) {
        text = m.threats[static_cast<size_t>(cell.threats[0])].id;
        if (cell.threats.size() > 1) text += "+";
      } else if (!cell.findings.empty()) {
        text = "F";
      } else if (!cell.cleared.empty()) {
        text = "clear";
      } else {
        text = "!!";
      }
      line.push_back(text);
      cells[std::string(1, model::letter(cell.letter))] = cell.applicable ? Json(text) : Json(nullptr);
    }
    rows.push_back(std::move(line));
    json_rows.push_back({{"id", id}, {"type", type}, {"cells", cells}});
  }
  std::string text;
  Json paths = Json::array();
  if (options.path.empty()) {
    text = format_table(rows);
    text += fmt::format("\ncovered: {} of {} applicable (element or flow, letter) pairs, {:.0f}%\n"
                        "T1 = a recorded threat, F = a rule finding, clear = cleared with a reason, !! = not covered, - = "
                        "not applicable\n",
                        coverage.covered, coverage.applicable, coverage.percent());
  }
  print_paths(*front, options.path, text, paths);
  if (options.format == "json") {
    Json out{{"rows", json_rows}, {"covered", coverage.covered}, {"applicable", coverage.applicable},
             {"percent", static_cast<int>(coverage.percent() + 0.5)}, {"paths", paths}};
    print_out(json_document(out));
  } else {
    print_out(text);
  }
  *exit_code = 0;
}

// `tmc facts MODEL [ID]`: every element's and flow's facts with their
// sources, or one element's or flow's.
void run_facts(const ViewOptions& options, const std::string& only, int* exit_code) {
  auto front = analyzed(options.model, exit_code);
  if (!front) return;
  const model::Model& m = *front->model;
  const analyze::ModelFacts facts = analyze::compute_facts(m);
  if (!only.empty() && m.find_element(only) < 0 && m.find_flow(only) < 0) {
    std::vector<std::string> ids;
    for (const model::Element& e : m.elements) ids.push_back(e.id);
    for (const model::Flow& f : m.flows) ids.push_back(f.id);
    print_err(fmt::format("tmc facts: error: no element or flow '{}' in the model{}\n", only, did_you_mean(only, ids)));
    *exit_code = 2;
    return;
  }
  std::string text;
  Json json = Json::array();
  auto emit = [&](const char* kind, const std::string& id, const std::string& heading,
                  const std::vector<analyze::FactLine>& lines) {
    text += heading + "\n" + fact_lines(lines, "  ");
    Json entries = Json::array();
    for (const analyze::FactLine& line : lines) {
      entries.push_back({{"fact", line.name}, {"value", line.value}, {"source", analyze::to_string(line.source)},
                         {"evidence", line.evidence}});
    }
    json.push_back({{"kind", kind}, {"id", id}, {"facts", entries}});
  };
  for (size_t e = 0; e < m.elements.size(); ++e) {
    const model::Element& element = m.elements[e];
    if (!only.empty() && element.id != only) continue;
    emit("element", element.id,
         fmt::format("element {} ({}{})", element.id, model::to_string(element.type),
                     element.name == element.id ? "" : ", " + element.name),
         analyze::describe_element_facts(m, facts, static_cast<int>(e)));
  }
  for (size_t f = 0; f < m.flows.size(); ++f) {
    const model::Flow& flow = m.flows[f];
    if (!only.empty() && flow.id != only) continue;
    emit("flow", flow.id, fmt::format("flow {} ({} -> {})", flow.id, flow.from.value, flow.to.value),
         analyze::describe_flow_facts(m, facts, static_cast<int>(f)));
  }
  if (options.format == "json") {
    print_out(json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  } else {
    text += "\nSources: stated = a key of the model says it (facts:, kind:, internet_facing...); read = words in its "
            "free text; inferred = it follows from other facts; unknown = nothing says it. State any fact with "
            "'facts:' on the element or flow (docs/model-format.md).\n";
    print_out(text);
  }
  *exit_code = 0;
}

CLI::App* view_command(CLI::App& app, const char* name, const char* summary, std::shared_ptr<ViewOptions> options) {
  CLI::App* command = app.add_subcommand(name, summary);
  add_model_options(*command, options->model);
  command->add_option("--format", options->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  return command;
}

}  // namespace

void define_threats(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ViewOptions>();
  CLI::App* command = view_command(app, "threats", "The ranked list: recorded threats and open findings", options);
  command->add_flag("--all", options->all, "Include resolved threats");
  command->add_option("--explain", options->explain,
                      "Explain how an item got its score: a threat id, RULE:target, or a rule id");
  command->footer("Highest risk first; each row shows the bucket, the status and the next mitigation to do.\n"
                  "--explain shows a finding's rule default, each raise (exposure, sensitive data) or model\n"
                  "setting that moved it, and its fingerprint (the id the baseline and SARIF use).\n\n"
                  "Examples:\n  tmc threats threat-model.tm.yaml\n  tmc threats --all --format json threat-model.tm.yaml\n"
                  "  tmc threats --explain TMC-IDOR:api threat-model.tm.yaml\n\n"
                  "Exit codes: 0 listed, 2 invalid model, unknown --explain id, bad usage or I/O error.");
  command->callback([options, exit_code] { run_threats(*options, exit_code); });
}

void define_facts(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ViewOptions>();
  auto only = std::make_shared<std::string>();
  CLI::App* command = view_command(app, "facts", "What tmc knows about each element and flow, and where it learned it", options);
  command->add_option("ID", *only, "Only this element or flow");
  command->footer(
      "The rules read facts, not words: how a caller authenticates, how fine-grained the authorization is,\n"
      "who calls, whether the call stays in the process, what an element is and how exposed it is.\n"
      "Each fact shows its source: stated (a key of the model), read (words in its free text, quoted),\n"
      "inferred (from other facts) or unknown. A fact read wrongly is corrected by stating it:\n"
      "  flows: [{id: get, ..., authorization: patient scopes, facts: {authorization: per-object}}]\n\n"
      "Examples:\n  tmc facts threat-model.tm.yaml\n  tmc facts threat-model.tm.yaml get_records\n"
      "  tmc facts --format json threat-model.tm.yaml\n\n"
      "Exit codes: 0 shown, 2 invalid model, unknown ID, bad usage or I/O error.");
  command->callback([options, only, exit_code] { run_facts(*options, *only, exit_code); });
}

void define_crossings(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ViewOptions>();
  CLI::App* command = view_command(app, "crossings", "The trust-boundary crossings: the walk list for a review", options);
  command->footer("Every flow that crosses a trust boundary, with what stands at the crossing.\n\n"
                  "Example:\n  tmc crossings threat-model.tm.yaml");
  command->callback([options, exit_code] { run_crossings(*options, exit_code); });
}

void define_coverage(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ViewOptions>();
  CLI::App* command = view_command(app, "coverage", "STRIDE coverage per element and flow, and paths hop by hop", options);
  command->add_option("--path", options->path, "Only this request path, hop by hop: threats, mitigations and open findings at each hop");
  command->footer("Examples:\n  tmc coverage threat-model.tm.yaml\n  tmc coverage --path pay threat-model.tm.yaml");
  command->callback([options, exit_code] { run_coverage(*options, exit_code); });
}

}  // namespace tmc::cli
