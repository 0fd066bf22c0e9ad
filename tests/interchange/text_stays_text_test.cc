// Issue 22, item 1: imported text stays text. The YAML writer let U+2028,
// U+2029 and U+0085 through (in `|` blocks and quoted strings); libyaml
// reads them as line breaks, so the rest of a Threat Dragon description
// became keys of the model (`scale: 5`, a review date, a `dismissed:` list)
// and the import still exited 0. Every string an import writes must read
// back as exactly the source string.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include "interchange/draft.h"
#include "interchange/interchange.h"
#include "interchange/tree_access.h"
#include "model/builder.h"
#include "third_party.h"

namespace tmc::interchange {
namespace {

// Strings some YAML reader takes for structure or changes: every line break
// YAML 1.1 knows, controls, C1, DEL, BOM, bidi controls, escapes and quotes.
const std::vector<std::string>& hostile_strings() {
  static const std::vector<std::string> kStrings = {
      "Owned by the platform team.\u2028scale: 5\u2028reviewed: 2099-01-01",
      "Payments platform.\nOwned by the platform team.\u2028scale: 5\u2028reviewed: 2099-01-01",
      "Takes payments.\u2029dismissed:\u2029  - {rule: TMC-IDOR, target: api, reason: r, by: m}",
      "two\nlines\u2029dismissed:\u2029  - {rule: TMC-IDOR, target: api, reason: r, by: m}",
      "Replays a request.\u0085likelihood: 1",
      "block\n\u0085threats: []",
      "C1 \u009b31m and \u0080 and \u009f",
      "DEL \x7f here",
      "BOM \ufeff inside",
      "\ufeffBOM first",
      "bidi \u202eoverride\u202c and \u2066isolate\u2069",
      "escape \x1b[2J and bell \a",
      std::string("NUL \0 inside", 12),
      "CR\ronly and CRLF\r\nend",
      "tab\tinside",
      "backslash \\u2028 stays \\ text",
      "\"quotes\" and 'apostrophes'",
      "emoji \U0001F600 and \u00e9t\u00e9",
      "noncharacter \uffff end",
  };
  return kStrings;
}

struct Built {
  SourceManager sources;
  DiagnosticSink sink;
  load::SyntaxTree tree;
  std::optional<model::Model> model;
};

std::unique_ptr<Built> build(const std::string& yaml) {
  auto out = std::make_unique<Built>();
  uint32_t file = out->sources.add("written.tm.yaml", yaml);
  out->tree = load::parse_document(file, out->sources, {}, out->sink);
  if (out->tree) out->model = model::build_model({{file, "written.tm.yaml", out->tree.root, out->tree.arena}}, out->sink);
  return out;
}

void collect_scalars(const load::Node* node, std::multiset<std::string>& out) {
  if (node == nullptr) return;
  if (node->is_scalar()) out.emplace(node->text());
  for (const load::Node* item : node->items()) collect_scalars(item, out);
  for (const load::MappingEntry& entry : node->entries()) {
    out.emplace(entry.key);
    collect_scalars(entry.value, out);
  }
}

// The import fuzz target's invariant (fuzz/import_fuzz.cc): the model read
// back from what an import wrote, written again, is the same text; no
// string changed on the way.
std::string written_again(const std::string& yaml) {
  auto built = build(yaml);
  if (!built->model) return "(does not build)";
  Draft draft;
  draft.model = *built->model;
  draft.source_ids = read_source_ids(*built->tree.root);
  for (const auto& [id, at] : entries(field(built->tree.root, "x-layout"))) {
    auto xy = items(at);
    if (xy.size() == 2) draft.positions[id] = {number(xy[0]).value_or(0), number(xy[1]).value_or(0)};
  }
  for (size_t start = 0; yaml.compare(start, 2, "# ") == 0 || yaml.compare(start, 2, "#\n") == 0;) {
    size_t end = yaml.find('\n', start);
    draft.header.push_back(yaml.substr(start + std::min<size_t>(2, end - start), end - start - std::min<size_t>(2, end - start)));
    start = end + 1;
  }
  return write_yaml(draft);
}

// The top-level keys write_yaml() writes; anything else came from text.
const std::set<std::string, std::less<>> kWrittenKeys = {
    "tmc",     "title", "scope",   "in_scope", "out_of_scope", "authors",   "review_every", "review_when",
    "assumptions", "actors", "assets", "boundaries", "elements", "flows", "paths", "threats",
    "attack_trees", "x-source-ids", "x-layout"};

// The written YAML builds, holds only the keys the writer writes, and has
// every one of `expected` as one of its strings, exactly.
void expect_text_read_back(const std::string& yaml, const std::vector<std::string>& expected) {
  auto built = build(yaml);
  ASSERT_TRUE(built->model) << (built->sink.diagnostics().empty() ? "" : built->sink.diagnostics()[0].message) << "\n" << yaml;
  for (const load::MappingEntry& entry : built->tree.root->entries()) {
    EXPECT_TRUE(kWrittenKeys.count(entry.key)) << "text became the key '" << entry.key << "'\n" << yaml;
  }
  const model::Model& m = *built->model;
  EXPECT_EQ(m.scale, 3);
  EXPECT_FALSE(m.reviewed);
  EXPECT_TRUE(m.dismissed.empty());
  std::multiset<std::string> scalars;
  collect_scalars(built->tree.root, scalars);
  for (const std::string& text : expected) EXPECT_TRUE(scalars.count(text)) << "not read back: '" << text << "'\n" << yaml;
  EXPECT_EQ(written_again(yaml), yaml);
}

std::string read_input(const std::string& name) {
  std::ifstream in(std::string(TMC_SOURCE_DIR) + "/tests/interchange/inputs/" + name);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::optional<std::string> import_text(SourceManager& sources, const std::string& name, const std::string& text,
                                       const ImportOptions& options = {}) {
  DiagnosticSink sink;
  uint32_t file = sources.add(name, text);
  auto yaml = import_model(file, sources, options, sink);
  for (const Diagnostic& d : sink.diagnostics()) {
    if (d.severity == Severity::error) ADD_FAILURE() << d.location.line << ":" << d.location.column << ": " << d.message;
  }
  return yaml;
}

// A JSON string literal of `text` with every control and every non-ASCII
// character escaped (past the BMP as a surrogate pair), as Python's
// json.dump writes them; with `yaml`, a YAML double-quoted string (past the
// BMP as \UXXXXXXXX: YAML has no surrogate pairs).
std::string json_string(const std::string& text, bool yaml = false) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    uint32_t code = c;
    size_t length = 1;
    if (c >= 0xF0) {
      code = c & 0x07, length = 4;
    } else if (c >= 0xE0) {
      code = c & 0x0F, length = 3;
    } else if (c >= 0xC0) {
      code = c & 0x1F, length = 2;
    }
    for (size_t k = 1; k < length; ++k) code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    if (code == '"' || code == '\\') {
      out += '\\';
      out += static_cast<char>(code);
    } else if (code >= 0x20 && code < 0x7F) {
      out += static_cast<char>(code);
    } else if (code > 0xFFFF && yaml) {
      out += fmt::format("\\U{:08x}", code);
    } else if (code > 0xFFFF) {  // a surrogate pair
      code -= 0x10000;
      out += fmt::format("\\u{:04x}\\u{:04x}", 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF));
    } else {
      out += fmt::format("\\u{:04x}", code);
    }
    i += length;
  }
  return out + "\"";
}

