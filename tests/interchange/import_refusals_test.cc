// Issue 22, item 10: tmc import refused inputs with "this is a bug in tmc
// import" and pointed at lines of the output file it never wrote: the
// `tmc` extension objects were not validated (unknown assets, ids with
// spaces, review_every: -5, likelihood 99), a flow could end at another
// flow, numbers were cast without a range (trust: 1e300, trustRating: 5e9,
// likelihood 1e300), and boxes or zones nested past 32 levels. Each input
// here is either refused with errors at the source file's line, or
// imported into a model that builds and analyzes without an error; no
// input may reach the CLI's "bug" message.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "analyze/analyze.h"
#include "interchange/draft.h"
#include "interchange/interchange.h"
#include "model/builder.h"

namespace tmc::interchange {
namespace {

struct Outcome {
  SourceManager sources;
  DiagnosticSink sink;
  std::optional<std::string> yaml;
  std::optional<model::Model> model;   // the written YAML, built
  std::vector<std::string> errors;     // "line:col: message", in the source
  std::vector<std::string> warnings;   // the same, for warnings
};

// Imports `text` and checks the written model as `tmc import` does.
std::unique_ptr<Outcome> import_and_check(const std::string& name, const std::string& text, ImportOptions options = {}) {
  auto out = std::make_unique<Outcome>();
  uint32_t file = out->sources.add(name, text);
  out->yaml = import_model(file, out->sources, options, out->sink);
  for (const Diagnostic& d : out->sink.diagnostics()) {
    std::string at = fmt::format("{}:{}: {}", d.location.line, d.location.column, d.message);
    if (d.severity == Severity::error) {
      EXPECT_EQ(d.location.file, file) << "an error outside the source file: " << d.message;
      EXPECT_GT(d.location.line, 0u) << "an error with no line: " << d.message;
      out->errors.push_back(at);
    } else if (d.severity == Severity::warning) {
      out->warnings.push_back(at);
    }
  }
  if (!out->yaml) {
    EXPECT_FALSE(out->errors.empty()) << "refused without an error";
    return out;
  }
  uint32_t written = out->sources.add("written.tm.yaml", *out->yaml);
  DiagnosticSink check;
  auto root = load::parse_document(written, out->sources, {}, check);
  if (root) {
    analyze::RuleLibrary rules = analyze::RuleLibrary::builtin(out->sources, check);
    out->model = model::build_model({{written, "written.tm.yaml", root.root, root.arena}}, check);
    if (out->model) analyze::analyze(*out->model, rules, {}, check);
  }
  for (const Diagnostic& d : check.diagnostics()) {
    if (d.severity == Severity::error) ADD_FAILURE() << "the written model fails its check: " << d.message << "\n" << *out->yaml;
  }
  EXPECT_TRUE(out->model) << *out->yaml;
  return out;
}

// The line (1-based) of the first occurrence of `needle` in `text`.
uint32_t line_of(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  return 1 + static_cast<uint32_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// One error, on the line of `needle`, whose message holds `message`.
void expect_refused(const Outcome& outcome, const std::string& text, const std::string& needle, const std::string& message) {
  EXPECT_FALSE(outcome.yaml);
  ASSERT_EQ(outcome.errors.size(), 1u) << fmt::format("{}", fmt::join(outcome.errors, "\n"));
  EXPECT_EQ(outcome.errors[0].substr(0, outcome.errors[0].find(':')), std::to_string(line_of(text, needle))) << outcome.errors[0];
  EXPECT_NE(outcome.errors[0].find(message), std::string::npos) << outcome.errors[0];
}

// A Threat Dragon v2 file, one cell per line, with `extension` as the
// file's `tmc` object.
std::string threat_dragon(const std::vector<std::string>& cells, const std::string& extension = "") {
  std::string out = "{\"summary\": {\"title\": \"t\"},\n";
  if (!extension.empty()) out += "\"tmc\": " + extension + ",\n";
  out += "\"detail\": {\"diagrams\": [{\"cells\": [\n";
  for (size_t i = 0; i < cells.size(); ++i) out += cells[i] + (i + 1 < cells.size() ? ",\n" : "\n");
  return out + "]}]}}\n";
}

std::string cell(const std::string& shape, const std::string& id, const std::string& data, int x = 0, int y = 0, int size = 10) {
  static const std::map<std::string, std::string> kTypes = {
      {"actor", "tm.Actor"}, {"process", "tm.Process"}, {"store", "tm.Store"}, {"trust-boundary-box", "tm.BoundaryBox"}};
  return fmt::format(R"({{"shape": "{}", "id": "{}", "position": {{"x": {}, "y": {}}}, "size": {{"width": {}, "height": {}}}, "data": {{"type": "{}"{}}}}})",
                     shape, id, x, y, size, size, kTypes.at(shape), data.empty() ? "" : ", " + data);
}

std::string flow(const std::string& id, const std::string& from, const std::string& to, const std::string& data = "") {
  return fmt::format(R"({{"shape": "flow", "id": "{}", "source": {{"cell": "{}"}}, "target": {{"cell": "{}"}}, "data": {{"type": "tm.Flow", "name": "{}"{}}}}})",
                     id, from, to, id, data.empty() ? "" : ", " + data);
}

std::string actor(const std::string& data = "") { return cell("actor", "a", R"("name": "User")" + (data.empty() ? "" : ", " + data), 500, 500); }
std::string process(const std::string& data = "") { return cell("process", "p", R"("name": "API")" + (data.empty() ? "" : ", " + data), 700, 500); }
std::string threat(const std::string& extension) {
  return R"("threats": [{"title": "Spoofed", "status": "Open", "severity": "High", "type": "Spoofing", "tmc": )" + extension + "}]";
}

TEST(ImportRefusals, AFlowEndingAtAnotherFlowIsAnErrorAtItsEnd) {
  // The flow it ends at comes first (it then had a tmc id and passed as an
  // element) or later (it was refused only then).
  for (bool first : {true, false}) {
    std::vector<std::string> cells = {actor(), process(), flow("f1", "a", "p")};
    cells.insert(first ? cells.end() : cells.begin() + 2, flow("g", "a", "f1"));
    std::string td = threat_dragon(cells);
    auto outcome = import_and_check("flows.json", td);
    expect_refused(*outcome, td, "\"id\": \"g\"", "flow 'g' is attached to cell 'f1', which is not a process, store or actor");
  }
}

TEST(ImportRefusals, BoxesNestedPast32LevelsAreOneErrorAtTheFirstTooDeep) {
  std::vector<std::string> cells;
  for (int k = 0; k < 40; ++k) cells.push_back(cell("trust-boundary-box", fmt::format("b{}", k), "", k * 10, k * 10, 2000 - k * 20));
  cells.push_back(actor());
  std::string td = threat_dragon(cells);
  auto outcome = import_and_check("deep.json", td);
  expect_refused(*outcome, td, "\"id\": \"b32\"", "is nested more than 32 levels deep");
  // 32 levels import.
  cells.erase(cells.begin() + 32, cells.begin() + 40);
  auto fits = import_and_check("deep.json", threat_dragon(cells));
  EXPECT_TRUE(fits->yaml);
}

TEST(ImportRefusals, ZonesNestedPast32LevelsAreOneErrorAtTheFirstTooDeep) {
  std::string otm = "otmVersion: 0.2.0\nproject: {name: Deep, id: deep}\ntrustZones:\n";
  for (int k = 0; k < 40; ++k) {
    otm += fmt::format("  - {{id: z{}, name: Z{}, risk: {{trustRating: 5}}{}}}\n", k, k,
                       k == 0 ? "" : fmt::format(", parent: {{trustZone: z{}}}", k - 1));
  }
  auto outcome = import_and_check("deep.otm.yaml", otm);
  expect_refused(*outcome, otm, "id: z32,", "trust boundary 'Z32' is nested more than 32 levels deep");
}

TEST(ImportRefusals, TrustOutOfRangeIsAnErrorAtTheValue) {
  for (const char* trust : {"1e300", "5e9", "2000", "-1", "2.5", "\"high\""}) {
    std::string td = threat_dragon({cell("trust-boundary-box", "b", fmt::format(R"("name": "B", "tmc": {{"trust": {}}})", trust), 0, 0, 1000), actor()});
    auto outcome = import_and_check("trust.json", td);
    expect_refused(*outcome, td, "\"trust\"", "'trust' must be a whole number from 0 to 1000");
  }
  std::string td = threat_dragon({cell("trust-boundary-box", "b", R"("name": "B", "tmc": {"trust": 1000})", 0, 0, 1000), actor()});
  ASSERT_TRUE(import_and_check("trust.json", td)->model);
}

TEST(ImportRefusals, OtmNumbersOutOfRangeAreErrorsAtTheValue) {
  std::string zones = "otmVersion: 0.2.0\nproject: {name: P, id: p}\ntrustZones:\n  - {id: z, name: Z, risk: {trustRating: 5e9}}\n";
  expect_refused(*import_and_check("z.otm.yaml", zones), zones, "5e9", "has trustRating '5e9'; tmc reads a number from 0 to 1000");
  std::string threats = R"(otmVersion: 0.2.0
project: {name: P, id: p}
components: [{id: c, name: C, type: service, threats: [{threat: t, state: exposed}]}]
threats:
  - {id: t, name: T, risk: {likelihood: 1e300, impact: 50}}
)";
  expect_refused(*import_and_check("t.otm.yaml", threats), threats, "1e300", "likelihood '1e300' is not a percentage from 0 to 100");
}

// One extension value the format refuses, on the line of `needle`.
struct Refused {
  std::string td;
  std::string needle;
  std::string message;
};

TEST(ImportRefusals, ExtensionValuesAreCheckedWhereTheyAreRead) {
  const std::vector<Refused> cases = {
      {threat_dragon({actor(R"("tmc": {"assets": ["nope"]})")}), "nope", "unknown asset 'nope' in 'assets'"},
      {threat_dragon({actor(R"("tmc": {"id": "a b"})")}), "a b", "'a b' is not a valid id"},
      {threat_dragon({actor()}, R"({"review_every": -5})"), "review_every", "'review_every' must be a whole number from 1 to 3650, not '-5'"},
      {threat_dragon({actor()}, R"({"scale": 4})"), "scale", "'scale' is 3 or 5, not 4"},
      {threat_dragon({actor(threat(R"({"likelihood": 99})"))}), "99", "'likelihood' must be a whole number from 1 to 3, not '99'"},
      {threat_dragon({actor(threat(R"({"impact": 1e300})"))}), "1e300", "'impact' must be a whole number from 1 to 3"},
      {threat_dragon({actor()}, R"({"assets": [{"id": "card data", "name": "Cards"}]})"), "card data", "asset id 'card data' is not a valid id"},
      {threat_dragon({actor()}, R"({"actors": [{"id": "ann"}, {"id": "ann"}]})"), "\"ann\"}]", "id 'ann' is used twice"},
      {threat_dragon({actor()}, R"({"assets": [{"id": "c", "name": "C", "classes": ["secrets"]}]})"), "secrets", "unknown asset class 'secrets'"},
      {threat_dragon({actor()}, R"({"assumptions": [{"id": "A1"}]})"), "A1", "assumption 'A1' has no 'text'"},
      {threat_dragon({actor()}, R"({"paths": [{"id": "login", "flows": ["nope"]}]})"), "nope", "unknown flow 'nope' in 'flows'"},
      {threat_dragon({actor()}, R"({"dismissed": [{"rule": "TMC-X", "target": "nope", "reason": "r", "by": "b"}]})"), "nope",
       "unknown element, flow or boundary 'nope' in 'target'"},
      {threat_dragon({actor()}, R"({"dismissed": [{"rule": "TMC-X", "target": {"tag": "nope"}, "reason": "r", "by": "b"}]})"), "nope",
       "unknown tag (on no element or flow) 'nope'"},
      {threat_dragon({actor()}, R"({"dismissed": [{"rule": "TMC-X", "target": "a", "by": "b"}]})"), "TMC-X", "a dismissed finding has no 'reason'"},
      {threat_dragon({actor(R"("tmc": {"clear": {"S": ""}})")}), "\"S\"", "clearing 'S' needs a reason"},
      {threat_dragon({actor(threat(R"({"status": "accepted"})"))}), "accepted", "an accepted threat names who accepted the risk"},
      {threat_dragon({actor(threat(R"({"status": "transferred", "reason": "r"})"))}), "transferred", "a transferred threat names to whom"},
      {threat_dragon({actor(threat(R"({"status": "mitigated", "mitigations": [{"description": "MFA", "status": "planned"}]})"))}),
       "mitigated", "a mitigated threat has every mitigation done or verified; 'MFA' is planned"},
      {threat_dragon({actor(threat(R"({"mitigations": [{"id": "M 1", "description": "MFA"}]})"))}), "M 1", "mitigation id 'M 1' is not a valid id"},
      {threat_dragon({actor(threat(R"({"targets": ["nope"]})"))}), "nope", "unknown element, flow or boundary 'nope' in 'target'"},
      {threat_dragon({actor(threat(R"({"targets": []})"))}), "targets", "a threat needs at least one target"},
      {threat_dragon({actor(threat(R"({"actor": "nobody"})"))}), "nobody", "unknown actor 'nobody' in 'actor'"},
      {threat_dragon({actor(), process(), flow("f", "a", "p", R"("tmc": {"data": ["nope"]})")}), "nope", "unknown asset 'nope' in 'data'"},
      {threat_dragon({actor(), process(), flow("f", "a", "p", R"("tmc": {"in_url": ["cards"]})")}, R"({"assets": [{"id": "cards", "name": "C"}]})"),
       "\"in_url\"", "'cards' is in 'in_url' but not in the flow's 'data'"},
  };
  for (const Refused& c : cases) {
    SCOPED_TRACE(c.message);
    auto outcome = import_and_check("ext.json", c.td);
    expect_refused(*outcome, c.td, c.needle, c.message);
  }
}

TEST(ImportRefusals, AnUnknownControlIsAWarningAtTheSource) {
  std::string td = threat_dragon({actor(R"("tmc": {"controls": ["mfa", "Rate-Limit", "telepathy"]})")});
  auto outcome = import_and_check("controls.json", td);
  ASSERT_TRUE(outcome->model);
  ASSERT_EQ(outcome->warnings.size(), 1u);
  EXPECT_EQ(outcome->warnings[0].substr(0, outcome->warnings[0].find(':')), std::to_string(line_of(td, "telepathy")));
  EXPECT_NE(outcome->warnings[0].find("unknown control 'telepathy'"), std::string::npos);
  ASSERT_EQ(outcome->model->elements[0].controls.size(), 3u);
  EXPECT_EQ(outcome->model->elements[0].controls[1].value, "rate-limit");
}

// The importers' own choices must make a model the format accepts.
TEST(ImportRefusals, AnElementNamedLikeAFlagAssetKeepsBothIds) {
  std::string td = threat_dragon({cell("actor", "a", R"("name": "Credentials")"),
                                  cell("store", "s", R"("name": "Vault", "storesCredentials": true)", 100),
                                  cell("store", "t", R"("name": "Backup", "storesCredentials": true)", 200)});
  auto outcome = import_and_check("credentials.json", td);
  ASSERT_TRUE(outcome->model);
  EXPECT_EQ(outcome->model->elements[0].id, "credentials");
  ASSERT_EQ(outcome->model->assets.size(), 1u);
  EXPECT_EQ(outcome->model->elements[1].assets[0].value, outcome->model->assets[0].id);
  EXPECT_EQ(outcome->model->elements[2].assets[0].value, outcome->model->assets[0].id);
}

TEST(ImportRefusals, AnOtmThreatMitigatedWithARequiredMitigationIsMitigating) {
  std::string otm = R"(otmVersion: 0.2.0
project: {name: P, id: p}
components: [{id: c, name: C, type: service, threats: [{threat: t, state: mitigated, mitigations: [{mitigation: m, state: required}]}]}]
threats: [{id: t, name: T}]
mitigations: [{id: m, name: M}]
)";
  auto outcome = import_and_check("m.otm.yaml", otm);
  ASSERT_TRUE(outcome->model);
  EXPECT_EQ(outcome->model->threats[0].status, model::ThreatStatus::mitigating);
}

TEST(ImportRefusals, AnOtmThreatAcceptedWithoutWhoIsOpen) {
  std::string otm = R"(otmVersion: 0.2.0
project: {name: P, id: p}
components: [{id: c, name: C, type: service, threats: [{threat: t, state: accepted}, {threat: u, state: transferred}]}]
threats: [{id: t, name: T}, {id: u, name: U}]
)";
  auto outcome = import_and_check("a.otm.yaml", otm);
  ASSERT_TRUE(outcome->model);
  EXPECT_EQ(outcome->model->threats[0].status, model::ThreatStatus::open);
  EXPECT_EQ(outcome->model->threats[1].status, model::ThreatStatus::open);
}

