// Issue 22, item 3: import was quadratic or cubic in places (the id maker,
// box membership, public flows, CSV targets and threats, OTM component
// rings, zone cycles). The rewrites must answer as before; these pin what
// they answer. tests/scripts/import_linear.sh times the hostile shapes.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "interchange/draft.h"
#include "interchange/interchange.h"
#include "model/builder.h"

namespace tmc::interchange {
namespace {

struct Imported {
  SourceManager sources;
  DiagnosticSink sink;
  std::optional<std::string> yaml;
  std::optional<model::Model> model;
  std::vector<std::string> errors;  // "line:col: message"
};

std::unique_ptr<Imported> import_text(const std::string& name, const std::string& text) {
  auto out = std::make_unique<Imported>();
  uint32_t file = out->sources.add(name, text);
  out->yaml = import_model(file, out->sources, {}, out->sink);
  for (const Diagnostic& d : out->sink.diagnostics()) {
    if (d.severity == Severity::error) out->errors.push_back(fmt::format("{}:{}: {}", d.location.line, d.location.column, d.message));
  }
  if (out->yaml) {
    uint32_t written = out->sources.add("written.tm.yaml", *out->yaml);
    auto root = load::parse_document(written, out->sources, {}, out->sink);
    if (root) out->model = model::build_model({{written, "written.tm.yaml", root.root, root.arena}}, out->sink);
  }
  return out;
}

TEST(IdMakerCounter, NumbersAsBeforeWithACounterPerName) {
  IdMaker ids;
  ids.reserve("user_3");
  EXPECT_EQ(ids.make("User", "element"), "user");
  EXPECT_EQ(ids.make("user", "element"), "user_2");
  EXPECT_EQ(ids.make("USER", "element"), "user_4");  // user_3 was taken
  EXPECT_EQ(ids.keep_or_make("user_5", "element"), "user_5");
  EXPECT_EQ(ids.make("User!", "element"), "user_6");
  EXPECT_EQ(ids.make("User 2", "element"), "user_2_2");
  EXPECT_EQ(ids.next_numbered("T"), "T1");
  ids.reserve("T2");
  EXPECT_EQ(ids.next_numbered("T"), "T3");
}

// Zones whose parents form a ring were reported once per member, each
// message listing the whole ring (4,000 zones: 47 MB of errors).
TEST(ZoneCycles, OneErrorPerCycleAtItsFirstZone) {
  const std::string otm = R"(otmVersion: 0.2.0
project: {name: P, id: p}
trustZones:
  - {id: a, name: A, parent: {trustZone: b}}
  - {id: b, name: B, parent: {trustZone: a}}
  - {id: c, name: C, parent: {trustZone: d}}
  - {id: d, name: D, parent: {trustZone: e}}
  - {id: e, name: E, parent: {trustZone: c}}
  - {id: f, name: F, parent: {trustZone: a}}
  - {id: g, name: G}
)";
  auto result = import_text("cycles.otm.yaml", otm);
  EXPECT_FALSE(result->yaml);
  ASSERT_EQ(result->errors.size(), 2u) << fmt::format("{}", fmt::join(result->errors, "\n"));
  EXPECT_EQ(result->errors[0], "4:42: trust zones nest in a cycle: a -> b -> a");
  EXPECT_EQ(result->errors[1], "6:42: trust zones nest in a cycle: c -> d -> e -> c");
}

TEST(ZoneCycles, ALongCycleIsOneShortMessage) {
  std::string otm = "otmVersion: 0.2.0\nproject: {name: P, id: p}\ntrustZones:\n";
  for (int k = 0; k < 4000; ++k) otm += fmt::format("  - {{id: z{}, name: Z{}, parent: {{trustZone: z{}}}}}\n", k, k, (k + 1) % 4000);
  auto result = import_text("ring.otm.yaml", otm);
  ASSERT_EQ(result->errors.size(), 1u);
  EXPECT_EQ(result->errors[0], "4:44: trust zones nest in a cycle: z0 -> z1 -> z2 -> z3 -> z4 -> z5 -> z6 -> z7 -> ... (3992 more) -> z0");
}

// Components whose parents form a ring were followed up to N steps each,
// each step a scan of every element (2,000 components: 13 s).
TEST(ComponentChains, ARingHasNoZoneAndAChainTakesItsTopsZone) {
  std::string otm = "otmVersion: 0.2.0\nproject: {name: P, id: p}\ntrustZones: [{id: z, name: Z}]\ncomponents:\n";
  otm += "  - {id: top, name: Top, type: service, parent: {trustZone: z}}\n";
  for (int k = 0; k < 500; ++k) otm += fmt::format("  - {{id: c{}, name: C{}, type: service, parent: {{component: {}}}}}\n", k, k, k ? fmt::format("c{}", k - 1) : "top");
  for (int k = 0; k < 500; ++k) otm += fmt::format("  - {{id: r{}, name: R{}, type: service, parent: {{component: r{}}}}}\n", k, k, (k + 1) % 500);
  auto result = import_text("chains.otm.yaml", otm);
  ASSERT_TRUE(result->model) << fmt::format("{}", fmt::join(result->errors, "\n"));
  const model::Model& m = *result->model;
  ASSERT_EQ(m.elements.size(), 1001u);
  for (size_t i = 0; i <= 500; ++i) {
    ASSERT_TRUE(m.elements[i].boundary) << m.elements[i].id;
    EXPECT_EQ(m.elements[i].boundary->value, "z");
  }
  for (size_t i = 501; i < m.elements.size(); ++i) EXPECT_FALSE(m.elements[i].boundary) << m.elements[i].id;
}

TEST(ComponentChains, AMissingParentIsOneErrorAtTheComponentThatNamesIt) {
  const std::string otm = R"(otmVersion: 0.2.0
project: {name: P, id: p}
components:
  - {id: a, name: A, type: service, parent: {component: b}}
  - {id: b, name: B, type: service, parent: {component: gone}}
)";
  auto result = import_text("missing.otm.yaml", otm);
  ASSERT_EQ(result->errors.size(), 1u);
  EXPECT_EQ(result->errors[0], "5:57: component 'b' has parent component 'gone', which is not in 'components'");
}