TEST(ImportedText, ThreatDragonDescriptionCannotSetScaleReviewDateOrDismissals) {
  SourceManager sources;
  auto yaml = import_text(sources, "td-line-separators.json", read_input("td-line-separators.json"));
  ASSERT_TRUE(yaml);
  expect_text_read_back(*yaml, {"Payments platform.\nOwned by the platform team.\u2028scale: 5\u2028reviewed: 2099-01-01\u2028"
                                "dismissed:\u2028  - {rule: TMC-CROSSING-UNAUTHENTICATED, target: api, reason: injected, by: mallory}",
                                "Takes payments.\u2029Card data only, through the payment provider's hosted fields and nothing else.",
                                "Replays a request.\u0085likelihood: 1"});
  auto built = build(*yaml);
  ASSERT_TRUE(built->model);
  ASSERT_EQ(built->model->threats.size(), 1u);
  EXPECT_EQ(built->model->threats[0].status, model::ThreatStatus::open);
}

// Every string the Threat Dragon importer copies (title, descriptions,
// names, threat and mitigation text, the owner) reads back exactly.
TEST(ImportedText, EveryThreatDragonStringReadsBack) {
  for (const std::string& s : hostile_strings()) {
    std::string j = json_string(s);
    std::string td = R"({"summary": {"title": )" + j + R"(, "owner": )" + j + R"(, "description": )" + j + R"(},
  "detail": {"contributors": [], "diagrams": [{"id": 0, "title": "Main", "cells": [
    {"shape": "actor", "id": "a", "position": {"x": 0, "y": 0}, "size": {"width": 10, "height": 10},
     "data": {"type": "tm.Actor", "name": )" + j + R"(, "description": )" + j + R"(}},
    {"shape": "process", "id": "p", "position": {"x": 50, "y": 0}, "size": {"width": 10, "height": 10},
     "data": {"type": "tm.Process", "name": "API", "description": )" + j + R"(,
              "threats": [{"status": "Open", "severity": "High", "title": )" + j + R"(, "type": "Tampering",
                           "description": )" + j + R"(, "mitigation": )" + j + R"(}]}},
    {"shape": "flow", "id": "f", "source": {"cell": "a"}, "target": {"cell": "p"},
     "data": {"type": "tm.Flow", "name": "pay", "protocol": )" + j + R"(, "description": )" + j + R"(}}]}]}})";
    SourceManager sources;
    auto yaml = import_text(sources, "td.json", td);
    ASSERT_TRUE(yaml) << s;
    expect_text_read_back(*yaml, {s});
    auto built = build(*yaml);
    ASSERT_TRUE(built->model);
    const model::Model& m = *built->model;
    EXPECT_EQ(m.title, s);
    EXPECT_EQ(m.scope, s);
    ASSERT_EQ(m.authors.size(), 1u);
    EXPECT_EQ(m.authors[0], s);
    ASSERT_EQ(m.elements.size(), 2u);
    std::string one_line = s;  // a cell's name is one line in Threat Dragon's drawing
    std::replace(one_line.begin(), one_line.end(), '\n', ' ');
    EXPECT_EQ(m.elements[0].name, one_line);
    EXPECT_EQ(m.elements[0].description, s);
    EXPECT_EQ(m.elements[1].description, s);
    ASSERT_EQ(m.flows.size(), 1u);
    EXPECT_EQ(m.flows[0].protocol, s);
    EXPECT_EQ(m.flows[0].description, s);
    ASSERT_EQ(m.threats.size(), 1u);
    EXPECT_EQ(m.threats[0].title, s);
    EXPECT_EQ(m.threats[0].description, s);
    ASSERT_EQ(m.threats[0].mitigations.size(), 1u);
    EXPECT_EQ(m.threats[0].mitigations[0].description, s);
  }
}

