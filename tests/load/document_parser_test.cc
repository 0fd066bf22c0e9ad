#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "load/loader.h"
#include "third_party.h"

namespace tmc::load {
namespace {

struct Parsed {
  SourceManager sources;
  DiagnosticSink sink;
  SyntaxTree root;
};

std::unique_ptr<Parsed> parse(const std::string& text, LoadLimits limits = {}) {
  auto parsed = std::make_unique<Parsed>();
  uint32_t file = parsed->sources.add("m.tm.yaml", text);
  parsed->root = parse_document(file, parsed->sources, limits, parsed->sink);
  return parsed;
}

// "line:col code" of every diagnostic, in order.
std::string codes(const DiagnosticSink& sink) {
  std::string out;
  for (const Diagnostic& d : sink.diagnostics()) {
    if (!out.empty()) out += "; ";
    out += std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + " " + d.code;
  }
  return out;
}

TEST(DocumentParser, KeepsPositionsOfKeysAndValues) {
  auto p = parse("tmc: 1\ntitle: Shop\nelements:\n  - id: api\n    type: process\n");
  ASSERT_TRUE(p->root) << codes(p->sink);
  EXPECT_EQ(codes(p->sink), "");
  const MappingEntry* elements = p->root->find("elements");
  ASSERT_NE(elements, nullptr);
  EXPECT_EQ(elements->key_location.line, 3u);
  EXPECT_EQ(elements->key_location.column, 1u);
  const Node& element = *elements->value->items()[0];
  EXPECT_EQ(element.location.line, 4u);
  EXPECT_EQ(element.location.column, 5u);
  const MappingEntry* type = element.find("type");
  EXPECT_EQ(type->value->text(), "process");
  EXPECT_EQ(type->value->location.line, 5u);
  EXPECT_EQ(type->value->location.column, 11u);
  EXPECT_EQ(type->value->location.length, 7u);
}

TEST(DocumentParser, ReadsJsonWithPositions) {
  auto p = parse("{\n\t\"tmc\": 1,\n\t\"title\": \"A \\u00e9 \\/ b\",\n\t\"tags\": [\"x\", 2]\n}\n");
  ASSERT_TRUE(p->root) << codes(p->sink);
  const MappingEntry* title = p->root->find("title");
  EXPECT_EQ(title->value->text(), "A \xC3\xA9 / b");
  EXPECT_TRUE(title->value->quoted);
  EXPECT_EQ(title->key_location.line, 3u);
  EXPECT_EQ(title->key_location.column, 2u);
  EXPECT_FALSE(p->root->find("tags")->value->items()[1]->quoted);
}

TEST(DocumentParser, QuotedAndPlainScalarsDiffer) {
  auto p = parse("a: 3\nb: \"3\"\nc:\nd: ~\ne: |\n  text\n");
  ASSERT_TRUE(p->root);
  EXPECT_FALSE(p->root->find("a")->value->quoted);
  EXPECT_TRUE(p->root->find("b")->value->quoted);
  EXPECT_TRUE(p->root->find("c")->value->is_null());
  EXPECT_TRUE(p->root->find("d")->value->is_null());
  EXPECT_TRUE(p->root->find("e")->value->quoted);
  EXPECT_EQ(p->root->find("e")->value->text(), "text\n");
}

TEST(DocumentParser, RejectsBillionLaughsAtTheFirstAliasPastTheLimit) {
  // 9 levels of 9 aliases: level j would expand to about 10^9 nodes.
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  std::string previous = "a";
  for (char c = 'b'; c <= 'j'; ++c) {
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) text += (i ? ", *" : "*") + previous;
    text += "]\n";
    previous = std::string(1, c);
  }
  auto p = parse(text);
  EXPECT_FALSE(p->root);
  // Levels b..f reach 672,588 nodes through aliases; the first alias of
  // level g adds 597,871 more and passes the limit of 1,000,000, so
  // parsing stops there, long before anything is expanded.
  EXPECT_EQ(codes(p->sink), "7:8 alias-expansion");
  EXPECT_EQ(p->sink.diagnostics()[0].message,
            "aliases expand to more than 1000000 nodes; this looks like a 'billion laughs' "
            "file and is rejected");
}

TEST(DocumentParser, AliasesShareTheAnchoredNode) {
  auto p = parse("base: &b {x: 1, y: [a, b]}\nfirst: *b\nsecond: *b\n");
  ASSERT_TRUE(p->root) << codes(p->sink);
  // An alias is a 32-byte copy of the anchored node that shares its entries:
  // the subtree is never copied.
  const Node& base = *p->root->find("base")->value;
  EXPECT_EQ(p->root->find("first")->value->entries().data(), base.entries().data());
  EXPECT_EQ(p->root->find("second")->value->entries().data(), base.entries().data());
  EXPECT_EQ(p->root->find("second")->value->location, base.location);
  EXPECT_EQ(p->root->find("second")->value->find("y")->value->items()[1]->text(), "b");
}

TEST(DocumentParser, CountsNodesAgainstTheLimit) {
  LoadLimits limits;
  limits.max_nodes = 5;
  EXPECT_EQ(codes(parse("a: 1\nb: 2\n", limits)->sink), "");
  EXPECT_EQ(codes(parse("a: 1\nb: 2\nc: 3\n", limits)->sink), "3:1 too-many-nodes");
  limits = LoadLimits();
  limits.max_alias_nodes = 3;
  EXPECT_EQ(codes(parse("a: &a [1, 2]\nb: *a\nc: *a\n", limits)->sink), "3:4 alias-expansion");
}

TEST(DocumentParser, RejectsDeepNestingAtTheLimit) {
  auto p = parse("a: " + std::string(100000, '[') + std::string(100000, ']') + "\n");
  EXPECT_FALSE(p->root);
  EXPECT_EQ(codes(p->sink), "1:67 too-deep");
  auto json = parse(std::string(100000, '[') + std::string(100000, ']'));
  EXPECT_EQ(codes(json->sink), "1:65 too-deep");
}

TEST(DocumentParser, AcceptsNestingUpToTheLimit) {
  LoadLimits limits;
  limits.max_depth = 3;
  EXPECT_EQ(codes(parse("a: [[1]]\n", limits)->sink), "");
  EXPECT_EQ(codes(parse("a: [[[1]]]\n", limits)->sink), "1:6 too-deep");
  EXPECT_EQ(codes(parse("a:\n  b:\n    c: 1\n", limits)->sink), "");
  EXPECT_EQ(codes(parse("a:\n  b:\n    c:\n      d: 1\n", limits)->sink), "4:7 too-deep");
  EXPECT_EQ(parse("a: [[[1]]]\n", limits)->sink.diagnostics()[0].message,
            "values are nested more than 3 levels deep");
}

TEST(DocumentParser, RejectsOversizedFiles) {
  LoadLimits limits;
  limits.max_file_bytes = 1024;
  auto p = parse(std::string(2000, '#'), limits);
  EXPECT_EQ(codes(p->sink), "0:0 file-too-large");
  EXPECT_EQ(p->sink.diagnostics()[0].message,
            "the file holds more than 1024 bytes, the limit (change it with --max-file-size)");
}

TEST(DocumentParser, RejectsBadBytes) {
  EXPECT_EQ(codes(parse("\xEF\xBB\xBFtmc: 1\n")->sink), "1:1 bom");
  EXPECT_EQ(codes(parse("tmc: 1\ntitle: caf\xC3\n")->sink), "2:11 invalid-utf8");
  EXPECT_EQ(codes(parse("tmc: 1\ntitle: \xC0\xAF\n")->sink), "2:8 invalid-utf8");
  EXPECT_EQ(codes(parse("tmc: 1\nboundaries:\n\t- id: a\n")->sink), "3:1 tab-indent");
  EXPECT_EQ(codes(parse("scope: |\n  a\n  \tb tabbed in text\nx: 1\n")->sink), "");
}

TEST(DocumentParser, RejectsShapesThatAreNotAModel) {
  EXPECT_EQ(codes(parse("")->sink), "0:0 empty-file");
  EXPECT_EQ(codes(parse("# only a comment\n")->sink), "0:0 empty-file");
  EXPECT_EQ(codes(parse("- a\n- b\n")->sink), "1:1 not-a-mapping");
  EXPECT_EQ(codes(parse("a: 1\n---\nb: 2\n")->sink), "2:1 multiple-documents");
  EXPECT_EQ(codes(parse("a: !!python/object:os.system x\n")->sink), "1:4 yaml-tag");
  EXPECT_EQ(codes(parse("base: &b {x: 1}\nother:\n  <<: *b\n")->sink), "3:3 merge-key");
  EXPECT_EQ(codes(parse("a: *nothing\n")->sink), "1:4 undefined-alias");
  EXPECT_EQ(codes(parse("a: [1, 2\nb: 3\n")->sink), "2:2 yaml-syntax");
}

TEST(DocumentParser, RewordsSyntaxErrorsAndPointsAtTheirStart) {
  auto p = parse("a: [1, 2\nb: 3\n");
  ASSERT_EQ(p->sink.diagnostics().size(), 1u);
  const Diagnostic& d = p->sink.diagnostics()[0];
  EXPECT_EQ(d.message, "expected ',' or ']' here");
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_EQ(d.notes[0].message, "the list ('[') that started here");
  EXPECT_EQ(d.notes[0].location, (SourceLocation{1, 1, 4, 0}));

  auto colon = parse("title: a: b\n");
  EXPECT_EQ(codes(colon->sink), "1:9 yaml-syntax");
  EXPECT_EQ(colon->sink.diagnostics()[0].message,
            "a ':' is not allowed here; quote a value that contains ': ' or check the "
            "indentation");
  auto at = parse("owner: @team\n");
  EXPECT_EQ(codes(at->sink), "1:8 yaml-syntax");
  EXPECT_EQ(at->sink.diagnostics()[0].message,
            "this character cannot start a value; a value starting with @, ` or % must be "
            "quoted");
  EXPECT_TRUE(at->sink.diagnostics()[0].notes.empty());
  auto open = parse("a: \"text\n");
  EXPECT_EQ(codes(open->sink), "2:1 yaml-syntax");
  EXPECT_EQ(open->sink.diagnostics()[0].message, "the file ends before this value is closed");
}

TEST(DocumentParser, RejectsControlCharactersWithTheirPosition) {
  auto p = parse("a: 1\nb: \"\xC3\xA9\x01\"\n");
  EXPECT_EQ(codes(p->sink), "2:6 yaml-syntax");
  EXPECT_EQ(p->sink.diagnostics()[0].message,
            "control character U+0001 is not allowed in a model file");
}

TEST(DocumentParser, RejectsComplexKeysAndForeignTags) {
  EXPECT_EQ(codes(parse("? [a]\n: 1\n")->sink), "1:3 complex-key");
  EXPECT_EQ(codes(parse("{[a]: 1}\n")->sink), "1:2 complex-key");
  auto tagged = parse("a: !!str 3\nb: !!int 4\nc: !!map {}\n");
  ASSERT_TRUE(tagged->root) << codes(tagged->sink);
  EXPECT_TRUE(tagged->root->find("a")->value->quoted);
  auto set = parse("a: !!set {x}\n");
  EXPECT_EQ(codes(set->sink), "1:4 yaml-tag");
  EXPECT_EQ(set->sink.diagnostics()[0].message,
            "YAML tag 'tag:yaml.org,2002:set' is not allowed in a model file");
  EXPECT_EQ(parse("a: *nothing\n")->sink.diagnostics()[0].message, "alias '*nothing' has no anchor");
}

TEST(DocumentParser, ReportsEveryDuplicateKeyWithTheFirstDefinition) {
  auto p = parse("title: a\nscope: b\ntitle: c\n");
  ASSERT_TRUE(p->root);
  EXPECT_EQ(codes(p->sink), "3:1 duplicate-key");
  ASSERT_EQ(p->sink.diagnostics()[0].notes.size(), 1u);
  EXPECT_EQ(p->sink.diagnostics()[0].message, "duplicate key 'title'");
  EXPECT_EQ(p->sink.diagnostics()[0].notes[0].location, (SourceLocation{1, 1, 1, 5}));
  EXPECT_EQ(p->sink.diagnostics()[0].notes[0].message, "first defined here");
  EXPECT_EQ(p->root->find("title")->value->text(), "a");
}

TEST(DocumentParser, FindsDuplicatesInLargeMappings) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "k" + std::to_string(i) + ": 1\n";
  text += "k7: 2\n";
  EXPECT_EQ(codes(parse(text)->sink), "41:1 duplicate-key");
}

