#include "cli/output.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tmc::cli {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir() {
  fs::path dir = fs::temp_directory_path() / ("tmc-output-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(Output, WritesAndReplacesAFileWholly) {
  fs::path dir = temp_dir();
  DiagnosticSink sink;
  ASSERT_TRUE(write_output((dir / "a.txt").string(), "first", sink));
  ASSERT_TRUE(write_output((dir / "a.txt").string(), "second", sink));
  EXPECT_EQ(read(dir / "a.txt"), "second");
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(Output, FailsCleanlyWithoutPartialFiles) {
  DiagnosticSink sink;
  EXPECT_FALSE(write_output("/nonexistent-dir/x/report.md", "text", sink));
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].code, "write-error");
  EXPECT_EQ(sink.diagnostics()[0].message, "cannot write '/nonexistent-dir/x/report.md': No such file or directory");
}

// Regression: writing to /dev/null (or a FIFO) renamed a regular file over
// the device when run as root.
TEST(Output, WritesDevicesAndPipesInPlace) {
  fs::path dir = temp_dir();
  fs::path fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  pid_t child = ::fork();
  if (child == 0) {
    std::ifstream in(fifo);
    std::stringstream buffer;
    buffer << in.rdbuf();
    _exit(buffer.str() == "through the pipe" ? 0 : 1);
  }
  DiagnosticSink sink;
  EXPECT_TRUE(write_output(fifo.string(), "through the pipe", sink));
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  struct stat info {};
  ASSERT_EQ(::stat(fifo.c_str(), &info), 0);
  EXPECT_TRUE(S_ISFIFO(info.st_mode));
  EXPECT_TRUE(write_output("/dev/null", "discarded", sink));
  ASSERT_EQ(::stat("/dev/null", &info), 0);
  EXPECT_TRUE(S_ISCHR(info.st_mode));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tmc::cli
