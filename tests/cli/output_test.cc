#include "cli/output.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
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
  ASSERT_TRUE(write_output((dir / "a.txt").string(), "first", sink, {}));
  ASSERT_TRUE(write_output((dir / "a.txt").string(), "second", sink, {}));
  EXPECT_EQ(read(dir / "a.txt"), "second");
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(Output, FailsCleanlyWithoutPartialFiles) {
  DiagnosticSink sink;
  EXPECT_FALSE(write_output("/nonexistent-dir/x/report.md", "text", sink, {}));
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
  EXPECT_TRUE(write_output(fifo.string(), "through the pipe", sink, {}));
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  struct stat info {};
  ASSERT_EQ(::stat(fifo.c_str(), &info), 0);
  EXPECT_TRUE(S_ISFIFO(info.st_mode));
  EXPECT_TRUE(write_output("/dev/null", "discarded", sink, {}));
  ASSERT_EQ(::stat("/dev/null", &info), 0);
  EXPECT_TRUE(S_ISCHR(info.st_mode));
  fs::remove_all(dir);
}

// A reader started beside tmc (`cat p & tmc report m -o p`) may open the
// FIFO after tmc does: the wait for a reader must not refuse it.
TEST(Output, WritesToAFifoWhoseReaderOpensItLate) {
  fs::path dir = temp_dir();
  fs::path fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  pid_t child = ::fork();
  if (child == 0) {
    ::usleep(500 * 1000);
    std::ifstream in(fifo);
    std::stringstream buffer;
    buffer << in.rdbuf();
    _exit(buffer.str() == "late but read" ? 0 : 1);
  }
  DiagnosticSink sink;
  ::alarm(30);
  EXPECT_TRUE(write_output(fifo.string(), "late but read", sink, {}));
  ::alarm(0);
  if (!sink.diagnostics().empty()) {
    ADD_FAILURE() << sink.diagnostics()[0].message;
    ::kill(child, SIGKILL);  // still waiting for a writer
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  fs::remove_all(dir);
}

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0);
  return info.st_mode & 07777;
}

// Regression (issue 22): a FIFO with no reader made open() wait forever;
// a socket is no output either. The FIFO is refused after a short wait
// and left as it was, the socket at once. (Block devices are refused too;
// not tried here: a test that fails would write onto a disk.)
TEST(Output, RefusesAFifoWithNoReaderAndASocket) {
  fs::path dir = temp_dir();
  fs::path fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  DiagnosticSink sink;
  auto start = std::chrono::steady_clock::now();
  ::alarm(30);  // before the fix open() never returned: SIGALRM ends the test
  EXPECT_FALSE(write_output(fifo.string(), "nobody reads this", sink, {}));
  ::alarm(0);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(kFifoReaderWaitMs));
  EXPECT_LT(waited, std::chrono::milliseconds(kFifoReaderWaitMs) + std::chrono::seconds(5));
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].message,
            "cannot write '" + fifo.string() + "': it is a FIFO (named pipe) that no reader opened within 5 s; refusing to wait longer");
  struct stat info {};
  ASSERT_EQ(::stat(fifo.c_str(), &info), 0);
  EXPECT_TRUE(S_ISFIFO(info.st_mode));

  fs::path socket_path = dir / "socket";
  int socket = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(socket, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path.c_str());
  ASSERT_EQ(::bind(socket, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  DiagnosticSink socket_sink;
  EXPECT_FALSE(write_output(socket_path.string(), "text", socket_sink, {}));
  ASSERT_EQ(socket_sink.diagnostics().size(), 1u);
  EXPECT_EQ(socket_sink.diagnostics()[0].message, "cannot write '" + socket_path.string() + "': it is a socket; refusing to write to it");
  ::close(socket);

  fs::remove_all(dir);
}

// Regression (issue 15): `tmc report m.tm.yaml -o m.tm.yaml` replaced the
// model with its report.
TEST(Output, RefusesToOverwriteAnInput) {
  fs::path dir = temp_dir();
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "m.tm.yaml") << "model";
  fs::create_hard_link(dir / "m.tm.yaml", dir / "hard.yaml");
  std::vector<std::string> inputs = {(dir / "m.tm.yaml").string()};
  for (const fs::path& output : {dir / "m.tm.yaml", dir / "sub" / ".." / "m.tm.yaml", dir / "hard.yaml"}) {
    DiagnosticSink sink;
    EXPECT_FALSE(write_output(output.string(), "report", sink, inputs)) << output;
    ASSERT_EQ(sink.diagnostics().size(), 1u);
    EXPECT_NE(sink.diagnostics()[0].message.find("it is an input of this run"), std::string::npos);
  }
  EXPECT_EQ(read(dir / "m.tm.yaml"), "model");
  fs::create_symlink(dir / "m.tm.yaml", dir / "link.md");
  DiagnosticSink sink;
  EXPECT_FALSE(write_output((dir / "link.md").string(), "report", sink, inputs));
  EXPECT_EQ(read(dir / "m.tm.yaml"), "model");
  EXPECT_TRUE(write_output((dir / "other.md").string(), "report", sink, inputs));
  fs::remove_all(dir);
}

