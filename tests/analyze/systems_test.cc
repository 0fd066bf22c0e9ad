// The system corpus (tests/systems): small models in the style of real
// systems, each listing the exact findings tmc must raise on it in a
// comment block ("# expect:" ... "# end", one "RULE TARGET: reason" a line,
// or "(none)"). A finding missing from the list, or listed and not raised,
// fails the test.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "analysis_fixture.h"

namespace tmc {
namespace {

using Findings = std::set<std::pair<std::string, std::string>>;

std::vector<std::string> corpus() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(TMC_SOURCE_DIR) + "/tests/systems")) {
    if (entry.path().string().size() > 8 && entry.path().string().ends_with(".tm.yaml")) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The "# expect:" block of a model file; `found` says whether it had one.
Findings expected(const std::string& path, bool& found) {
  std::ifstream in(path);
  std::string line;
  Findings out;
  bool inside = false;
  found = false;
  while (std::getline(in, line)) {
    if (line == "# expect:") {
      inside = found = true;
      continue;
    }
    if (!inside) continue;
    if (line == "# end") break;
    std::istringstream words(line.substr(1));
    std::string rule, target;
    words >> rule >> target;
    if (rule == "(none)") continue;
    if (!target.empty() && target.back() == ':') target.pop_back();
    out.insert({rule, target});
  }
  return out;
}

std::string name_of(const std::string& path) { return std::filesystem::path(path).filename().string(); }

class Systems : public ::testing::TestWithParam<std::string> {};

TEST_P(Systems, RaisesExactlyTheListedFindings) {
  bool has_block = false;
  Findings want = expected(GetParam(), has_block);
  ASSERT_TRUE(has_block) << "no '# expect:' block";
  auto run = testing_support::analyze_file(GetParam());
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  EXPECT_FALSE(run->sink.has_errors()) << run->diagnostics();
  Findings got;
  for (const analyze::RuleFinding& f : run->analysis->findings) got.insert({f.rule, f.target_id});
  for (const auto& f : got) EXPECT_TRUE(want.count(f)) << "unexpected " << f.first << " " << f.second;
  for (const auto& f : want) EXPECT_TRUE(got.count(f)) << "missing " << f.first << " " << f.second;
}

INSTANTIATE_TEST_SUITE_P(Corpus, Systems, ::testing::ValuesIn(corpus()), [](const auto& param) {
  std::string name = name_of(param.param);
  name = name.substr(0, name.size() - 8);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
});

TEST(Systems, TheCorpusHasAtLeastFifteenModels) { EXPECT_GE(corpus().size(), 15u); }

}  // namespace
}  // namespace tmc