// A register row that says mitigated while the model merged into still has
// a mitigation planned, or accepted without who or why.
TEST(ImportRefusals, CsvStatusesTheModelCannotHoldAreTakenAsTheNearestItCan) {
  const std::string yaml = R"(tmc: 1
title: M
elements: [{id: api, name: API, type: process}]
threats:
  - id: T1
    title: Spoofed
    target: api
    likelihood: 2
    impact: 2
    mitigations: [{description: MFA, status: planned}]
)";
  SourceManager sources;
  DiagnosticSink sink;
  uint32_t file = sources.add("m.tm.yaml", yaml);
  auto root = load::parse_document(file, sources, {}, sink);
  auto built = model::build_model({{file, "m.tm.yaml", root.root, root.arena}}, sink);
  ASSERT_TRUE(built);
  ImportOptions into;
  into.into = &*built;
  const std::string header = "id,component,threat,description,likelihood,impact,risk_score,mitigation,owner,due,date_identified,status\n";
  auto merged = import_and_check("r.csv", header + "T1,api,Spoofed,,2,2,4,MFA,,,,mitigated\n"
                                                   "T2,api,Replayed,,1,1,1,Accepted by : no one,,,,accepted\n"
                                                   "T3,api,Tampered,,1,1,1,Accepted by Bob: ,,,,accepted\n", into);
  ASSERT_TRUE(merged->model);
  EXPECT_EQ(merged->model->threats[0].status, model::ThreatStatus::mitigating);
  EXPECT_EQ(merged->model->threats[1].status, model::ThreatStatus::open);
  EXPECT_EQ(merged->model->threats[2].status, model::ThreatStatus::open);
}