TEST(ImportedText, EveryOtmStringReadsBack) {
  for (const std::string& s : hostile_strings()) {
    std::string j = json_string(s);
    std::string otm = R"({"otmVersion": "0.2.0", "project": {"name": )" + j + R"(, "id": "p", "description": )" + j + R"(},
  "trustZones": [{"id": "z", "name": )" + j + R"(, "description": )" + j + R"(, "risk": {"trustRating": 10}}],
  "components": [{"id": "c", "name": )" + j + R"(, "description": )" + j + R"(, "type": "service", "parent": {"trustZone": "z"},
                  "threats": [{"threat": "t", "state": "exposed"}]},
                 {"id": "d", "name": "D", "type": "service", "parent": {"trustZone": "z"}}],
  "dataflows": [{"id": "f", "name": "F", "description": )" + j + R"(, "source": "c", "destination": "d"}],
  "threats": [{"id": "t", "name": )" + j + R"(, "description": )" + j + R"(, "categories": ["Tampering"],
               "risk": {"likelihood": 100, "impact": 100}}]})";
    SourceManager sources;
    auto yaml = import_text(sources, "m.otm.json", otm);
    ASSERT_TRUE(yaml) << s;
    expect_text_read_back(*yaml, {s});
    auto built = build(*yaml);
    ASSERT_TRUE(built->model);
    const model::Model& m = *built->model;
    EXPECT_EQ(m.title, s);
    EXPECT_EQ(m.scope, s);
    ASSERT_EQ(m.boundaries.size(), 1u);
    EXPECT_EQ(m.boundaries[0].name, s);
    EXPECT_EQ(m.boundaries[0].description, s);
    ASSERT_EQ(m.elements.size(), 2u);
    EXPECT_EQ(m.elements[0].name, s);
    EXPECT_EQ(m.elements[0].description, s);
    ASSERT_EQ(m.flows.size(), 1u);
    EXPECT_EQ(m.flows[0].description, s);
    ASSERT_EQ(m.threats.size(), 1u);
    EXPECT_EQ(m.threats[0].title, s);
    EXPECT_EQ(m.threats[0].description, s);
  }
}