TEST(DocumentParser, LoadsTheSpecificationExamplesCleanly) {
  for (const char* name : {"payments.tm.yaml", "web-login.tm.yaml"}) {
    SourceManager sources;
    DiagnosticSink sink;
    auto documents = load_model(testing_support::third_party(std::string("examples/") + name),
                                DiskFileSystem(), LoadLimits(), sources, sink);
    ASSERT_EQ(documents.size(), 1u) << name;
    EXPECT_TRUE(documents[0].root) << name;
    EXPECT_EQ(codes(sink), "") << name;
  }
}

class IncludeTest : public ::testing::Test {
 protected:
  std::vector<Document> load(const std::string& path) {
    return load_model(path, fs, LoadLimits(), sources, sink);
  }
  MemoryFileSystem fs;
  SourceManager sources;
  DiagnosticSink sink;
};

TEST_F(IncludeTest, ResolvesRelativeToTheIncludingFile) {
  fs.files["/m/model.yaml"] = "tmc: 1\ninclude: [parts/a.yaml]\n";
  fs.files["/m/parts/a.yaml"] = "include: [b.yaml]\nelements: []\n";
  fs.files["/m/parts/b.yaml"] = "flows: []\n";
  auto documents = load("/m/model.yaml");
  EXPECT_EQ(codes(sink), "");
  ASSERT_EQ(documents.size(), 3u);
  EXPECT_EQ(documents[1].path, "/m/parts/a.yaml");
  EXPECT_EQ(documents[2].path, "/m/parts/b.yaml");
}