// Line and paragraph separators, NEL, C1 controls and noncharacters in the
// short texts an import writes (names, titles, ids it makes from them,
// tags, authors) read back as written.
TEST(ImportRefusals, SeparatorsAndControlsInShortNamesReadBack) {
  // Each as the JSON escape the source holds, and as the text it stands for.
  const std::vector<std::pair<std::string, std::string>> kOdd = {
      {"\\u2028", "\u2028"}, {"\\u2029", "\u2029"}, {"\\u0085", "\u0085"}, {"\\u0090", "\u0090"},
      {"\\uFFFE", "\uFFFE"}, {"\\uFFFF", "\uFFFF"}, {"a\\u2028b", "a\u2028b"}, {"\\u009b31m", "\u009b31m"}};
  for (const auto& [odd, text] : kOdd) {
    std::string name = "N" + odd + "x";
    std::string td = threat_dragon(
        {cell("actor", "a", fmt::format(R"("name": "{}", "tmc": {{"tags": ["{}"]}})", name, name)),
         cell("trust-boundary-box", "b", fmt::format(R"("name": "{}")", name), 0, 0, 1000),
         cell("process", "p", fmt::format(R"("name": "{}", "threats": [{{"title": "{}", "severity": "High", "mitigation": "{}"}}])", name, name, name), 100),
         flow("f", "a", "p", fmt::format(R"("protocol": "{}")", name))},
        fmt::format(R"({{"authors": ["{}"], "actors": [{{"id": "x", "name": "{}"}}]}})", name, name));
    auto outcome = import_and_check("names.json", td);
    ASSERT_TRUE(outcome->model) << odd;
    std::string expected = "N" + text + "x";
    EXPECT_EQ(outcome->model->elements[0].name, expected);
    EXPECT_EQ(outcome->model->elements[0].tags[0].value, expected);
    EXPECT_EQ(outcome->model->boundaries[0].name, expected);
    EXPECT_EQ(outcome->model->threats[0].title, expected);
    EXPECT_EQ(outcome->model->flows[0].protocol, expected);
    EXPECT_EQ(outcome->model->authors[0], expected);
    EXPECT_EQ(outcome->model->actors[0].name, expected);
  }
}