// Regression (issue 15): a symbolic link at the output path was replaced by
// a regular file. It is written through: the link stays, its target
// changes, and the target keeps its mode.
TEST(Output, WritesThroughASymbolicLinkKeepingTheTargetsMode) {
  fs::path dir = temp_dir();
  fs::create_directories(dir / "real");
  std::ofstream(dir / "real" / "report.md") << "old";
  ::chmod((dir / "real" / "report.md").c_str(), 0600);
  fs::create_symlink("real/report.md", dir / "report.md");
  DiagnosticSink sink;
  ASSERT_TRUE(write_output((dir / "report.md").string(), "new", sink, {}));
  EXPECT_TRUE(fs::is_symlink(dir / "report.md"));
  EXPECT_EQ(read(dir / "real" / "report.md"), "new");
  EXPECT_EQ(mode_of(dir / "real" / "report.md"), 0600u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "real"), fs::directory_iterator()), 1);
  // A dangling link is refused, and nothing is created.
  fs::create_symlink("missing/target.md", dir / "dangling.md");
  EXPECT_FALSE(write_output((dir / "dangling.md").string(), "x", sink, {}));
  EXPECT_NE(sink.diagnostics().back().message.find("symbolic link to a missing file"), std::string::npos);
  fs::remove_all(dir);
}

// Regression (issue 15): outputs were always 0644, even over an existing
// 0600 file, whatever the umask.
TEST(Output, KeepsAnExistingModeAndRespectsTheUmaskForNewFiles) {
  fs::path dir = temp_dir();
  std::ofstream(dir / "secret.md") << "old";
  ::chmod((dir / "secret.md").c_str(), 0600);
  mode_t saved = ::umask(027);
  DiagnosticSink sink;
  EXPECT_TRUE(write_output((dir / "secret.md").string(), "new", sink, {}));
  EXPECT_TRUE(write_output((dir / "fresh.md").string(), "new", sink, {}));
  ::umask(077);
  EXPECT_TRUE(write_output((dir / "private.md").string(), "new", sink, {}));
  ::umask(saved);
  EXPECT_EQ(mode_of(dir / "secret.md"), 0600u);
  EXPECT_EQ(mode_of(dir / "fresh.md"), 0640u);
  EXPECT_EQ(mode_of(dir / "private.md"), 0600u);
  fs::remove_all(dir);
}

// Regression (issue 15): temporaries of a killed run (.NAME.tmc-XXXXXX)
// stayed forever. Stale ones of our exact pattern for this output go;
// fresh ones (maybe a live writer), other outputs' and look-alikes stay.
TEST(Output, RemovesStaleTemporariesOfTheSameOutputOnly) {
  fs::path dir = temp_dir();
  auto make = [&](const std::string& name, bool old) {
    std::ofstream(dir / name) << "partial";
    if (old) fs::last_write_time(dir / name, fs::file_time_type::clock::now() - std::chrono::hours(1));
  };
  make(".out.md.tmc-Ab12Cd", true);   // stale, ours: removed
  make(".out.md.tmc-Fresh1", false);  // fresh: a writer may be alive
  make(".other.md.tmc-Ab12Cd", true); // another output's
  make(".out.md.tmc-Ab12Cd7", true);  // not the pattern
  make(".out.md.tmc-Ab_2Cd", true);   // not the pattern
  make("out.md.tmc-Ab12Cd", true);    // not the pattern
  fs::create_directories(dir / ".out.md.tmc-Dir123");
  fs::last_write_time(dir / ".out.md.tmc-Dir123", fs::file_time_type::clock::now() - std::chrono::hours(1));
  DiagnosticSink sink;
  ASSERT_TRUE(write_output((dir / "out.md").string(), "report", sink, {}));
  EXPECT_FALSE(fs::exists(dir / ".out.md.tmc-Ab12Cd"));
  for (const char* kept : {".out.md.tmc-Fresh1", ".other.md.tmc-Ab12Cd", ".out.md.tmc-Ab12Cd7", ".out.md.tmc-Ab_2Cd",
                           "out.md.tmc-Ab12Cd", ".out.md.tmc-Dir123"}) {
    EXPECT_TRUE(fs::exists(dir / kept)) << kept;
  }
  fs::remove_all(dir);
}