const std::string kHeader = "id,component,threat,description,likelihood,impact,risk_score,mitigation,owner,due,date_identified,status\n";

// CSV targets come from hash tables now: the first element that answers to
// a name by id or by name, then flows, then boundaries, as the walk found.
TEST(CsvTargets, TheFirstElementByIdOrNameThenFlowsThenBoundaries) {
  const std::string yaml = R"(tmc: 1
title: M
boundaries: [{id: dmz, name: Edge}]
elements:
  - {id: x, name: Api, type: process}
  - {id: api, name: Other, type: process}
  - {id: edge, name: Gateway, type: process}
flows: [{id: f, from: x, to: api, label: Login call}]
)";
  SourceManager sources;
  DiagnosticSink sink;
  uint32_t file = sources.add("m.tm.yaml", yaml);
  auto root = load::parse_document(file, sources, {}, sink);
  auto built = model::build_model({{file, "m.tm.yaml", root.root, root.arena}}, sink);
  ASSERT_TRUE(built);
  ImportOptions into;
  into.into = &*built;
  uint32_t csv = sources.add("r.csv", kHeader + "T1,api,A,,1,1,1,,,,,open\nT2,login call,B,,1,1,1,,,,,open\n"
                                                "T3,dmz / edge,C,,1,1,1,,,,,open\nT4,Other,D,,1,1,1,,,,,open\n");
  auto yaml_out = import_model(csv, sources, into, sink);
  ASSERT_TRUE(yaml_out);
  uint32_t written = sources.add("w.tm.yaml", *yaml_out);
  auto again = load::parse_document(written, sources, {}, sink);
  auto merged = model::build_model({{written, "w.tm.yaml", again.root, again.arena}}, sink);
  ASSERT_TRUE(merged);
  ASSERT_EQ(merged->threats.size(), 4u);
  auto targets = [&](size_t t) {
    std::string out;
    for (const auto& target : merged->threats[t].targets) out += (out.empty() ? "" : " ") + target.id.value;
    return out;
  };
  EXPECT_EQ(targets(0), "x");         // Api (by name) comes before api (by id)
  EXPECT_EQ(targets(1), "f");         // a flow by its label
  EXPECT_EQ(targets(2), "dmz edge");  // a boundary by id; an element by id before a boundary by name
  EXPECT_EQ(targets(3), "api");
}

// Rows are read one at a time, but a quoted field that never closes still
// refuses the file before any row is imported: one error, no row's.
TEST(CsvRows, AnUnclosedQuoteAfterManyRowsIsTheOnlyError) {
  std::string csv = kHeader;
  for (int r = 0; r < 100; ++r) csv += fmt::format("R{},api,Threat,,9,1,9,,,,,open\n", r);
  csv += "R100,api,\"never closed,1,1,1,,,,,open\n";
  auto result = import_text("r.csv", csv);
  EXPECT_FALSE(result->yaml);
  ASSERT_EQ(result->errors.size(), 1u);
  EXPECT_EQ(result->errors[0], "102:10: this quoted field is never closed (is the file truncated?)");
}

// A row whose id repeats an earlier row's updates that threat.
TEST(CsvRows, ARepeatedIdUpdatesTheThreat) {
  auto result = import_text("r.csv", kHeader + "R1,api,First,,1,1,1,,,,,open\nR2,api,Other,,1,1,1,,,,,open\nR1,api,Second,,2,2,4,,,,,open\n");
  ASSERT_TRUE(result->model);
  ASSERT_EQ(result->model->threats.size(), 2u);
  EXPECT_EQ(result->model->threats[0].title, "Second");
  EXPECT_EQ(result->model->threats[0].likelihood, 2);
}

}  // namespace
}  // namespace tmc::interchange