// A CSV cell as RFC 4180 quotes it.
std::string csv_cell(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

const char* const kRegisterHeader =
    "id,component,threat,description,likelihood,impact,risk_score,mitigation,owner,due,date_identified,status\n";

TEST(ImportedText, EveryCsvStringReadsBack) {
  for (const std::string& s : hostile_strings()) {
    std::string c = csv_cell(s);
    std::string csv = std::string(kRegisterHeader) + "R1,api," + c + "," + c + ",3,3,9," + c + "," + c + ",,,open\n";
    SourceManager sources;
    auto yaml = import_text(sources, "r.csv", csv);
    ASSERT_TRUE(yaml) << s;
    expect_text_read_back(*yaml, {s});
    auto built = build(*yaml);
    ASSERT_TRUE(built->model);
    const model::Model& m = *built->model;
    ASSERT_EQ(m.threats.size(), 1u);
    EXPECT_EQ(m.threats[0].title, s);
    EXPECT_EQ(m.threats[0].description, s);
    ASSERT_EQ(m.threats[0].mitigations.size(), 1u);
    EXPECT_EQ(m.threats[0].mitigations[0].description, s);
    EXPECT_EQ(m.threats[0].mitigations[0].owner, s);
  }
}

// `import --into` writes the model merged into again: its own text and the
// register's both read back exactly.
TEST(ImportedText, CsvMergedIntoAModelReadsBack) {
  for (const std::string& s : hostile_strings()) {
    std::string q = json_string(s, true);
    std::string into_yaml = "tmc: 1\ntitle: " + q + "\nscope: " + q + "\nelements:\n  - {id: api, name: " + q +
                            ", description: " + q + ", type: process}\n";
    auto into = build(into_yaml);
    ASSERT_TRUE(into->model) << into_yaml;
    ImportOptions options;
    options.into = &*into->model;
    std::string c = csv_cell(s);
    std::string csv = std::string(kRegisterHeader) + "R1,api," + c + "," + c + ",3,3,9," + c + ",,,,open\n";
    SourceManager sources;
    auto yaml = import_text(sources, "r.csv", csv, options);
    ASSERT_TRUE(yaml) << s;
    expect_text_read_back(*yaml, {s});
    auto built = build(*yaml);
    ASSERT_TRUE(built->model);
    const model::Model& m = *built->model;
    EXPECT_EQ(m.title, s);
    EXPECT_EQ(m.scope, s);
    ASSERT_EQ(m.elements.size(), 1u);
    EXPECT_EQ(m.elements[0].name, s);
    EXPECT_EQ(m.elements[0].description, s);
    ASSERT_EQ(m.threats.size(), 1u);
    EXPECT_EQ(m.threats[0].title, s);
    EXPECT_EQ(m.threats[0].description, s);
  }
}

// The file name goes into the header comment: a line break in it must not
// end the comment.
TEST(ImportedText, SourceFileNameStaysInTheComment) {
  SourceManager sources;
  auto yaml = import_text(sources, "evil\nscale: 5\u2028reviewed: 2099-01-01.csv",
                          std::string(kRegisterHeader) + "R1,api,Threat,,3,3,9,,,,,open\n");
  ASSERT_TRUE(yaml);
  expect_text_read_back(*yaml, {});
}

// The written YAML holds nothing a terminal would act on, so `import -o -`
// prints the same bytes a file gets.
TEST(ImportedText, WrittenYamlIsTerminalClean) {
  Draft draft;
  for (const std::string& s : hostile_strings()) {
    model::Element e;
    e.id = "e" + std::to_string(draft.model.elements.size());
    e.name = s;
    e.description = s;
    e.tags.push_back({s, {}});
    draft.model.elements.push_back(e);
    draft.model.authors.push_back(s);
    draft.source_ids[e.id] = s;
  }
  draft.model.scope = hostile_strings()[1];
  draft.header = {"from " + hostile_strings()[0]};
  std::string yaml = write_yaml(draft);
  for (size_t i = 0; i < yaml.size(); ++i) {
    auto c = static_cast<unsigned char>(yaml[i]);
    ASSERT_TRUE(c >= 0x20 || c == '\n') << "byte " << int(c) << " at " << i;
    ASSERT_NE(c, 0x7F) << "at " << i;
  }
  for (const char* raw : {"\u0085", "\u2028", "\u2029", "\ufeff", "\u202e", "\u009b", "\uffff"}) {
    EXPECT_EQ(yaml.find(raw), std::string::npos) << raw;
  }
  auto built = build(yaml);
  ASSERT_TRUE(built->model) << yaml;
  ASSERT_EQ(built->model->elements.size(), hostile_strings().size());
  for (size_t i = 0; i < hostile_strings().size(); ++i) {
    EXPECT_EQ(built->model->elements[i].name, hostile_strings()[i]);
    EXPECT_EQ(built->model->elements[i].description, hostile_strings()[i]);
    EXPECT_EQ(built->model->elements[i].tags[0].value, hostile_strings()[i]);
    EXPECT_EQ(built->model->authors[i], hostile_strings()[i]);
  }
  EXPECT_EQ(read_source_ids(*built->tree.root), draft.source_ids);
  EXPECT_EQ(built->model->scope, hostile_strings()[1]);
}

}  // namespace
}  // namespace tmc::interchange