TEST_F(IncludeTest, RefusesPathsOutsideTheModelDirectory) {
  fs.files["/m/model.yaml"] =
      "tmc: 1\ninclude:\n  - ../secret.yaml\n  - /etc/passwd\n  - link/x.yaml\n  - sub/../../m/ok.yaml\n";
  fs.files["/secret.yaml"] = "a: 1\n";
  fs.files["/etc/passwd"] = "root\n";
  fs.files["/elsewhere/x.yaml"] = "a: 1\n";
  fs.links["/m/link"] = "/elsewhere";
  fs.files["/m/ok.yaml"] = "a: 1\n";
  load("/m/model.yaml");
  EXPECT_EQ(codes(sink), "3:5 include-outside; 4:5 include-outside; 5:5 include-outside; "
                         "6:5 include-outside");
}

TEST_F(IncludeTest, ReportsMissingFilesAndCycles) {
  fs.files["/m/model.yaml"] = "tmc: 1\ninclude: [a.yaml, missing.yaml]\n";
  fs.files["/m/a.yaml"] = "include: [model.yaml]\n";
  load("/m/model.yaml");
  EXPECT_EQ(codes(sink), "2:19 include-not-found; 1:11 include-cycle");
}

TEST(DiskIncludes, RefusesASymlinkOutOfTheTree) {
  namespace fsys = std::filesystem;
  fsys::path base = fsys::temp_directory_path() / ("tmc-include-" + std::to_string(::getpid()));
  fsys::remove_all(base);
  fsys::create_directories(base / "model");
  fsys::create_directories(base / "outside");
  std::ofstream(base / "outside" / "x.yaml") << "elements: []\n";
  std::ofstream(base / "model" / "m.yaml") << "tmc: 1\ninclude: [escape/x.yaml]\n";
  fsys::create_directory_symlink(base / "outside", base / "model" / "escape");
  SourceManager sources;
  DiagnosticSink sink;
  load_model((base / "model" / "m.yaml").string(), DiskFileSystem(), LoadLimits(), sources, sink);
  EXPECT_EQ(codes(sink), "2:11 include-outside");
  fsys::remove_all(base);
}

