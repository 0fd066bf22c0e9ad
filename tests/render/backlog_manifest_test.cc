// The backlog manifest is a file in the repository that anyone can edit:
// only names of issue files tmc writes may come out of it as removable.
#include <gtest/gtest.h>

#include "render/render.h"

namespace tmc::render {
namespace {

TEST(BacklogManifest, IssueNamesAreTmcsOwnPatternOnly) {
  for (const char* name : {"threat-T1.md", "finding-TMC-IDOR-api.md", "threat-a.b_c-d.md", "threat-...md"}) {
    EXPECT_TRUE(is_backlog_issue_name(name)) << name;
  }
  for (const char* name : {"threat-.md", "threat-T1.txt", "threat-T1.md.bak", "Threat-T1.md", "threat-a/b.md", "threat-a b.md",
                           "README.md", "finding-.md", "threat-T1", "../threat-T1.md", ".threat-T1.md", ""}) {
    EXPECT_FALSE(is_backlog_issue_name(name)) << name;
  }
}

// Regression (issue 22): any plain name in the manifest (NOTES.txt,
// README.md) was removed by the next run.
TEST(BacklogManifest, NamesOtherThanIssueFilesAreIgnored) {
  BacklogManifest m = parse_backlog_manifest(
      R"({"tmc_backlog": 1, "files": ["threat-T1.md", "NOTES.txt", "README.md", "../x", "/etc/passwd", 7,
          "finding-TMC-X-a.md", "backlog.csv", "backlog.json", "tmc-backlog-manifest.json", ".hidden"]})");
  EXPECT_EQ(m.issues, (std::vector<std::string>{"threat-T1.md", "finding-TMC-X-a.md"}));
  EXPECT_EQ(m.ignored, (std::vector<std::string>{"NOTES.txt", "README.md", "../x", "/etc/passwd", ".hidden"}));
}

TEST(BacklogManifest, TextThatIsNoManifestListsNothing) {
  for (const char* text : {"", "[]", "{\"files\": 3}", "{\"files\": [\"threat-T1.md\"", "\xff"}) {
    BacklogManifest m = parse_backlog_manifest(text);
    EXPECT_TRUE(m.issues.empty() && m.ignored.empty()) << text;
  }
}

}  // namespace
}  // namespace tmc::render
