// load_model(): includes, confinement, file limits, and the file systems.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "load/loader.h"

namespace tmc::load {
namespace {

// "line:col code" of every diagnostic, in order.
std::string codes(const DiagnosticSink& sink) {
  std::string out;
  for (const Diagnostic& d : sink.diagnostics()) {
    if (!out.empty()) out += "; ";
    out += std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + " " + d.code;
  }
  return out;
}

class LoadModelTest : public ::testing::Test {
 protected:
  std::vector<Document> load(const std::string& path, LoadLimits limits = {}) {
    return load_model(path, fs, limits, sources, sink);
  }
  std::string message(size_t i) const { return sink.diagnostics().at(i).message; }
  MemoryFileSystem fs;
  SourceManager sources;
  DiagnosticSink sink;
};

TEST_F(LoadModelTest, ShowsIncludedPathsTheWayTheRootWasGiven) {
  fs.files["/work/m/model.yaml"] = "tmc: 1\ninclude: [parts/a.yaml, ./b.yaml]\n";
  fs.files["/work/m/parts/a.yaml"] = "include: ../c.yaml\n";
  fs.files["/work/m/b.yaml"] = "flows: []\n";
  fs.files["/work/m/c.yaml"] = "threats: []\n";
  auto documents = load("/work/m/model.yaml");
  EXPECT_EQ(codes(sink), "");
  ASSERT_EQ(documents.size(), 4u);
  EXPECT_EQ(documents[0].path, "/work/m/model.yaml");
  EXPECT_EQ(documents[1].path, "/work/m/parts/a.yaml");
  EXPECT_EQ(documents[2].path, "/work/m/b.yaml");
  EXPECT_EQ(documents[3].path, "/work/m/c.yaml");
  EXPECT_EQ(sources.path(documents[3].file), "/work/m/c.yaml");
  ASSERT_TRUE(documents[3].root);
  EXPECT_NE(documents[3].root->find("threats"), nullptr);
  // The include entry stays in the tree.
  EXPECT_NE(documents[0].root->find("include"), nullptr);
}

TEST_F(LoadModelTest, RelativeRootPathGivesRelativeIncludedPaths) {
  fs.files["/m/model.yaml"] = "tmc: 1\ninclude: [parts/a.yaml]\n";
  fs.files["/m/parts/a.yaml"] = "include: [b.yaml]\n";
  fs.files["/m/parts/b.yaml"] = "flows: []\n";
  auto documents = load("m/model.yaml");
  EXPECT_EQ(codes(sink), "");
  ASSERT_EQ(documents.size(), 3u);
  EXPECT_EQ(documents[0].path, "m/model.yaml");
  EXPECT_EQ(documents[1].path, "m/parts/a.yaml");
  EXPECT_EQ(documents[2].path, "m/parts/b.yaml");
}

TEST_F(LoadModelTest, RefusesParentAbsoluteAndLinkedPaths) {
  fs.files["/m/model.yaml"] = "tmc: 1\ninclude:\n  - ../secret.yaml\n  - /m/a.yaml\n  - out/x.yaml\n";
  fs.files["/secret.yaml"] = "a: 1\n";
  fs.files["/m/a.yaml"] = "a: 1\n";
  fs.files["/elsewhere/x.yaml"] = "a: 1\n";
  fs.links["/m/out"] = "../elsewhere";  // a relative link target
  auto documents = load("/m/model.yaml");
  EXPECT_EQ(codes(sink), "3:5 include-outside; 4:5 include-outside; 5:5 include-outside");
  EXPECT_EQ(message(2),
            "include 'out/x.yaml' resolves (through a symbolic link) to '/elsewhere/x.yaml', "
            "outside the model's directory");
  EXPECT_EQ(documents.size(), 1u);
}

TEST_F(LoadModelTest, FollowsALinkThatStaysInside) {
  fs.files["/m/model.yaml"] = "tmc: 1\ninclude: [current/a.yaml]\n";
  fs.files["/m/v2/a.yaml"] = "flows: []\n";
  fs.links["/m/current"] = "v2";
  auto documents = load("/m/model.yaml");
  EXPECT_EQ(codes(sink), "");
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[1].path, "/m/current/a.yaml");
}

TEST_F(LoadModelTest, ReportsAMissingIncludeWithTheReason) {
  fs.files["/m/model.yaml"] = "tmc: 1\ninclude: [parts/missing.yaml]\n";
  load("/m/model.yaml");
  EXPECT_EQ(codes(sink), "2:11 include-not-found");
  EXPECT_EQ(message(0),
            "cannot read included file '/m/parts/missing.yaml': No such file or directory");
}

TEST_F(LoadModelTest, ReportsCyclesAndFilesIncludedTwice) {
  fs.files["/m/model.yaml"] = "tmc: 1\ninclude: [a.yaml, b.yaml]\n";
  fs.files["/m/a.yaml"] = "include: [b.yaml]\n";
  fs.files["/m/b.yaml"] = "include: [model.yaml]\n";
  auto documents = load("/m/model.yaml");
  // a.yaml names b.yaml a second time; b.yaml names the root.
  EXPECT_EQ(codes(sink), "1:11 include-cycle; 1:11 include-cycle");
  EXPECT_EQ(sources.path(sink.diagnostics()[0].location.file), "/m/a.yaml");
  EXPECT_EQ(sources.path(sink.diagnostics()[1].location.file), "/m/b.yaml");
  EXPECT_EQ(message(1),
            "'/m/model.yaml' is already part of the model (included twice or in a cycle)");
  EXPECT_EQ(documents.size(), 3u);
}

TEST_F(LoadModelTest, RejectsAnIncludeThatIsNotAListOfNames) {
  fs.files["/m/model.yaml"] = "tmc: 1\ninclude: {a: b.yaml}\n";
  fs.files["/m/two.yaml"] = "tmc: 1\ninclude: [[a.yaml], '']\n";
  fs.files["/m/null.yaml"] = "tmc: 1\ninclude:\n";
  load("/m/model.yaml");
  load("/m/two.yaml");
  load("/m/null.yaml");
  EXPECT_EQ(codes(sink), "2:10 include-shape; 2:11 include-shape; 2:21 include-shape; "
                         "2:9 include-shape");
}

TEST_F(LoadModelTest, StopsAtTheFileLimit) {
  fs.files["/m/model.yaml"] = "tmc: 1\ninclude: [a.yaml, b.yaml, c.yaml]\n";
  for (const char* name : {"/m/a.yaml", "/m/b.yaml", "/m/c.yaml"}) fs.files[name] = "a: 1\n";
  LoadLimits limits;
  limits.max_files = 3;
  auto documents = load("/m/model.yaml", limits);
  EXPECT_EQ(codes(sink), "2:27 too-many-files");
  EXPECT_EQ(message(0), "a model may span at most 3 files");
  EXPECT_EQ(documents.size(), 3u);
}

TEST_F(LoadModelTest, ReportsAMissingRootWithoutLocation) {
  auto documents = load("nope.yaml");
  EXPECT_TRUE(documents.empty());
  EXPECT_EQ(codes(sink), "0:0 read-error");
  EXPECT_EQ(message(0), "cannot read 'nope.yaml': No such file or directory");
}

// Regression (issue 22): the message said "16777217 bytes" whatever the
// size, the bytes read (one past the limit), not the file's.
TEST_F(LoadModelTest, RejectsA20MiBFileFromMemory) {
  fs.files["/m/model.yaml"] = "tmc: 1\n" + std::string(20u << 20, '#');
  auto documents = load("/m/model.yaml");
  EXPECT_EQ(codes(sink), "0:0 file-too-large");
  EXPECT_EQ(message(0), "the file holds more than 16777216 bytes, the limit (change it with --max-file-size)");
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_FALSE(documents[0].root);
  EXPECT_EQ(sources.contents(1).size(), (16u << 20) + 1);
}

TEST_F(LoadModelTest, ReportsErrorsInIncludedFilesAgainstThoseFiles) {
  fs.files["/m/model.yaml"] = "tmc: 1\ninclude: [a.yaml]\n";
  fs.files["/m/a.yaml"] = "x: 1\nx: 2\n";
  load("/m/model.yaml");
  EXPECT_EQ(codes(sink), "2:1 duplicate-key");
  EXPECT_EQ(sources.path(sink.diagnostics()[0].location.file), "/m/a.yaml");
}

TEST(MemoryFileSystem, NormalizesAndResolvesLinks) {
  MemoryFileSystem fs;
  fs.files["/a/b/c.yaml"] = "x";
  fs.links["/a/l"] = "b";
  fs.links["/loop"] = "/loop";
  EXPECT_EQ(fs.canonical("/a/./b/../b/c.yaml"), "/a/b/c.yaml");
  EXPECT_EQ(fs.canonical("/a/l/c.yaml"), "/a/b/c.yaml");
  EXPECT_EQ(fs.canonical("/a/l"), "/a/b");
  EXPECT_EQ(fs.canonical("/a/missing.yaml"), std::nullopt);
  EXPECT_EQ(fs.canonical("/loop/x"), std::nullopt);
  std::string error;
  EXPECT_EQ(fs.read("/a/l/c.yaml", 10, error), "x");
  EXPECT_EQ(fs.read("/a/b/none", 10, error), std::nullopt);
  EXPECT_EQ(error, "No such file or directory");
}

// A temporary directory removed at the end of the test.
class TempDirectory {
 public:
  explicit TempDirectory(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("tmc-loader-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDirectory() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(DiskFileSystem, ReadsAtMostOneByteOverTheLimit) {
  TempDirectory dir("read");
  std::ofstream(dir.path() / "f.yaml") << "0123456789";
  DiskFileSystem fs;
  std::string error;
  EXPECT_EQ(fs.read((dir.path() / "f.yaml").string(), 4, error), "01234");
  EXPECT_EQ(fs.read((dir.path() / "f.yaml").string(), 100, error), "0123456789");
  EXPECT_EQ(fs.read(dir.path().string(), 100, error), std::nullopt);
  EXPECT_EQ(error, "Is a directory");
  EXPECT_EQ(fs.read((dir.path() / "none").string(), 100, error), std::nullopt);
  EXPECT_EQ(error, "No such file or directory");
}

TEST(DiskFileSystem, IncludesRelativeFilesAndRefusesParentPaths) {
  TempDirectory dir("include");
  std::filesystem::create_directories(dir.path() / "m" / "parts");
  std::ofstream(dir.path() / "secret.yaml") << "a: 1\n";
  std::ofstream(dir.path() / "m" / "parts" / "a.yaml") << "elements: []\n";
  std::ofstream(dir.path() / "m" / "model.yaml")
      << "tmc: 1\ninclude:\n  - parts/a.yaml\n  - ../secret.yaml\n  - parts/none.yaml\n";
  SourceManager sources;
  DiagnosticSink sink;
  auto documents = load_model((dir.path() / "m" / "model.yaml").string(), DiskFileSystem(),
                              LoadLimits(), sources, sink);
  EXPECT_EQ(codes(sink), "4:5 include-outside; 5:5 include-not-found");
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[1].path, (dir.path() / "m" / "parts" / "a.yaml").string());
  EXPECT_TRUE(documents[1].root);
}

// Runs `body` in a child process that must finish within `seconds`; returns
// its exit status, or -1 when it had to be killed (it hung).
int run_with_deadline(int seconds, const std::function<int()>& body) {
  pid_t child = ::fork();
  if (child == 0) {
    ::alarm(static_cast<unsigned>(seconds));  // SIGALRM ends a hanging child
    ::_exit(body());
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(DiskFileSystem, RefusesAFifoInsteadOfWaitingForAWriter) {
  TempDirectory dir("fifo");
  const std::string fifo = (dir.path() / "model.tm.yaml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  int status = run_with_deadline(10, [&] {
    DiskFileSystem fs;
    std::string error;
    bool refused = !fs.read(fifo, 100, error) && error.rfind("Not a regular file", 0) == 0;
    return refused ? 0 : 1;
  });
  EXPECT_EQ(status, 0) << "reading a FIFO hung or was not refused";
}

TEST(DiskFileSystem, RefusesAFifoAsAnInclude) {
  TempDirectory dir("fifo-include");
  std::ofstream(dir.path() / "model.yaml") << "tmc: 1\ninclude: [part.yaml]\n";
  ASSERT_EQ(::mkfifo((dir.path() / "part.yaml").c_str(), 0600), 0);
  int status = run_with_deadline(10, [&] {
    SourceManager sources;
    DiagnosticSink sink;
    load_model((dir.path() / "model.yaml").string(), DiskFileSystem(), LoadLimits(), sources, sink);
    return codes(sink) == "2:11 include-not-found" &&
                   sink.diagnostics()[0].message.find("Not a regular file") != std::string::npos
               ? 0
               : 1;
  });
  EXPECT_EQ(status, 0) << "an included FIFO hung or was not refused";
}

}  // namespace
}  // namespace tmc::load