namespace tmc::interchange {
namespace {

TEST(ImportedText, WrittenAgainIsTheSame) {
  std::vector<std::pair<std::string, std::string>> sources = {
      {"td-line-separators.json", read_input("td-line-separators.json")},
      {"register.csv", read_input("register.csv")},
      {"otm-flow-unknown-component.yaml", read_input("otm-flow-unknown-component.yaml")},
      {"td-flow-unknown-source.json", read_input("td-flow-unknown-source.json")}};
  for (const char* fixture : {"threat-dragon/v2-threat-model.json", "threat-dragon/iot-device.json",
                              "threat-dragon/three-tier-web-app.json", "otm/EXAMPLE.json", "otm/EXAMPLE.yaml"}) {
    std::string path = testing_support::third_party(fixture);
    std::ifstream in(path);
    ASSERT_TRUE(in) << "cannot read " << path;
    sources.emplace_back(fixture, std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
  }
  const std::set<std::string> errors_on_purpose = {"otm-flow-unknown-component.yaml", "td-flow-unknown-source.json"};
  for (const auto& [name, text] : sources) {
    ASSERT_FALSE(text.empty()) << name << " is empty";
    SourceManager files;
    DiagnosticSink sink;
    auto yaml = import_model(files.add(name, text), files, {}, sink);
    EXPECT_EQ(yaml.has_value(), !errors_on_purpose.contains(name)) << name;
    if (!yaml) continue;
    EXPECT_EQ(written_again(*yaml), *yaml) << name;
  }
}

}  // namespace
}  // namespace tmc::interchange
