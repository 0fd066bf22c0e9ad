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
#include <optional>
#include <set>

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

// The output NAME when `entry` is exactly ".NAME.tmc-XXXXXX" (mkstemp's
// six letters and digits), else empty.
std::string_view output_of_temporary(std::string_view entry) {
  constexpr std::string_view infix = ".tmc-";
  constexpr size_t letters = 6;
  if (entry.size() < 1 + infix.size() + letters || entry[0] != '.') return {};
  std::string_view tail = entry.substr(entry.size() - infix.size() - letters);
  if (!tail.starts_with(infix)) return {};
  for (char c : tail.substr(infix.size())) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return {};
  }
  return entry.substr(1, entry.size() - 1 - tail.size());
}

// Removes temporaries for any of `names` in `directory` left by a killed
// run: ours by name, regular files owned by us, untouched for
// kStaleTempSeconds. Failures are ignored: this is housekeeping.
void remove_stale_temporaries(const std::string& directory, const std::set<std::string, std::less<>>& names) {
  DIR* dir = ::opendir(directory.c_str());
  if (dir == nullptr) return;
  time_t now = ::time(nullptr);
  while (const dirent* entry = ::readdir(dir)) {
    std::string_view name = output_of_temporary(entry->d_name);
    if (name.empty() || !names.contains(name)) continue;
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

// Writes what `produce` writes to a new temporary ".NAME.tmc-XXXXXX" in
// `directory` with permission bits `mode`, flushed to disk. Returns its
// path, or nullopt with `error` set to the errno (nothing is left behind).
std::optional<std::string> write_temporary(const std::string& directory, const std::string& name, mode_t mode,
                                           const std::function<void(render::Sink&)>& produce, int& error) {
  std::string temp = directory + "/." + name + ".tmc-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    error = errno;
    return std::nullopt;
  }
  FileSink out(fd);
  try {
    produce(out);
  } catch (...) {  // (out of memory) nothing is left behind
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  error = out.finish();
  bool ok = error == 0 && ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
  if (error == 0 && !ok) error = errno;
  if (::close(fd) != 0 && ok) {
    error = errno;
    ok = false;
  }
  if (ok) return temp;
  ::unlink(temp.c_str());
  return std::nullopt;
}

// The first of `inputs` that is the file `info` describes (same device and
// inode: hard links and other spellings are caught), else empty.
std::string same_file_as(const struct stat& info, const std::vector<std::string>& inputs) {
  for (const std::string& input : inputs) {
    struct stat in {};
    if (::stat(input.c_str(), &in) == 0 && in.st_dev == info.st_dev && in.st_ino == info.st_ino) return input;
  }
  return "";
}

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
    if (std::string input = same_file_as(info, inputs); !input.empty()) {
      return failed(fmt::format("it is an input of this run ('{}'); refusing to overwrite it, choose another output", input));
    }
  }
  // A character device or a pipe (/dev/null, /dev/stdout, a FIFO) is
  // written in place: renaming over it would replace the device with a
  // file. Opened without blocking, so a FIFO that no reader opens is
  // refused after a short wait instead of waiting forever (a socket or a
  // block device at once); the type is then checked on the opened
  // descriptor, so nothing swapped in meanwhile is written.
  if (exists && !S_ISREG(info.st_mode)) {
    if (S_ISBLK(info.st_mode)) return failed("it is a block device; refusing to write onto it");
    if (S_ISSOCK(info.st_mode)) return failed("it is a socket; refusing to write to it");
    // A FIFO's reader may be starting beside tmc (`cat p & tmc ... -o p`):
    // it gets kFifoReaderWaitMs to open its end.
    int fd = -1, error = 0;
    for (int waited = 0;; waited += 20) {
      fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
      error = errno;
      if (fd >= 0 || error != ENXIO || !S_ISFIFO(info.st_mode) || waited >= kFifoReaderWaitMs) break;
      ::usleep(20 * 1000);
    }
    if (fd < 0 && error == ENXIO && S_ISFIFO(info.st_mode)) {
      return failed(fmt::format("it is a FIFO (named pipe) that no reader opened within {} s; refusing to wait longer",
                                kFifoReaderWaitMs / 1000));
    }
    if (fd < 0) return failed(std::strerror(error));
    struct stat opened {};
    if (::fstat(fd, &opened) != 0 || (!S_ISCHR(opened.st_mode) && !S_ISFIFO(opened.st_mode))) {
      ::close(fd);
      return failed("it changed while it was opened, or is neither a file, a character device nor a pipe; refusing to write to it");
    }
    // Writes wait for a slow reader like any output to a pipe.
    int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    FileSink out(fd);
    produce(out);
    int saved = out.finish();
    ::close(fd);
    return saved == 0 || failed(std::strerror(saved));
  }
  std::string directory = std::filesystem::path(target).parent_path().string();
  if (directory.empty()) directory = ".";
  std::string name = std::filesystem::path(target).filename().string();
  remove_stale_temporaries(directory, {name});
  // Keep an existing file's permission bits; a new one gets 0666 minus the
  // umask, like any file a program creates.
  mode_t mode = exists ? (info.st_mode & 07777) : (0666 & ~current_umask());
  int error = 0;
  std::optional<std::string> temp = write_temporary(directory, name, mode, produce, error);
  if (!temp) return failed(std::strerror(error));
  if (std::rename(temp->c_str(), target.c_str()) != 0) {
    error = errno;
    ::unlink(temp->c_str());
    return failed(std::strerror(error));
  }
  return true;
}