TEST(DiskFiles, ReadsAtMostTheLimitOfAHugeFile) {
  namespace fsys = std::filesystem;
  fsys::path path = fsys::temp_directory_path() / ("tmc-big-" + std::to_string(::getpid()));
  {
    std::ofstream out(path);
    std::string line = "# " + std::string(1022, 'x') + "\n";
    for (int i = 0; i < 20 * 1024; ++i) out << line;  // 20 MiB
  }
  SourceManager sources;
  DiagnosticSink sink;
  load_model(path.string(), DiskFileSystem(), LoadLimits(), sources, sink);
  EXPECT_EQ(codes(sink), "0:0 file-too-large");
  EXPECT_EQ(sources.contents(1).size(), (16u << 20) + 1);
  fsys::remove(path);
}

TEST(DiskFiles, ReportsAMissingRootFile) {
  SourceManager sources;
  DiagnosticSink sink;
  load_model("/nonexistent/m.yaml", DiskFileSystem(), LoadLimits(), sources, sink);
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].code, "read-error");
  EXPECT_EQ(sink.diagnostics()[0].message,
            "cannot read '/nonexistent/m.yaml': No such file or directory");
}

}  // namespace
}  // namespace tmc::load

namespace tmc::load {
namespace {

// Scalars spelled as in the file are views into the file's buffer (no
// copy); escaped or folded ones are copies; positions after multi-byte
// characters still map to the right bytes.
TEST(DocumentParser, ViewsUnchangedScalarsInTheFileBuffer) {
  auto p = parse("t\xC3\xA9: \"\xC3\xA9t\xC3\xA9\"\nplain: caf\xC3\xA9 au lait\nesc: \"a\\tb\"\n"
                 "fold: >\n  x\n  y\nq: 'it''s'\nlist: [\xE2\x82\xAC, b]\n");
  ASSERT_TRUE(p->root) << codes(p->sink);
  const std::string& source = p->sources.contents(1);
  auto in_source = [&](std::string_view text) {
    return text.data() >= source.data() && text.data() + text.size() <= source.data() + source.size();
  };
  const MappingEntry& first = p->root->entries()[0];
  EXPECT_EQ(first.key, "t\xC3\xA9");
  EXPECT_EQ(first.value->text(), "\xC3\xA9t\xC3\xA9");
  EXPECT_TRUE(in_source(first.value->text()));
  EXPECT_EQ(p->root->find("plain")->value->text(), "caf\xC3\xA9 au lait");
  EXPECT_TRUE(in_source(p->root->find("plain")->value->text()));
  EXPECT_EQ(p->root->find("esc")->value->text(), "a\tb");
  EXPECT_FALSE(in_source(p->root->find("esc")->value->text()));
  EXPECT_EQ(p->root->find("fold")->value->text(), "x y\n");
  EXPECT_EQ(p->root->find("q")->value->text(), "it's");
  auto items = p->root->find("list")->value->items();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]->text(), "\xE2\x82\xAC");
  EXPECT_TRUE(in_source(items[0]->text()));
  EXPECT_EQ(items[1]->text(), "b");
  EXPECT_EQ(items[1]->location.line, 8u);
  EXPECT_EQ(items[1]->location.column, 11u);  // characters, not bytes
}

