// The built-in rules come from a pack made at build time (issue 12: no
// YAML parsing at start). The pack must hold exactly what compiling the
// embedded YAML gives, locations included, and a damaged or stale pack is
// refused without reading out of bounds.
#include <gtest/gtest.h>

#include "analyze/rule_pack.h"
#include "analyze/rules.h"

namespace tmc {
namespace {

TEST(RulePack, HoldsExactlyTheRulesOfTheEmbeddedYaml) {
  SourceManager packed_sources, yaml_sources;
  DiagnosticSink packed_sink, yaml_sink;
  auto packed = analyze::RuleLibrary::builtin(packed_sources, packed_sink);
  auto yaml = analyze::RuleLibrary::builtin_from_yaml(yaml_sources, yaml_sink);
  EXPECT_TRUE(packed_sink.diagnostics().empty());
  EXPECT_TRUE(yaml_sink.diagnostics().empty());
  ASSERT_GE(packed.size(), 75u);
  ASSERT_EQ(packed.size(), yaml.size());
  for (size_t i = 0; i < packed.size(); ++i) {
    EXPECT_TRUE(packed.rule(i) == yaml.rule(i)) << packed.rule(i).id << " differs from " << yaml.rule(i).id;
  }
  // The rule files are registered in both runs, so locations print the same.
  ASSERT_EQ(packed_sources.file_count(), yaml_sources.file_count());
  for (uint32_t f = 1; f <= packed_sources.file_count(); ++f) {
    EXPECT_EQ(packed_sources.path(f), yaml_sources.path(f));
    EXPECT_EQ(packed_sources.contents(f), yaml_sources.contents(f));
  }
}

TEST(RulePack, LocationsPointAtTheRuleInItsFile) {
  SourceManager sources;
  DiagnosticSink sink;
  auto library = analyze::RuleLibrary::builtin(sources, sink);
  int index = library.find("TMC-CROSSING-UNDECLARED");
  ASSERT_GE(index, 0);
  const analyze::Rule& rule = library.rule(static_cast<size_t>(index));
  EXPECT_EQ(sources.path(rule.location.file), "rules/crossings.yaml");
  EXPECT_NE(sources.line_text(rule.location.file, rule.location.line).find("TMC-CROSSING-UNDECLARED"),
            std::string_view::npos);
}

// A pack of the built-in rules, and what it was made from.
struct Made {
  std::vector<analyze::PackedFile> files;
  std::vector<uint32_t> ids;
  std::vector<analyze::Rule> rules;
  std::string pack;
};

Made make_pack() {
  Made made;
  SourceManager sources;
  DiagnosticSink sink;
  auto library = analyze::RuleLibrary::builtin_from_yaml(sources, sink);
  for (uint32_t f = 1; f <= sources.file_count(); ++f) {
    made.files.push_back({sources.path(f), sources.contents(f).size()});
    made.ids.push_back(f);
  }
  for (size_t i = 0; i < library.size(); ++i) made.rules.push_back(library.rule(i));
  made.pack = analyze::pack_rules(made.files, made.rules);
  return made;
}

TEST(RulePack, RoundTripsAndMapsFileIds) {
  Made made = make_pack();
  std::vector<analyze::Rule> back;
  std::string error;
  ASSERT_TRUE(analyze::unpack_rules(made.pack, made.files, made.ids, back, error)) << error;
  EXPECT_TRUE(back == made.rules);
  // Other file ids in this run: every location follows.
  std::vector<uint32_t> shifted;
  for (uint32_t id : made.ids) shifted.push_back(id + 40);
  back.clear();
  ASSERT_TRUE(analyze::unpack_rules(made.pack, made.files, shifted, back, error)) << error;
  ASSERT_FALSE(back.empty());
  EXPECT_EQ(back[0].location.file, made.rules[0].location.file + 40);
  EXPECT_EQ(back[0].when.location.file, made.rules[0].when.location.file + 40);
}

TEST(RulePack, RefusesAStalePack) {
  Made made = make_pack();
  std::vector<analyze::Rule> back;
  std::string error;
  std::vector<analyze::PackedFile> edited = made.files;
  edited[0].bytes += 1;  // the YAML changed after the pack was made
  EXPECT_FALSE(analyze::unpack_rules(made.pack, edited, made.ids, back, error));
  EXPECT_NE(error.find("other rule files"), std::string::npos) << error;
  EXPECT_TRUE(back.empty());
}

TEST(RulePack, RefusesEveryTruncationAndTrailingBytes) {
  Made made = make_pack();
  std::string error;
  // Every proper prefix is refused (this also walks every read past the end).
  for (size_t size = 0; size < made.pack.size(); size += 1 + size / 64) {
    std::vector<analyze::Rule> back;
    EXPECT_FALSE(analyze::unpack_rules(std::string_view(made.pack).substr(0, size), made.files, made.ids, back, error))
        << size;
    EXPECT_TRUE(back.empty());
  }
  std::vector<analyze::Rule> back;
  EXPECT_FALSE(analyze::unpack_rules(made.pack + "x", made.files, made.ids, back, error));
  EXPECT_NE(error.find("trailing"), std::string::npos) << error;
}

TEST(RulePack, RefusesOutOfRangeValues) {
  std::vector<analyze::PackedFile> files = {{"rules/a.yaml", 10}};
  analyze::Rule rule;
  rule.id = "X";
  rule.location = {1, 2, 3, 4};
  std::string pack = analyze::pack_rules(files, {rule});
  std::vector<analyze::Rule> back;
  std::string error;
  ASSERT_TRUE(analyze::unpack_rules(pack, files, {7}, back, error)) << error;
  EXPECT_EQ(back[0].location.file, 7u);
  // Flip every byte to 0xFF in turn: refused or read, never a crash, and a
  // read pack has every enum in range.
  for (size_t at = 0; at < pack.size(); ++at) {
    std::string damaged = pack;
    damaged[at] = '\xff';
    back.clear();
    if (analyze::unpack_rules(damaged, files, {7}, back, error)) {
      ASSERT_EQ(back.size(), 1u);
      EXPECT_LE(back[0].likelihood, 3);
      EXPECT_LE(static_cast<int>(back[0].target), static_cast<int>(analyze::RuleTarget::crossing));
    }
  }
}

}  // namespace
}  // namespace tmc
