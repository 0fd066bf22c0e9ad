#include "cli/output.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <ctime>
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
mode_t current_umask() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return mask;
}

// Whether `entry` is exactly ".NAME.tmc-XXXXXX" (mkstemp's six letters
// and digits) for the output file NAME.
bool is_our_temporary(std::string_view entry, std::string_view name) {
  std::string prefix = "." + std::string(name) + ".tmc-";
  if (entry.size() != prefix.size() + 6 || entry.compare(0, prefix.size(), prefix) != 0) return false;
  for (char c : entry.substr(prefix.size())) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Removes temporaries for `name` in `directory` left by a killed run: ours
// by name, regular files owned by us, untouched for kStaleTempSeconds.
// Failures are ignored: this is housekeeping.
void remove_stale_temporaries(const std::string& directory, const std::string& name) {
  DIR* dir = ::opendir(directory.c_str());
  if (dir == nullptr) return;
  time_t now = ::time(nullptr);
  while (const dirent* entry = ::readdir(dir)) {
    if (!is_our_temporary(entry->d_name, name)) continue;
    std::string file = directory + "/" + entry->d_name;
    struct stat info {};
    if (::lstat(file.c_str(), &info) != 0 || !S_ISREG(info.st_mode) || info.st_uid != ::geteuid()) continue;
    if (now - info.st_mtime < kStaleTempSeconds) continue;  // maybe a live writer
    ::unlink(file.c_str());
  }
  ::closedir(dir);
}

// A sink into a file descriptor: chunks written as they come; the first
// failed write is kept (its errno) and later chunks are dropped.
class FileSink : public render::Sink {
 public:
  explicit FileSink(int fd) : fd_(fd) {}
  // Flushes; 0 when every write succeeded, else the first failure's errno.
  int finish() {
    flush();
    return error_;
  }

 protected:
  void take(std::string_view chunk) override {
    if (error_ == 0 && !write_all(fd_, chunk)) error_ = errno != 0 ? errno : EIO;
  }

 private:
  int fd_;
  int error_ = 0;
};

void print_to(std::FILE* stream, std::string_view text) {
  if (!text.empty()) std::fwrite(text.data(), 1, text.size(), stream);
}
}  // namespace

namespace {
std::string terminal_text(std::string_view text, Colors colors) {
  return colors == Colors::kept ? render::terminal_safe_colored(text) : render::terminal_safe(text);
}
}  // namespace

void print_out(std::string_view text, Colors colors) { print_to(stdout, terminal_text(text, colors)); }

void print_err(std::string_view text, Colors colors) {
  print_to(stderr, terminal_text(text, colors));
  std::fflush(stderr);
}

bool finish_stdout() {
  errno = 0;
  bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
  if (!failed) return true;
  int saved = errno;
  print_err(fmt::format("tmc: error: cannot write to standard output: {}\n",
                        saved != 0 ? std::strerror(saved) : "write error"));
  return false;
}

namespace {
bool write_stdout(std::string_view content, DiagnosticSink& sink) {
  print_out(content);
  if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
    sink.error("write-error", {}, fmt::format("cannot write to standard output: {}", std::strerror(errno)));
    std::clearerr(stdout);  // reported here once, not again by finish_stdout()
    return false;
  }
  return true;
}
}  // namespace

bool write_output(const std::string& path, std::string_view content, DiagnosticSink& sink,
                  const std::vector<std::string>& inputs) {
  if (path == "-") return write_stdout(content, sink);
  return write_output_streamed(path, [&](render::Sink& out) { out.write(content); }, sink, inputs);
}

bool write_output_streamed(const std::string& path, const std::function<void(render::Sink&)>& produce, DiagnosticSink& sink,
                           const std::vector<std::string>& inputs) {
  if (path == "-") {
    // Made terminal-safe as a whole: an escape must not be cut between chunks.
    render::StringSink collected;
    produce(collected);
    return write_stdout(collected.str(), sink);
  }
  auto failed = [&](const std::string& why) {
    sink.error("write-error", {}, fmt::format("cannot write '{}': {}", path, why));
    return false;
  };
  // A symbolic link is written through: the link stays, its target changes.
  std::string target = path;
  struct stat link {};
  if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    std::error_code error;
    std::filesystem::path resolved = std::filesystem::canonical(path, error);
    if (error) return failed("it is a symbolic link to a missing file; refusing to follow it");
    target = resolved.string();
  }
  struct stat info {};
  bool exists = ::stat(target.c_str(), &info) == 0;
  if (exists) {
    for (const std::string& input : inputs) {
      struct stat in {};
      if (::stat(input.c_str(), &in) == 0 && in.st_dev == info.st_dev && in.st_ino == info.st_ino) {
        return failed(fmt::format("it is an input of this run ('{}'); refusing to overwrite it, choose another output", input));
      }
    }
  }
  // A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written in
  // place: renaming over it would replace the device with a file.
  if (exists && !S_ISREG(info.st_mode)) {
    int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return failed(std::strerror(errno));
    FileSink out(fd);
    produce(out);
    int saved = out.finish();
    ::close(fd);
    return saved == 0 || failed(std::strerror(saved));
  }
  std::string directory = std::filesystem::path(target).parent_path().string();
  if (directory.empty()) directory = ".";
  std::string name = std::filesystem::path(target).filename().string();
  remove_stale_temporaries(directory, name);
  std::string temp = directory + "/." + name + ".tmc-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return failed(std::strerror(errno));
  // Keep an existing file's permission bits; a new one gets 0666 minus the
  // umask, like any file a program creates.
  mode_t mode = exists ? (info.st_mode & 07777) : (0666 & ~current_umask());
  FileSink out(fd);
  try {
    produce(out);
  } catch (...) {  // (out of memory) nothing is left behind
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  int saved = out.finish();
  bool ok = saved == 0 && ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
  if (saved == 0) saved = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok && std::rename(temp.c_str(), target.c_str()) != 0) {
    saved = errno;
    ok = false;
  }
  if (!ok) {
    ::unlink(temp.c_str());
    return failed(std::strerror(saved));
  }
  return true;
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
