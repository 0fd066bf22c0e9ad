// Machine outputs: the analyzed model as JSON, the threat table as CSV,
// and SARIF 2.1.0 for code scanning.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "analyze/attack_tree.h"
#include "analyze/scoring.h"
#include "render/escape.h"
#include "render/render.h"
#include "render/rows.h"

#ifndef TMC_VERSION
#define TMC_VERSION "0.1.0"
#endif

namespace tmc::render {

namespace {

using Json = nlohmann::ordered_json;

Json optional_text(const std::optional<model::Text>& text) { return text ? Json(text->value) : Json(nullptr); }
Json texts(const std::vector<model::Text>& list) {
  Json out = Json::array();
  for (const model::Text& t : list) out.push_back(t.value);
  return out;
}
Json location(const RenderInput& input, const SourceLocation& at) {
  return {{"file", input.sources.path(at.file)}, {"line", at.line}, {"column", at.column}};
}
Json level(model::Level value) { return value == model::Level::unset ? Json(nullptr) : Json(model::to_string(value)); }
Json date(const std::optional<Date>& value) { return value ? Json(value->to_string()) : Json(nullptr); }

std::string target_names(const model::Model& m, const Row& row) {
  if (row.finding != nullptr) {
    return row.finding->target_kind == model::TargetKind::element ? m.elements[static_cast<size_t>(row.finding->target)].name
                                                                  : row.finding->target_id;
  }
  std::string out;
  for (const model::TargetRef& target : row.threat->targets) {
    std::string name = target.kind == model::TargetKind::element && target.index >= 0 ? m.elements[static_cast<size_t>(target.index)].name
                       : target.kind == model::TargetKind::boundary && target.index >= 0 ? m.boundaries[static_cast<size_t>(target.index)].name
                                                                                        : target.id.value;
    out += (out.empty() ? "" : " / ") + name;
  }
  return out;
}

Json model_section(const RenderInput& input) {
  const model::Model& m = input.model;
  Json out;
  out["title"] = m.title;
  out["scope"] = m.scope;
  out["in_scope"] = m.in_scope;
  out["out_of_scope"] = m.out_of_scope;
  out["authors"] = m.authors;
  out["reviewed"] = date(m.reviewed);
  out["review_every"] = m.review_every;
  out["review_when"] = m.review_when;
  out["scale"] = m.scale;
  out["files"] = m.files;
  Json assumptions = Json::array();
  for (const auto& a : m.assumptions) assumptions.push_back({{"id", a.id}, {"text", a.text}});
  out["assumptions"] = assumptions;
  Json actors = Json::array();
  for (const auto& a : m.actors) actors.push_back({{"id", a.id}, {"name", a.name}, {"description", a.description}});
  out["actors"] = actors;
  Json assets = Json::array();
  for (const auto& a : m.assets) {
    assets.push_back({{"id", a.id}, {"name", a.name}, {"description", a.description}, {"owner", a.owner}, {"classes", texts(a.classes)},
                      {"confidentiality", level(a.confidentiality)}, {"integrity", level(a.integrity)}, {"availability", level(a.availability)}});
  }
  out["assets"] = assets;
  Json boundaries = Json::array();
  for (const auto& b : m.boundaries) {
    boundaries.push_back({{"id", b.id}, {"name", b.name}, {"parent", optional_text(b.parent)}, {"trust", b.trust ? Json(*b.trust) : Json(nullptr)},
                          {"location", location(input, b.location)}});
  }
  out["boundaries"] = boundaries;
  Json elements = Json::array();
  for (const auto& e : m.elements) {
    Json clear = Json::object();
    for (const auto& c : e.clear) clear[std::string(1, model::letter(c.letter))] = c.reason;
    elements.push_back({{"id", e.id}, {"name", e.name}, {"description", e.description}, {"type", model::to_string(e.type)},
                        {"store", e.type == model::ElementType::store && e.store != model::StoreKind::none ? Json(model::to_string(e.store)) : Json(nullptr)},
                        {"boundary", optional_text(e.boundary)}, {"internet_facing", e.internet_facing}, {"multi_tenant", e.multi_tenant},
                        {"privilege", e.privilege == model::Privilege::unset ? Json(nullptr) : Json(model::to_string(e.privilege))},
                        {"assets", texts(e.assets)}, {"controls", texts(e.controls)}, {"tags", texts(e.tags)}, {"clear", clear},
                        {"location", location(input, e.location)}});
  }
  out["elements"] = elements;
  Json flows = Json::array();
  for (const auto& f : m.flows) {
    flows.push_back({{"id", f.id}, {"from", f.from.value}, {"to", f.to.value}, {"label", f.label}, {"protocol", f.protocol},
                     {"data", texts(f.data)}, {"in_url", texts(f.in_url)}, {"authentication", optional_text(f.authentication)},
                     {"authorization", optional_text(f.authorization)}, {"validation", optional_text(f.validation)},
                     {"controls", texts(f.controls)}, {"tags", texts(f.tags)}, {"location", location(input, f.location)}});
  }
  out["flows"] = flows;
  Json paths = Json::array();
  for (const auto& p : m.paths) paths.push_back({{"id", p.id}, {"name", p.name}, {"flows", texts(p.flows)}});
  out["paths"] = paths;
  Json threats = Json::array();
  for (const auto& t : m.threats) {
    Json mitigations = Json::array();
    for (const auto& mit : t.mitigations) {
      mitigations.push_back({{"id", mit.id.empty() ? Json(nullptr) : Json(mit.id)}, {"description", mit.description}, {"owner", mit.owner},
                             {"due", date(mit.due)}, {"status", model::to_string(mit.status)}, {"acceptance", mit.acceptance},
                             {"test", mit.test}, {"estimate", mit.estimate}});
    }
    Json targets = Json::array();
    for (const auto& target : t.targets) targets.push_back(target.id.value);
    Json privacy = Json::array();
    for (int p = 0; p < model::kPrivacyCount; ++p) {
      if (model::has(t.privacy, static_cast<model::Privacy>(p))) privacy.push_back(model::to_string(static_cast<model::Privacy>(p)));
    }
    threats.push_back({{"id", t.id}, {"title", t.title}, {"description", t.description}, {"targets", targets},
                       {"stride", stride_letters(t.stride)}, {"privacy", privacy}, {"actor", optional_text(t.actor)},
                       {"likelihood", t.likelihood}, {"impact", t.impact}, {"risk", t.risk()},
                       {"bucket", analyze::bucket_for(m.scale, t.risk()).name},
                       {"cvss", optional_text(t.cvss)}, {"status", model::to_string(t.status)}, {"identified", date(t.identified)},
                       {"resolved", date(t.resolved)}, {"rule", optional_text(t.rule)}, {"accepted_by", t.accepted_by},
                       {"accepted_until", date(t.accepted_until)}, {"transferred_to", t.transferred_to}, {"reason", t.reason}, {"mitigations", mitigations},
                       {"location", location(input, t.location)}});
  }
  out["threats"] = threats;
  Json dismissed = Json::array();
  for (const auto& d : m.dismissed) {
    dismissed.push_back({{"rule", d.rule.value}, {"target", d.target.value}, {"reason", d.reason}, {"by", d.by}});
  }
  out["dismissed"] = dismissed;
  Json settings = Json::array();
  for (const auto& r : m.rule_settings) {
    settings.push_back({{"rule", r.rule.value}, {"enabled", r.enabled},
                        {"likelihood", r.likelihood ? Json(*r.likelihood) : Json(nullptr)},
                        {"impact", r.impact ? Json(*r.impact) : Json(nullptr)}, {"for_tags", texts(r.for_tags)},
                        {"reason", r.reason}});
  }
  out["rules"] = settings;
  out["asset_classes"] = texts(m.asset_classes);
  return out;
}

}  // namespace

std::string model_json(const RenderInput& input) {
  const model::Model& m = input.model;
  const analyze::Analysis& a = input.analysis;
  Json out;
  out["tmc"] = TMC_VERSION;
  out["format"] = 1;
  out["model"] = model_section(input);
  Json analysis;
  analysis["today"] = a.today.to_string();
  analysis["done"] = a.done;
  analysis["stale"] = a.stale;
  analysis["stale_since"] = a.stale_since ? Json(a.stale_since->to_string()) : Json(nullptr);
  Json crossings = Json::array();
  for (const auto& c : a.crossings) {
    Json left = Json::array(), entered = Json::array();
    for (int b : c.exited) left.push_back(m.boundaries[static_cast<size_t>(b)].id);
    for (int b : c.entered) entered.push_back(m.boundaries[static_cast<size_t>(b)].id);
    crossings.push_back({{"flow", m.flows[static_cast<size_t>(c.flow)].id}, {"leaves", left}, {"enters", entered}, {"encrypted", c.encrypted}});
  }
  analysis["crossings"] = crossings;
  Json findings = Json::array();
  for (const auto& f : a.findings) {
    const char* status = f.status == analyze::FindingStatus::open ? "open" : f.status == analyze::FindingStatus::addressed ? "addressed" : "dismissed";
    findings.push_back({{"rule", f.rule}, {"target", f.target_id}, {"target_kind", f.target_kind == model::TargetKind::flow ? "flow" : "element"},
                        {"title", f.title}, {"why", f.why}, {"mitigation", f.mitigation}, {"stride", stride_letters(f.stride)},
                        {"privacy", privacy_words(f.privacy)}, {"likelihood", f.likelihood}, {"impact", f.impact}, {"risk", f.risk()},
                        {"raises", f.raises}, {"status", status},
                        {"addressed_by", f.addressed_by >= 0 ? Json(m.threats[static_cast<size_t>(f.addressed_by)].id) : Json(nullptr)},
                        {"location", location(input, f.location)}});
  }
  analysis["findings"] = findings;
  Json rows = Json::array();
  for (const auto& row : a.coverage.rows) {
    Json cells = Json::object();
    for (const auto& cell : row.cells) {
      std::string key(1, model::letter(cell.letter));
      if (!cell.applicable) continue;
      Json threats = Json::array();
      for (int t : cell.threats) threats.push_back(m.threats[static_cast<size_t>(t)].id);
      Json by_rules = Json::array();
      for (int f : cell.findings) by_rules.push_back(a.findings[static_cast<size_t>(f)].rule);
      cells[key] = {{"threats", threats}, {"findings", by_rules}, {"cleared", cell.cleared.empty() ? Json(nullptr) : Json(cell.cleared)},
                    {"covered", cell.covered()}};
    }
    bool is_flow = row.kind == model::TargetKind::flow;
    rows.push_back({{"id", is_flow ? m.flows[static_cast<size_t>(row.index)].id : m.elements[static_cast<size_t>(row.index)].id},
                    {"kind", is_flow ? "flow" : "element"}, {"cells", cells}});
  }
  analysis["coverage"] = {{"applicable", a.coverage.applicable}, {"covered", a.coverage.covered}, {"rows", rows}};
  Json ranked = Json::array();
  for (const Row& row : ranked_rows(input)) {
    ranked.push_back({{"id", row.id}, {"kind", row.is_finding ? "finding" : "threat"}, {"risk", row.risk}, {"bucket", row.bucket.name},
                      {"status", row.status}, {"fingerprint", row.fingerprint}});
  }
  analysis["ranked"] = ranked;
  Json per_bucket = Json::object(), per_status = Json::object();
  for (const auto& [name, count] : a.metrics.per_bucket) per_bucket[name] = count;
  for (const auto& [name, count] : a.metrics.per_status) per_status[name] = count;
  analysis["metrics"] = {{"per_bucket", per_bucket}, {"per_status", per_status}, {"open_top", a.metrics.open_top},
                         {"open_second", a.metrics.open_second},
                         {"mean_days_to_remediate", a.metrics.mean_days_to_remediate ? Json(*a.metrics.mean_days_to_remediate) : Json(nullptr)}};
  Json trees = Json::array();
  for (const auto& tree : m.attack_trees) {
    analyze::TreeReport report = analyze::report_tree(m, tree, {});
    auto cost = [](double value) { return std::isinf(value) ? Json("impossible") : Json(value); };
    Json leaves = Json::array();
    for (int leaf : report.after.cheapest_leaves) leaves.push_back(m.attack_nodes[static_cast<size_t>(leaf)].title);
    trees.push_back({{"id", tree.id}, {"goal", tree.goal}, {"cheapest_before_mitigations", cost(report.before.root_cost)},
                     {"cheapest", cost(report.after.root_cost)}, {"fix_first", leaves}, {"method", analyze::to_string(report.after.method)}});
  }
  analysis["attack_trees"] = trees;
  out["analysis"] = analysis;
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string threats_csv(const RenderInput& input) {
  std::string out = "id,component,threat,description,likelihood,impact,risk_score,mitigation,owner,due,date_identified,status\r\n";
  for (const Row& row : ranked_rows(input)) {
    std::vector<std::string> cells = {row.id,
                                      target_names(input.model, row),
                                      row.title,
                                      row.description,
                                      std::to_string(row.likelihood),
                                      std::to_string(row.impact),
                                      std::to_string(row.risk),
                                      row.mitigation,
                                      row.owner,
                                      row.due,
                                      row.identified,
                                      row.is_finding ? "open (rule finding)" : row.status};
    for (size_t c = 0; c < cells.size(); ++c) out += (c ? "," : "") + csv_field(cells[c]);
    out += "\r\n";
  }
  return out;
}

std::string sarif(const RenderInput& input, int min_bucket_rank) {
  const model::Model& m = input.model;
  std::vector<Row> rows = ranked_rows(input);
  Json rules = Json::array();
  std::map<std::string, size_t> rule_index;
  auto severity = [&](int risk) { return fmt::format("{:.1f}", 10.0 * risk / (m.scale * m.scale)); };
  auto add_rule = [&](const Row& row) -> size_t {
    std::string id = row.is_finding ? row.rule : "TMC-THREAT";
    auto it = rule_index.find(id);
    if (it != rule_index.end()) return it->second;
    Json rule;
    rule["id"] = id;
    if (row.is_finding) {
      rule["name"] = row.title;
      rule["shortDescription"] = {{"text", row.title}};
      rule["fullDescription"] = {{"text", row.finding->rationale}};
      rule["help"] = {{"text", "Suggested mitigation: " + row.finding->mitigation},
                      {"markdown", "**Suggested mitigation:** " + markdown_escape(row.finding->mitigation)}};
      Json tags = Json::array({"security", "threat-model"});
      std::string references;
      for (const std::string& reference : row.finding->references) {
        references += (references.empty() ? "" : ", ") + reference;
        if (reference.rfind("CWE-", 0) == 0) tags.push_back("external/cwe/cwe-" + reference.substr(4));
      }
      if (!references.empty()) {
        rule["help"]["text"] = rule["help"]["text"].get<std::string>() + " References: " + references + ".";
        rule["help"]["markdown"] = rule["help"]["markdown"].get<std::string>() + "\n\n**References:** " + markdown_escape(references);
      }
      rule["properties"] = {{"tags", tags}};
    } else {
      rule["name"] = "Open threat";
      rule["shortDescription"] = {{"text", "A recorded threat that is not yet mitigated, accepted, transferred or eliminated"}};
      rule["help"] = {{"text", "Mitigate the threat, or record its acceptance (accepted_by and reason), transfer or elimination."}};
      rule["properties"] = {{"tags", Json::array({"security", "threat-model"})}};
    }
    rules.push_back(std::move(rule));
    rule_index[id] = rules.size() - 1;
    return rules.size() - 1;
  };
  Json results = Json::array();
  for (const Row& row : rows) {
    if (row.resolved || row.bucket.rank > min_bucket_rank) continue;
    size_t index = add_rule(row);
    Json result;
    result["ruleId"] = rules[index]["id"];
    result["ruleIndex"] = index;
    result["level"] = row.bucket.rank == 0 ? "error" : row.bucket.rank == 1 ? "warning" : "note";
    std::string text = row.is_finding ? fmt::format("{} on '{}': {} (risk {}, {})", row.title, row.targets, row.description, row.risk, row.bucket.name)
                                      : fmt::format("Threat {} is {}: {} (risk {}, {})", row.id, row.status, row.title, row.risk, row.bucket.name);
    result["message"] = {{"text", text}};
    std::string uri = input.sources.path(row.location.file);
    while (uri.rfind("./", 0) == 0) uri.erase(0, 2);  // repository-relative, as code scanning expects
    uri = uri_path_escape(uri);                        // 'my model#1%20?.tm.yaml' is a path, not a fragment
    if (!uri.empty() && uri[0] == '/') uri = "file://" + uri;
    result["locations"] = Json::array({{{"physicalLocation",
                                         {{"artifactLocation", {{"uri", uri}}},
                                          {"region", {{"startLine", std::max<uint32_t>(1, row.location.line)},
                                                      {"startColumn", std::max<uint32_t>(1, row.location.column)}}}}}}});
    result["partialFingerprints"] = {{"tmc/v1", row.fingerprint}};  // analyze::fingerprint(), as the baseline
    result["properties"] = {{"risk", row.risk}, {"bucket", row.bucket.name}, {"security-severity", severity(row.risk)}};
    results.push_back(std::move(result));
  }
  // GitHub reads the severity from the rule: the highest of its results.
  for (Json& rule : rules) {
    double highest = 0;
    for (const Json& result : results) {
      if (result["ruleId"] == rule["id"]) highest = std::max(highest, std::stod(result["properties"]["security-severity"].get<std::string>()));
    }
    rule["properties"]["security-severity"] = fmt::format("{:.1f}", highest);
    rule["defaultConfiguration"] = {{"level", highest >= 6.5 ? "error" : highest >= 3.5 ? "warning" : "note"}};
  }
  Json run;
  run["tool"] = {{"driver", {{"name", "tmc"}, {"version", TMC_VERSION}, {"semanticVersion", TMC_VERSION},
                             {"rules", rules}}}};
  run["results"] = results;
  Json log;
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = Json::array({run});
  return log.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace tmc::render
