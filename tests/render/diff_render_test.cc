// The diff renderers on hand-made change lists: the comment limit, escaping
// of model text in every format, and GitHub's annotation escaping.
#include "render/diff_render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "render/escape.h"

namespace tmc::render {
namespace {

using analyze::ChangeKind;
using analyze::ItemKind;

struct HandDiff {
  SourceManager before, after;
  analyze::ModelDiff diff;
  HandDiff() {
    before.add("HEAD~1:m.tm.yaml", "tmc: 1\n");
    after.add("m.tm.yaml", "tmc: 1\n");
  }
  DiffRenderInput input(std::string link_base = "") {
    return {diff, before, after, "HEAD~1:m.tm.yaml", "m.tm.yaml", std::move(link_base)};
  }
};

const std::string kHostile = "<img src=x onerror=alert(1)> | **bold** [link](javascript:x)\n# heading";

TEST(DiffMarkdown, StaysUnderTheCommentLimitBySummarizing) {
  HandDiff h;
  for (int i = 0; i < 5000; ++i) {
    analyze::ItemChange change;
    change.kind = ItemKind::flow;
    change.change = ChangeKind::changed;
    change.id = "flow" + std::to_string(i);
    change.fields.push_back({"description", std::string(2000, 'x'), kHostile, true});
    change.after = {1, 1, 1, 0};
    h.diff.changes.push_back(change);
    h.diff.reasons.push_back({analyze::ReasonKind::weakened, change.id, "crossing '" + change.id + "': " + kHostile, {1, 1, 1, 0}, false});
  }
  std::string md = diff_markdown(h.input("https://example.org/blob/abc/"));
  EXPECT_LT(md.size(), kGitHubCommentLimit);
  EXPECT_NE(md.find("more reasons (run `tmc diff` locally"), std::string::npos);
  EXPECT_NE(md.find("more rows not shown"), std::string::npos);
  EXPECT_NE(md.find("[m.tm.yaml:1](https://example.org/blob/abc/m.tm.yaml#L1)"), std::string::npos);
  EXPECT_EQ(md.find("<img"), std::string::npos);
  EXPECT_EQ(md.find("\n# heading"), std::string::npos);
  EXPECT_EQ(md.find("**bold**"), std::string::npos);
}

TEST(DiffMarkdown, LinkBaseCannotBreakTheLink) {
  HandDiff h;
  h.diff.reasons.push_back({analyze::ReasonKind::weakened, "a", "a", {1, 1, 1, 0}, false});
  std::string md = diff_markdown(h.input("https://x.org/a b)<script>/"));
  EXPECT_NE(md.find("(https://x.org/a%20b%29%3Cscript%3E/m.tm.yaml#L1)"), std::string::npos) << md;
}

TEST(DiffText, ControlCharactersAreNeutralized) {
  HandDiff h;
  h.diff.reasons.push_back({analyze::ReasonKind::weakened, "a", "evil \x1b[2J title\nsecond line", {1, 1, 1, 0}, false});
  std::string text = diff_text(h.input(), false);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("evil \\x1b[2J title second line"), std::string::npos) << text;
  EXPECT_EQ(diff_text(h.input(), true).find("\033[1;31mNeeds security review"), 0u + diff_text(h.input(), true).find('\n') + 1);
}

TEST(DiffJson, ParsesAndKeepsModelTextAsData) {
  HandDiff h;
  h.diff.reasons.push_back({analyze::ReasonKind::coverage_hole, "a", kHostile, {1, 1, 1, 0}, false});
  h.diff.trees.push_back({"AT1", "goal", 10.0, std::nullopt, {}});
  auto j = nlohmann::json::parse(diff_json(h.input()));
  EXPECT_EQ(j["verdict"], "needs-review");
  EXPECT_EQ(j["reasons"][0]["kind"], "coverage-hole");
  EXPECT_EQ(j["reasons"][0]["message"], kHostile);
  EXPECT_EQ(j["reasons"][0]["location"]["file"], "m.tm.yaml");
  EXPECT_TRUE(j["attack_trees"][0]["after"].is_null());
}

TEST(DiffGithub, AnnotationsEscapeDataAndProperties) {
  EXPECT_EQ(github_message("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
  EXPECT_EQ(github_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
  HandDiff h;
  h.diff.reasons.push_back({analyze::ReasonKind::weakened, "a", "line one\n::error::forged", {1, 3, 5, 0}, false});
  std::string out = diff_github(h.input());
  EXPECT_EQ(out,
            "::warning file=m.tm.yaml,line=3,col=5,title=tmc diff%3A weakened crossing or element::line one%0A::error::forged\n"
            "::notice title=tmc diff::this change needs a security review (1 reason)\n");
}

TEST(DiffRender, NoReviewVerdicts) {
  HandDiff h;
  EXPECT_NE(diff_text(h.input(), false).find("No security-relevant change"), std::string::npos);
  EXPECT_NE(diff_markdown(h.input()).find("no security-relevant change"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(diff_json(h.input()))["verdict"], "no-security-relevant-change");
}

}  // namespace
}  // namespace tmc::render