bool write_output_set(const std::string& directory, const std::vector<SetFile>& files, DiagnosticSink& sink,
                      const std::vector<std::string>& inputs) {
  std::set<std::string, std::less<>> names;
  for (const SetFile& file : files) names.insert(file.name);
  remove_stale_temporaries(directory, names);
  std::vector<std::string> temporaries;  // temporaries[i] holds files[i]
  auto failed = [&](const std::string& name, const std::string& why) {
    for (const std::string& temp : temporaries) ::unlink(temp.c_str());
    sink.error("write-error", {}, fmt::format("cannot write '{}/{}': {}; nothing in '{}' was changed", directory, name, why, directory));
    return false;
  };
  try {
    for (const SetFile& file : files) {
      // lstat, not stat: what is at the name is replaced, never followed.
      std::string path = directory + "/" + file.name;
      struct stat info {};
      bool regular = false;
      if (::lstat(path.c_str(), &info) == 0) {
        if (S_ISDIR(info.st_mode)) return failed(file.name, "it is a directory");
        regular = S_ISREG(info.st_mode);
        if (regular) {
          if (std::string input = same_file_as(info, inputs); !input.empty()) {
            return failed(file.name, fmt::format("it is an input of this run ('{}'); refusing to overwrite it", input));
          }
        }
      }
      mode_t mode = regular ? (info.st_mode & 07777) : (0666 & ~current_umask());
      int error = 0;
      std::optional<std::string> temp =
          write_temporary(directory, file.name, mode, [&](render::Sink& out) { out.write(file.content); }, error);
      if (!temp) return failed(file.name, std::strerror(error));
      temporaries.push_back(std::move(*temp));
    }
  } catch (...) {  // (out of memory) nothing is left behind
    for (const std::string& temp : temporaries) ::unlink(temp.c_str());
    throw;
  }
  // Every file is written: put them in place. rename() replaces whatever
  // is at the name, a symbolic link included, and follows nothing.
  for (size_t i = 0; i < files.size(); ++i) {
    std::string path = directory + "/" + files[i].name;
    if (std::rename(temporaries[i].c_str(), path.c_str()) != 0) {
      int error = errno;
      for (size_t j = i; j < files.size(); ++j) ::unlink(temporaries[j].c_str());
      sink.error("write-error", {}, fmt::format("cannot write '{}': {}; the {} file(s) before it in the set were replaced, "
                                                "the rest were not", path, std::strerror(error), i));
      return false;
    }
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