// Dismissals of a tag or of several targets, and a model's own asset
// classes, were exported as report text ("tag web", "a, b") or not at all;
// the re-import then failed its check. They go through both formats and
// through `--into`.
TEST(ImportRefusals, DismissalsAndAssetClassesGoThroughExportAndInto) {
  const std::string yaml = R"(tmc: 1
title: M
asset_classes: [loyalty]
assets: [{id: points, name: Points, classes: [loyalty]}]
elements:
  - {id: a, name: A, type: process, tags: [web], assets: [points]}
  - {id: b, name: B, type: process}
flows:
  - {id: f, from: a, to: b}
dismissed:
  - {rule: TMC-CROSSING-UNAUTHENTICATED, target: [a, b], reason: r, by: me}
  - {rule: TMC-CROSSING-UNAUTHENTICATED, target: {tag: web}, reason: r, by: me}
  - {rule: TMC-CROSSING-UNAUTHENTICATED, target: all, reason: r, by: me}
  - {rule: TMC-CROSSING-UNAUTHENTICATED, target: f, reason: r, by: me}
)";
  SourceManager sources;
  DiagnosticSink sink;
  uint32_t file = sources.add("m.tm.yaml", yaml);
  auto root = load::parse_document(file, sources, {}, sink);
  auto built = model::build_model({{file, "m.tm.yaml", root.root, root.arena}}, sink);
  ASSERT_TRUE(built);
  auto same = [&](const model::Model& m) {
    ASSERT_EQ(m.dismissed.size(), 4u);
    ASSERT_EQ(m.dismissed[0].targets.size(), 2u);
    EXPECT_EQ(m.dismissed[0].targets[1].value, "b");
    ASSERT_TRUE(m.dismissed[1].tag);
    EXPECT_EQ(m.dismissed[1].tag->value, "web");
    EXPECT_TRUE(m.dismissed[2].all);
    ASSERT_EQ(m.dismissed[3].targets.size(), 1u);
    ASSERT_EQ(m.asset_classes.size(), 1u);
    EXPECT_EQ(m.asset_classes[0].value, "loyalty");
  };
  for (const std::string& exported : {export_threat_dragon(*built, {}), export_otm(*built, {})}) {
    auto outcome = import_and_check("export.json", exported);
    ASSERT_TRUE(outcome->model) << fmt::format("{}", fmt::join(outcome->errors, "\n"));
    same(*outcome->model);
  }
  ImportOptions into;
  into.into = &*built;
  auto merged = import_and_check("r.csv",
                                 "id,component,threat,description,likelihood,impact,risk_score,mitigation,owner,due,date_identified,status\n"
                                 "R1,a,Spoofed,,1,1,1,,,,,open\n",
                                 into);
  ASSERT_TRUE(merged->model) << fmt::format("{}", fmt::join(merged->errors, "\n"));
  same(*merged->model);
}

}  // namespace
}  // namespace tmc::interchange
