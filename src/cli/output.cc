#include "cli/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "render/escape.h"

namespace tmc::cli {

namespace {
bool write_all(int fd, std::string_view content) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t wrote = ::write(fd, content.data() + done, content.size() - done);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(wrote);
  }
  return true;
}
void print_to(std::FILE* stream, std::string_view text) {
  if (!text.empty()) std::fwrite(text.data(), 1, text.size(), stream);
}
}  // namespace

void print_out(std::string_view text) { print_to(stdout, render::terminal_safe(text)); }

void print_err(std::string_view text) {
  print_to(stderr, render::terminal_safe(text));
  std::fflush(stderr);
}

void print_err_colored(std::string_view text) {
  print_to(stderr, text);
  std::fflush(stderr);
}

void print_out_colored(std::string_view text) { print_to(stdout, text); }

bool finish_stdout() {
  errno = 0;
  bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
  if (!failed) return true;
  int saved = errno;
  print_err(fmt::format("tmc: error: cannot write to standard output: {}\n",
                        saved != 0 ? std::strerror(saved) : "write error"));
  return false;
}

bool write_output(const std::string& path, std::string_view content, DiagnosticSink& sink) {
  if (path == "-") {
    print_out(content);
    if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
      sink.error("write-error", {}, fmt::format("cannot write to standard output: {}", std::strerror(errno)));
      std::clearerr(stdout);  // reported here once, not again by finish_stdout()
      return false;
    }
    return true;
  }
  // A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written in
  // place: renaming over it would replace the device with a file.
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    bool ok = fd >= 0 && write_all(fd, content);
    int saved = errno;
    if (fd >= 0) ::close(fd);
    if (!ok) sink.error("write-error", {}, fmt::format("cannot write '{}': {}", path, std::strerror(saved)));
    return ok;
  }
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (directory.empty()) directory = ".";
  std::string temp = directory + "/." + std::filesystem::path(path).filename().string() + ".tmc-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    sink.error("write-error", {}, fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
    return false;
  }
  bool ok = write_all(fd, content) && ::fchmod(fd, 0644) == 0 && ::fsync(fd) == 0;
  int saved = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok && std::rename(temp.c_str(), path.c_str()) != 0) {
    saved = errno;
    ok = false;
  }
  if (!ok) {
    ::unlink(temp.c_str());
    sink.error("write-error", {}, fmt::format("cannot write '{}': {}", path, std::strerror(saved)));
  }
  return ok;
}

bool ensure_directory(const std::string& directory, DiagnosticSink& sink) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error || !std::filesystem::is_directory(directory)) {
    sink.error("write-error", {},
               fmt::format("cannot create directory '{}': {}", directory,
                           error ? error.message() : std::string("Not a directory")));
    return false;
  }
  return true;
}

}  // namespace tmc::cli
