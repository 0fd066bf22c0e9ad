// Machine outputs: the threat table as CSV, SARIF 2.1.0 for code
// scanning and GitLab's Code Quality report. Each is written to a Sink as
// it is produced (JSON through render/json_writer.h), never held whole.
// The JSON report is model_json.cc.
#include <fmt/format.h>

#include <map>

#include "base/version.h"
#include "load/file_system.h"
#include "render/escape.h"
#include "render/json_writer.h"
#include "render/render.h"
#include "render/rows.h"

namespace tmc::render {

namespace {

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

// SARIF's rules: one per rule id in the order the results first use it,
// described from that first result's row; its severity is the highest of
// its results' (a recorded threat is a rule of its own: its severity is
// its own).
struct SarifRule {
  std::string id;
  const analyze::RankedItem* first = nullptr;
  double highest = 0;
};

void sarif_rule(JsonWriter& w, const SarifRule& rule, const Row& row) {
  w.begin_object();
  w.member("id", rule.id);
  if (row.is_finding) {
    w.member("name", row.title);
    w.key("shortDescription");
    w.begin_object();
    w.member("text", row.title);
    w.end_object();
    w.key("fullDescription");
    w.begin_object();
    w.member("text", row.finding->rationale);
    w.end_object();
    std::string text = "Suggested mitigation: " + row.finding->mitigation;
    std::string markdown = "**Suggested mitigation:** " + markdown_escape(row.finding->mitigation);
    std::vector<std::string> tags = {"security", "threat-model"};
    std::string references;
    for (const std::string& reference : row.finding->references) {
      references += (references.empty() ? "" : ", ") + reference;
      if (reference.rfind("CWE-", 0) == 0) tags.push_back("external/cwe/cwe-" + reference.substr(4));
    }
    if (!references.empty()) {
      text += " References: " + references + ".";
      markdown += "\n\n**References:** " + markdown_escape(references);
    }
    w.key("help");
    w.begin_object();
    w.member("text", text);
    w.member("markdown", markdown);
    w.end_object();
    w.key("properties");
    w.begin_object();
    w.key("tags");
    string_array(w, tags);
  } else {
    w.member("name", "Open threat " + row.id);
    w.key("shortDescription");
    w.begin_object();
    w.member("text", row.title);
    w.end_object();
    w.key("fullDescription");
    w.begin_object();
    w.member("text", "A threat recorded in the model that is not yet mitigated, accepted, transferred or eliminated");
    w.end_object();
    w.key("help");
    w.begin_object();
    w.member("text", "Mitigate the threat, or record its acceptance (accepted_by and reason), transfer or elimination.");
    w.end_object();
    w.key("properties");
    w.begin_object();
    w.key("tags");
    string_array(w, {"security", "threat-model"});
  }
  // GitHub reads the severity from the rule: the highest of its results.
  w.member("security-severity", fmt::format("{:.1f}", rule.highest));
  w.end_object();
  w.key("defaultConfiguration");
  w.begin_object();
  w.member("level", rule.highest >= 6.5 ? "error" : rule.highest >= 3.5 ? "warning" : "note");
  w.end_object();
  w.end_object();
}

}  // namespace

void threats_csv(const RenderInput& input, Sink& out) {
  out.write("id,component,threat,description,likelihood,impact,risk_score,mitigation,owner,due,date_identified,status\r\n");
  for (const analyze::RankedItem& item : input.analysis.ranked) {
    Row row = ranked_row(input, item);
    const std::string* cells[] = {&row.id, nullptr, &row.title, &row.description, nullptr, nullptr, nullptr,
                                  &row.mitigation, &row.owner, &row.due, &row.identified, nullptr};
    std::string component = target_names(input.model, row);
    std::string likelihood = std::to_string(row.likelihood), impact = std::to_string(row.impact), risk = std::to_string(row.risk);
    std::string status = row.is_finding ? "open (rule finding)" : row.status;
    cells[1] = &component;
    cells[4] = &likelihood;
    cells[5] = &impact;
    cells[6] = &risk;
    cells[11] = &status;
    for (size_t c = 0; c < std::size(cells); ++c) {
      if (c > 0) out.put(',');
      out.write(csv_field(*cells[c]));
    }
    out.write("\r\n");
  }
}

std::string threats_csv(const RenderInput& input) {
  StringSink out;
  threats_csv(input, out);
  return std::move(out.str());
}

namespace {

// What a SARIF result or a Code Quality entry says of an open item.
std::string result_text(const Row& row) {
  if (row.is_finding) {
    return fmt::format("{} on '{}': {} (risk {}, {})", row.title, row.targets, row.description, row.risk, row.bucket.name);
  }
  return fmt::format("Threat {} is {}: {} (risk {}, {})", row.id, row.status, row.title, row.risk, row.bucket.name);
}

// The rule a recorded threat is reported under: its own, since code
// scanning shows a rule's severity on all of its alerts.
std::string threat_rule_id(const std::string& threat_id) { return "TMC-THREAT-" + threat_id; }

// A source file's path relative to the repository's root, as code
// scanning and code quality reports expect however deep in a monorepo tmc
// runs (`in_repository` set); a file outside it keeps its path as given.
std::string repository_path(const RenderInput& input, uint32_t file, bool& in_repository) {
  std::string path = input.sources.path(file);
  in_repository = false;
  if (!input.source_root.empty() && !path.empty()) {
    std::string absolute = load::normalize_absolute(path[0] == '/' ? path : input.working_directory + "/" + path);
    if (absolute.rfind(input.source_root + "/", 0) == 0) {
      path = absolute.substr(input.source_root.size() + 1);
      in_repository = true;
    }
  }
  while (path.rfind("./", 0) == 0) path.erase(0, 2);
  return path;
}

}  // namespace

void code_quality(const RenderInput& input, int min_bucket_rank, Sink& out) {
  const analyze::Analysis& a = input.analysis;
  JsonWriter w(out);
  w.begin_array();
  for (const analyze::RankedItem& item : a.ranked) {
    if (item.resolved || item.bucket.rank > min_bucket_rank) continue;
    Row row = ranked_row(input, item);
    bool in_repository = false;
    w.begin_object();
    w.member("description", result_text(row));
    w.member("check_name", row.is_finding ? row.rule : threat_rule_id(row.id));
    w.member("fingerprint", row.fingerprint);
    // The top bucket is critical, the next major, then minor and info.
    static const char* const kSeverity[] = {"critical", "major", "minor", "info"};
    w.member("severity", kSeverity[std::min(std::max(row.bucket.rank, 0), 3)]);
    w.key("location");
    w.begin_object();
    w.member("path", repository_path(input, row.location.file, in_repository));
    w.key("lines");
    w.begin_object();
    w.member("begin", std::max<uint32_t>(1, row.location.line));
    w.end_object();
    w.end_object();
    w.end_object();
  }
  w.end_array();
  out.put('\n');
}

void sarif(const RenderInput& input, int min_bucket_rank, Sink& out) {
  const model::Model& m = input.model;
  const analyze::Analysis& a = input.analysis;
  auto reported = [&](const analyze::RankedItem& item) { return !item.resolved && item.bucket.rank <= min_bucket_rank; };
  // A finding's rule is its rule; each recorded threat is a rule of its
  // own, since code scanning shows a rule's severity on all its alerts.
  auto rule_id = [&](const analyze::RankedItem& item) -> std::string {
    if (item.kind == analyze::RankedItem::Kind::finding) return a.findings[static_cast<size_t>(item.index)].rule;
    return threat_rule_id(m.threats[static_cast<size_t>(item.index)].id);
  };
  auto severity = [&](int risk) { return fmt::format("{:.1f}", 10.0 * risk / (m.scale * m.scale)); };

  // First pass: the rules, in order of first use, with their severity.
  std::vector<SarifRule> rules;
  std::map<std::string, size_t, std::less<>> rule_index;
  for (const analyze::RankedItem& item : a.ranked) {
    if (!reported(item)) continue;
    std::string id = rule_id(item);
    auto it = rule_index.find(id);
    if (it == rule_index.end()) {
      it = rule_index.emplace(id, rules.size()).first;
      rules.push_back({id, &item, 0});
    }
    SarifRule& rule = rules[it->second];
    rule.highest = std::max(rule.highest, std::stod(severity(item.risk)));
  }

  JsonWriter w(out);
  w.begin_object();
  w.member("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  w.member("version", "2.1.0");
  w.key("runs");
  w.begin_array();
  w.begin_object();
  w.key("tool");
  w.begin_object();
  w.key("driver");
  w.begin_object();
  w.member("name", "tmc");
  w.member("version", tmc::version());
  w.member("semanticVersion", tmc::version());
  w.key("rules");
  w.begin_array();
  for (const SarifRule& rule : rules) sarif_rule(w, rule, ranked_row(input, *rule.first));
  w.end_array();
  w.end_object();
  w.end_object();

  // Second pass: the results.
  w.key("results");
  w.begin_array();
  for (const analyze::RankedItem& item : a.ranked) {
    if (!reported(item)) continue;
    Row row = ranked_row(input, item);
    w.begin_object();
    std::string id = rule_id(item);
    w.member("ruleId", id);
    w.member("ruleIndex", rule_index.find(id)->second);
    w.member("level", row.bucket.rank == 0 ? "error" : row.bucket.rank == 1 ? "warning" : "note");
    w.key("message");
    w.begin_object();
    w.member("text", result_text(row));
    w.end_object();
    bool in_repository = false;
    std::string uri = repository_path(input, row.location.file, in_repository);
    uri = uri_path_escape(uri);  // 'my model#1%20?.tm.yaml' is a path, not a fragment
    if (!uri.empty() && uri[0] == '/') uri = "file://" + uri;
    w.key("locations");
    w.begin_array();
    w.begin_object();
    w.key("physicalLocation");
    w.begin_object();
    w.key("artifactLocation");
    w.begin_object();
    w.member("uri", uri);
    if (in_repository) w.member("uriBaseId", "%SRCROOT%");
    w.end_object();
    w.key("region");
    w.begin_object();
    w.member("startLine", std::max<uint32_t>(1, row.location.line));
    w.member("startColumn", std::max<uint32_t>(1, row.location.column));
    w.end_object();
    w.end_object();
    w.end_object();
    w.end_array();
    w.key("partialFingerprints");
    w.begin_object();
    w.member("tmc/v1", row.fingerprint);  // analyze::fingerprint(), as the baseline
    w.end_object();
    w.key("properties");
    w.begin_object();
    w.member("risk", row.risk);
    w.member("bucket", row.bucket.name);
    w.member("security-severity", severity(row.risk));
    w.end_object();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.end_array();
  w.end_object();
  out.put('\n');
}

std::string sarif(const RenderInput& input, int min_bucket_rank) {
  StringSink out;
  sarif(input, min_bucket_rank, out);
  return std::move(out.str());
}

}  // namespace tmc::render