// Long ASCII runs go by eight bytes at a time when marks are mapped to
// bytes; the step must stop at each multi-byte character.
TEST(DocumentParser, ViewsScalarsAfterLongRunsAndMultiByteCharacters) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += "k" + std::to_string(i) + ": " + std::string(static_cast<size_t>(i % 13), 'a') +
            (i % 3 == 0 ? "\xC3\xA9" : i % 3 == 1 ? "\xE2\x82\xAC" : "\xF0\x9F\x94\x92") + "z" + std::to_string(i) +
            "\n";
  }
  auto p = parse(text);
  ASSERT_TRUE(p->root) << codes(p->sink);
  const std::string& source = p->sources.contents(1);
  for (const MappingEntry& entry : p->root->entries()) {
    std::string_view value = entry.value->text();
    EXPECT_TRUE(value.data() >= source.data() && value.data() + value.size() <= source.data() + source.size())
        << entry.key << " was copied: its position was mapped to the wrong byte";
    EXPECT_EQ(value.back(), entry.key.back());
  }
}

// A sequence stores its items by value, one after the other (a file of
// millions of values costs one 32-byte node per value). Large collections
// leave the parser's scratch stack without a copy; one that closes while
// its parent already has children (here `0` and `a: 0`) must keep both
// lists intact.
TEST(DocumentParser, StoresLargeCollectionsCompactly) {
  const int n = 60000;  // 60,000 nodes or entries: over a MiB of scratch
  std::string text = "s: [0, [";
  for (int i = 0; i < n; ++i) text += (i ? "," : "") + std::to_string(i % 10);
  text += "], 2]\nm: {a: 0, b: {";
  for (int i = 0; i < n; ++i) text += (i ? ", k" : "k") + std::to_string(i) + ": " + std::to_string(i % 7);
  text += "}, c: 1}\nalias: [&x [1, 2], *x]\n";
  auto p = parse(text);
  ASSERT_TRUE(p->root) << codes(p->sink);
  EXPECT_EQ(codes(p->sink), "");
  NodeItems outer = p->root->find("s")->value->items();
  ASSERT_EQ(outer.size(), 3u);
  EXPECT_EQ(outer[0]->text(), "0");
  EXPECT_EQ(outer[2]->text(), "2");
  EXPECT_EQ(outer[2]->location.column, static_cast<uint32_t>(11 + 2 * n));
  NodeItems inner = outer[1]->items();
  ASSERT_EQ(inner.size(), static_cast<size_t>(n));
  EXPECT_EQ(inner[1] - inner[0], 1);  // contiguous: no pointer per item
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(inner[i]->text(), std::to_string(i % 10)) << i;
    ASSERT_EQ(inner[i]->location.column, static_cast<uint32_t>(9 + 2 * i)) << i;
  }
  const Node& m = *p->root->find("m")->value;
  ASSERT_EQ(m.child_count(), 3u);
  EXPECT_EQ(m.entries()[0].key, "a");
  EXPECT_EQ(m.entries()[2].key, "c");
  EXPECT_EQ(m.entries()[2].value->text(), "1");
  const Node& b = *m.find("b")->value;
  ASSERT_EQ(b.entries().size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(b.entries()[i].key, "k" + std::to_string(i)) << i;
    ASSERT_EQ(b.entries()[i].value->text(), std::to_string(i % 7)) << i;
  }
  NodeItems aliased = p->root->find("alias")->value->items();
  ASSERT_EQ(aliased.size(), 2u);
  ASSERT_EQ(aliased[1]->items().size(), 2u);
  EXPECT_EQ(aliased[1]->items()[1]->text(), "2");
  EXPECT_EQ(aliased[1]->location, aliased[0]->location);  // the anchored node's position
}

}  // namespace
}  // namespace tmc::load

