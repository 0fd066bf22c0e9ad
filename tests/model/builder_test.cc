#include "model/builder.h"

#include <gtest/gtest.h>

#include "load/loader.h"
#include "third_party.h"

namespace tmc::model {
namespace {

struct Built {
  SourceManager sources;
  DiagnosticSink sink;
  std::optional<Model> model;
};

std::unique_ptr<Built> build_file(const std::string& path) {
  auto built = std::make_unique<Built>();
  auto documents = load::load_model(path, load::DiskFileSystem(), load::LoadLimits(), built->sources, built->sink);
  built->model = build_model(documents, built->sink);
  return built;
}

std::unique_ptr<Built> build_text(const std::string& text, bool strict = false) {
  auto built = std::make_unique<Built>();
  built->sink = DiagnosticSink(strict);
  load::MemoryFileSystem fs;
  fs.files["/m/model.tm.yaml"] = text;
  auto documents = load::load_model("/m/model.tm.yaml", fs, load::LoadLimits(), built->sources, built->sink);
  built->model = build_model(documents, built->sink);
  return built;
}

std::string messages(const DiagnosticSink& sink) {
  std::string out;
  for (const Diagnostic& d : sink.sorted()) {
    out += std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + " " + to_string(d.severity) +
           " " + d.code + ": " + d.message + "\n";
  }
  return out;
}

TEST(Builder, PaymentsExampleBuildsWithTypedValues) {
  auto built = build_file(testing_support::third_party("examples/payments.tm.yaml"));
  ASSERT_TRUE(built->model) << messages(built->sink);
  EXPECT_EQ(messages(built->sink), "");
  const Model& m = *built->model;
  EXPECT_EQ(m.title, "Payments service");
  EXPECT_EQ(m.scale, 3);
  EXPECT_EQ(m.review_every, 90);
  EXPECT_EQ(m.reviewed->to_string(), "2026-03-12");
  EXPECT_EQ(m.boundaries.size(), 6u);
  EXPECT_EQ(m.boundaries[static_cast<size_t>(m.find_boundary("app"))].parent_index, m.find_boundary("cloud"));
  const Element& api = m.elements[static_cast<size_t>(m.find_element("api"))];
  EXPECT_EQ(api.type, ElementType::process);
  EXPECT_TRUE(api.internet_facing);
  EXPECT_TRUE(api.has_control("server-side-recompute"));
  EXPECT_TRUE(api.has_tag("webhook"));
  EXPECT_EQ(api.boundary_index, m.find_boundary("app"));
  EXPECT_EQ(api.asset_indexes.size(), 3u);
  const Element& queue = m.elements[static_cast<size_t>(m.find_element("job_queue"))];
  EXPECT_EQ(queue.store, StoreKind::queue);
  const Flow& dequeue = m.flows[static_cast<size_t>(m.find_flow("dequeue"))];
  EXPECT_EQ(dequeue.from_index, m.find_element("job_queue"));
  EXPECT_EQ(dequeue.to_index, m.find_element("worker"));
  EXPECT_EQ(dequeue.authorization->value, "claims in the signed message");
  ASSERT_EQ(m.threats.size(), 5u);
  EXPECT_EQ(m.threats[0].risk(), 9);
  EXPECT_EQ(m.threats[1].stride, bit(Stride::S) | bit(Stride::T));
  EXPECT_EQ(m.threats[3].status, ThreatStatus::accepted);
  EXPECT_EQ(m.threats[3].accepted_by, "Head of Platform");
  EXPECT_EQ(m.mitigation_index.size(), 4u);
  EXPECT_EQ(m.find_mitigation("M1"), 0);
  ASSERT_EQ(m.attack_trees.size(), 1u);
  const AttackTree& tree = m.attack_trees[0];
  EXPECT_EQ(tree.threat_index, 0);
  const AttackNode& root = m.attack_nodes[static_cast<size_t>(tree.root)];
  EXPECT_EQ(root.kind, AttackNodeKind::or_node);
  ASSERT_EQ(root.children.size(), 3u);
  const AttackNode& bypass = m.attack_nodes[static_cast<size_t>(root.children[1])];
  const AttackNode& change_id = m.attack_nodes[static_cast<size_t>(bypass.children[0])];
  EXPECT_EQ(change_id.title, "Change the id in /api/invoices/{id}");
  EXPECT_EQ(change_id.cost_level, CostLevel::trivial);
  EXPECT_EQ(change_id.mitigated_by_indexes, std::vector<int>{0});
}

TEST(Builder, WebLoginExampleBuilds) {
  auto built = build_file(testing_support::third_party("examples/web-login.tm.yaml"));
  ASSERT_TRUE(built->model) << messages(built->sink);
  EXPECT_EQ(messages(built->sink), "");
  const Model& m = *built->model;
  EXPECT_EQ(m.scale, 5);
  EXPECT_EQ(m.threats[0].risk(), 20);
  EXPECT_EQ(m.elements[static_cast<size_t>(m.find_element("webapp"))].boundary_index, -1);
  EXPECT_EQ(m.attack_trees.size(), 2u);
  EXPECT_EQ(m.threats[0].mitigations[0].due->to_string(), "2026-11-30");
}

TEST(Builder, SuggestsTheClosestNames) {
  auto built = build_text(
      "tmc: 1\ntitle: t\nelements:\n  - id: api\n    type: proces\n    controls: [tsl]\n"
      "  - id: db\n    type: store\nflows:\n  - id: f\n    from: apii\n    to: db\n    protcol: HTTPS\n");
  EXPECT_EQ(messages(built->sink),
            "5:11 error invalid-value: 'proces' is not a valid type; did you mean 'process'?\n"
            "6:16 warning unknown-control: unknown control 'tsl'; did you mean 'tls'?\n"
            "11:11 error unknown-reference: unknown element 'apii' in 'from'; did you mean 'api'?\n"
            "13:5 error unknown-key: unknown key 'protcol' in flow 'f'; did you mean 'protocol'?\n");
}

// A control with no near match says what it does (nothing) and how a team
// makes its own count: a new user wrote secure-boot and mdm on devices and
// got a bare "unknown control".
TEST(Builder, AnUnknownControlWithNoNearMatchSaysWhatItDoes) {
  auto built = build_text("tmc: 1\ntitle: t\nelements:\n  - id: bus\n    type: process\n    controls: [secure-boot]\n");
  EXPECT_EQ(messages(built->sink),
            "6:16 warning unknown-control: unknown control 'secure-boot': no rule reads it, so it answers no finding "
            "('tmc controls' lists the known ones; a team rule file that reads it with has: or lacks: makes it known)\n");
}

// Issue 21: "PHI" got "did you mean 'pii'?"; a common other name of a
// built-in class is answered with that class, and declaring it as a class
// of one's own (which steers no rule) is a warning.
TEST(Builder, ACommonNameOfABuiltInClassIsAnsweredWithIt) {
  auto built = build_text("tmc: 1\ntitle: t\nassets:\n  - {id: r, classes: [PHI]}\n  - {id: k, classes: [API key]}\n");
  EXPECT_EQ(messages(built->sink),
            "4:23 error unknown-asset-class: unknown asset class 'PHI': tmc calls this class 'health'; write 'health' so "
            "the rules for that data read it\n"
            "5:23 error unknown-asset-class: unknown asset class 'API key': tmc calls this class 'key'; write 'key' so "
            "the rules for that data read it\n");
  auto declared = build_text("tmc: 1\ntitle: t\nasset_classes: [ePHI, recipe]\nassets:\n  - {id: r, classes: [ePHI]}\n");
  EXPECT_EQ(messages(declared->sink),
            "3:17 warning asset-class-synonym: 'ePHI' is what tmc calls 'health': declared as a class of its own, no "
            "built-in rule reads it; use 'health' instead\n");
}

// Issue 14: unknown keys are errors by default, not only under --strict;
// the x- prefix marks a team's own keys, at any level.
TEST(Builder, UnknownKeysAreErrorsWithoutStrict) {
  auto built = build_text("tmc: 1\ntitle: t\ncolour: blue\n", false);
  EXPECT_FALSE(built->model);
  EXPECT_EQ(messages(built->sink),
            "3:1 error unknown-key: unknown key 'colour' in the model; a team's own keys start with 'x-'\n");
  auto extended = build_text("tmc: 1\ntitle: t\nx-colour: blue\nelements:\n  - {id: a, type: process, x-team: web}\n", false);
  EXPECT_TRUE(extended->model);
  EXPECT_EQ(messages(extended->sink), "");
}

TEST(Builder, StrictMakesCaseCorrectionsErrors) {
  auto lenient = build_text("tmc: 1\ntitle: t\nelements:\n  - {id: a, type: Process}\n", false);
  EXPECT_TRUE(lenient->model);
  EXPECT_EQ(lenient->model->elements[0].type, model::ElementType::process);
  auto strict = build_text("tmc: 1\ntitle: t\nelements:\n  - {id: a, type: Process}\n", true);
  EXPECT_FALSE(strict->model);
  EXPECT_EQ(messages(strict->sink), "4:19 error enum-case: 'Process' is read as type 'process'; write it that way\n");
}

TEST(Builder, IncludedFilesContributeSections) {
  auto built = std::make_unique<Built>();
  load::MemoryFileSystem fs;
  fs.files["/m/model.tm.yaml"] = "tmc: 1\ntitle: t\ninclude: [more.yaml]\nelements:\n  - {id: a, type: process}\n";
  fs.files["/m/more.yaml"] = "title: ignored\nelements:\n  - {id: b, type: store}\nflows:\n  - {id: f, from: a, to: b}\n";
  auto documents = load::load_model("/m/model.tm.yaml", fs, load::LoadLimits(), built->sources, built->sink);
  auto model = build_model(documents, built->sink);
  ASSERT_TRUE(model) << messages(built->sink);
  EXPECT_EQ(model->elements.size(), 2u);
  EXPECT_EQ(model->flows[0].to_index, 1);
  EXPECT_EQ(model->title, "t");
  EXPECT_EQ(messages(built->sink),
            "1:1 warning include-scalar: 'title' in an included file is ignored; only the main model file sets it\n");
  EXPECT_EQ(built->sink.diagnostics()[0].location.file, 2u);
}

}  // namespace
}  // namespace tmc::model
