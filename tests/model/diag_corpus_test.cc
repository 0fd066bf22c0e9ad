// The invalid-model corpus: tests/diag/*.tm.yaml and *.tm.json, one file per
// format rule or loader limit. Each file states the diagnostics it must
// produce, exactly and in file order, in lines at its end:
//   # expect: LINE:COL SEVERITY CODE            (in this file)
//   # expect: OTHER.yaml:LINE:COL SEVERITY CODE (in an included file)
//   # expect: LINE:COL SEVERITY CODE: MESSAGE   (and the exact message)
// The model is built knowing the built-in rule ids, as `tmc check` does.
// JSON files cannot hold comments; their expectations live in NAME.expect.
// A first line `# args: strict` or `# args: max-file-size=N` sets options.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyze/rules.h"
#include "load/loader.h"
#include "model/builder.h"

namespace tmc {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> corpus_files() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(fs::path(TMC_SOURCE_DIR) / "tests" / "diag")) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".tm.yaml") || name.ends_with(".tm.json")) files.push_back(name);
  }
  std::sort(files.begin(), files.end());
  return files;
}

class DiagCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(DiagCorpus, ProducesExactlyTheExpectedDiagnostics) {
  fs::path path = fs::path(TMC_SOURCE_DIR) / "tests" / "diag" / GetParam();
  std::string text = read_file(path);
  std::string expectations_text = GetParam().ends_with(".json") ? read_file(path.string() + ".expect") : text;
  std::vector<std::string> expected;
  std::istringstream lines(expectations_text);
  std::string line;
  bool strict = false;
  load::LoadLimits limits;
  while (std::getline(lines, line)) {
    if (line.rfind("# expect: ", 0) == 0) expected.push_back(line.substr(10));
    if (line == "# args: strict") strict = true;
    if (line.rfind("# args: max-file-size=", 0) == 0) limits.max_file_bytes = std::stoul(line.substr(22));
  }
  ASSERT_FALSE(expected.empty()) << GetParam() << " states no expected diagnostics";

  SourceManager rule_sources;
  DiagnosticSink rule_sink;
  model::BuildOptions build;
  build.known_rules = analyze::RuleLibrary::builtin(rule_sources, rule_sink).ids();
  ASSERT_FALSE(rule_sink.has_errors());
  SourceManager sources;
  DiagnosticSink sink(strict);
  auto documents = load::load_model(path.string(), load::DiskFileSystem(), limits, sources, sink);
  if (!sink.has_errors()) model::build_model(documents, sink, build);
  std::vector<std::string> actual;
  size_t index = 0;
  for (const Diagnostic& d : sink.sorted()) {
    std::string where;
    if (d.location.file > 1) where = fs::path(sources.path(d.location.file)).filename().string() + ":";
    std::string short_form = where + std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + " " +
                             to_string(d.severity) + " " + d.code;
    // An expectation with a message pins the message too.
    bool with_message = index < expected.size() && expected[index].rfind(short_form + ": ", 0) == 0;
    actual.push_back(with_message ? short_form + ": " + d.message : short_form);
    ++index;
  }
  std::string report;
  for (const Diagnostic& d : sink.sorted()) report += "  " + d.code + ": " + d.message + "\n";
  EXPECT_EQ(actual, expected) << GetParam() << " produced:\n" << report;
  EXPECT_GT(sources.file_count(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Files, DiagCorpus, ::testing::ValuesIn(corpus_files()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                           return name;
                         });

}  // namespace
}  // namespace tmc