namespace tmc::load {
namespace {

// Issue 22, item 12: JSON with a surrogate-pair escape (what Python's
// json.dump writes for any emoji) was refused as "invalid Unicode character
// escape code", for .tm.json models and for imports.
TEST(DocumentParser, ReadsJsonSurrogatePairs) {
  auto p = parse("{\"tmc\": 1, \"title\": \"Emoji \\ud83d\\ude00 and \\uD83D\\uDE80\", \"scope\": \"\\u00e9\"}\n");
  ASSERT_TRUE(p->root) << codes(p->sink);
  EXPECT_EQ(p->root->find("title")->value->text(), "Emoji \xF0\x9F\x98\x80 and \xF0\x9F\x9A\x80");
  EXPECT_EQ(p->root->find("scope")->value->text(), "\xC3\xA9");
  // An escaped backslash before 'u' is no escape: the text stays as written.
  auto literal = parse("{\"title\": \"\\\\ud83d\\\\ude00\"}");
  ASSERT_TRUE(literal->root) << codes(literal->sink);
  EXPECT_EQ(literal->root->find("title")->value->text(), "\\ud83d\\ude00");
}

// The import fuzz target (CI, after the surrogate pairs): an escape that
// starts less than 12 bytes before the end of the text threw
// std::out_of_range from string_view::compare and took tmc down.
TEST(DocumentParser, AnEscapeAtTheEndOfTheTextIsNoPair) {
  for (std::string text : {"[\"\\u", "[\"\\ud83d", "[\"\\ud83d\\", "[\"\\ud83d\\ude0", "{\"a\": \"x\\n"}) {
    auto p = parse(text);
    EXPECT_FALSE(p->root) << text;
    EXPECT_TRUE(p->sink.has_errors()) << text;
  }
}

// Positions stay the file's: each pair is 2 characters longer in the file
// than the YAML escape libyaml reads.
TEST(DocumentParser, PositionsAfterSurrogatePairsAreTheFiles) {
  auto p = parse("{\"a\": \"\\ud83d\\ude00\\ud83d\\ude00\", \"b\": \"x\", \"a\": 1}\n"
                 "{\"c\": 2}\n");
  EXPECT_EQ(codes(p->sink), "1:45 duplicate-key; 2:1 yaml-syntax");
  auto q = parse("{\"a\": \"\\ud83d\\ude00\",\n \"b\": \"\\ud83d\\ude00\", \"c\": \"y\"}\n");
  ASSERT_TRUE(q->root) << codes(q->sink);
  const MappingEntry* b = q->root->find("b");
  EXPECT_EQ(b->key_location.column, 2u);
  EXPECT_EQ(b->value->location.column, 7u);
  EXPECT_EQ(b->value->location.length, 14u);
  const MappingEntry* c = q->root->find("c");
  EXPECT_EQ(c->key_location.line, 2u);
  EXPECT_EQ(c->key_location.column, 23u);
  EXPECT_EQ(c->value->location.column, 28u);
  EXPECT_EQ(c->value->text(), "y");
  // A control character libyaml's reader refuses, after a pair.
  auto r = parse("{\"a\": \"\\ud83d\\ude00\", \"b\": \"\x01\"}");
  EXPECT_EQ(codes(r->sink), "1:29 yaml-syntax");
}

TEST(DocumentParser, LoneSurrogatesAndYamlStayRefused) {
  EXPECT_EQ(codes(parse("{\"a\": \"\\ud83d x\"}")->sink), "1:10 yaml-syntax");
  EXPECT_EQ(codes(parse("{\"a\": \"\\ude00\\ud83d\"}")->sink), "1:10 yaml-syntax");
  // YAML has its own escape for it (\U0001F600); a YAML file is read as written.
  EXPECT_EQ(codes(parse("a: \"\\ud83d\\ude00\"\n")->sink), "1:7 yaml-syntax");
  EXPECT_TRUE(parse("a: \"\\U0001F600\"\n")->root);
}

}  // namespace
}  // namespace tmc::load