// A streamed output (issue 13: JSON and SARIF are written as they are
// produced) is still atomic: while the renderer writes, the target keeps
// its old content and the new bytes go to the temporary file only.
TEST(Output, StreamedOutputGoesToTheTemporaryFileThenReplacesTheTarget) {
  fs::path dir = temp_dir();
  std::ofstream(dir / "report.json") << "old";
  std::string expected;
  DiagnosticSink sink;
  bool ok = write_output_streamed(
      (dir / "report.json").string(),
      [&](render::Sink& out) {
        for (int i = 0; i < 100000; ++i) {
          std::string piece = std::to_string(i) + ",";
          out.write(piece);
          expected += piece;
        }
        out.flush();
        EXPECT_EQ(read(dir / "report.json"), "old");  // not yet replaced
        EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);  // + the temporary
      },
      sink, {});
  ASSERT_TRUE(ok);
  EXPECT_EQ(read(dir / "report.json"), expected);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

// A write that fails part-way (a full disk) reports `write-error` once;
// the renderer still runs to its end.
TEST(Output, StreamedOutputReportsAFailedWrite) {
  DiagnosticSink sink;
  size_t pieces = 0;
  EXPECT_FALSE(write_output_streamed(
      "/dev/full",
      [&](render::Sink& out) {
        for (; pieces < 100000; ++pieces) out.write("0123456789");
      },
      sink, {}));
  EXPECT_EQ(pieces, 100000u);
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].message, "cannot write '/dev/full': No space left on device");
}

// Regression (issue 22): the backlog wrote its files through symbolic
// links planted at its names. A set replaces what is at a name: a link
// becomes the file, its target is untouched; a regular file keeps its mode.
TEST(Output, ASetReplacesSymbolicLinksAtItsNamesInsteadOfWritingThrough) {
  fs::path dir = temp_dir();
  fs::create_directories(dir / "out");
  std::ofstream(dir / "victim") << "precious";
  ::chmod((dir / "victim").c_str(), 0600);
  fs::create_symlink("../victim", dir / "out" / "a.md");
  fs::create_symlink("../missing", dir / "out" / "b.md");  // dangling
  std::ofstream(dir / "out" / "c.md") << "old";
  ::chmod((dir / "out" / "c.md").c_str(), 0640);
  mode_t saved = ::umask(022);
  DiagnosticSink sink;
  EXPECT_TRUE(write_output_set((dir / "out").string(), {{"a.md", "A"}, {"b.md", "B"}, {"c.md", "C"}}, sink, {}));
  ::umask(saved);
  EXPECT_EQ(read(dir / "victim"), "precious");
  EXPECT_EQ(mode_of(dir / "victim"), 0600u);
  EXPECT_FALSE(fs::exists(dir / "missing"));
  for (const char* name : {"a.md", "b.md", "c.md"}) EXPECT_FALSE(fs::is_symlink(dir / "out" / name)) << name;
  EXPECT_EQ(read(dir / "out" / "a.md"), "A");
  EXPECT_EQ(mode_of(dir / "out" / "a.md"), 0644u);  // a new file's, not the link target's
  EXPECT_EQ(read(dir / "out" / "b.md"), "B");
  EXPECT_EQ(read(dir / "out" / "c.md"), "C");
  EXPECT_EQ(mode_of(dir / "out" / "c.md"), 0640u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "out"), fs::directory_iterator()), 3);
  fs::remove_all(dir);
}

// Regression (issue 22): a backlog run that failed part-way left new issue
// files beside the old CSV, JSON and manifest. A set is all or nothing.
TEST(Output, ASetThatCannotBeWrittenWholeChangesNothing) {
  fs::path dir = temp_dir();
  std::ofstream(dir / "a.md") << "old a";
  fs::create_directories(dir / "c.md");  // in the way of the last file
  DiagnosticSink sink;
  EXPECT_FALSE(write_output_set(dir.string(), {{"a.md", "new a"}, {"b.md", "new b"}, {"c.md", "new c"}}, sink, {}));
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].message,
            "cannot write '" + dir.string() + "/c.md': it is a directory; nothing in '" + dir.string() + "' was changed");
  EXPECT_EQ(read(dir / "a.md"), "old a");
  EXPECT_FALSE(fs::exists(dir / "b.md"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);  // no temporary left
  // An input of the run at one of the names is refused the same way.
  fs::remove(dir / "c.md");
  std::ofstream(dir / "m.tm.yaml") << "model";
  DiagnosticSink input_sink;
  EXPECT_FALSE(write_output_set(dir.string(), {{"a.md", "new a"}, {"m.tm.yaml", "x"}}, input_sink, {(dir / "m.tm.yaml").string()}));
  EXPECT_EQ(read(dir / "a.md"), "old a");
  EXPECT_EQ(read(dir / "m.tm.yaml"), "model");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tmc::cli
