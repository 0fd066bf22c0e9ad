#include "load/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace tmc::load {

namespace {

// Reads `fd` until end of file or `limit` bytes, whichever comes first,
// starting with room for `size_hint` bytes; nullopt with `error` set on a
// read error. The caller closes `fd`.
std::optional<std::string> read_to_end(int fd, size_t limit, size_t size_hint, std::string& error) {
  std::string contents;
  contents.resize(std::min(size_hint, limit));
  size_t have = 0;
  while (have < limit) {
    if (have == contents.size()) contents.resize(std::min(limit, contents.size() * 2 + 4096));
    ssize_t got = ::read(fd, contents.data() + have, contents.size() - have);
    if (got < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      return std::nullopt;
    }
    if (got == 0) break;
    have += static_cast<size_t>(got);
  }
  contents.resize(have);
  return contents;
}

}  // namespace

std::optional<std::string> DiskFileSystem::read(const std::string& path, size_t max_bytes,
                                                std::string& error) const {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
  // writer forever. The type check is on the opened descriptor, so the
  // file cannot be swapped between the check and the read.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    error = S_ISDIR(info.st_mode) ? "Is a directory"
                                  : "Not a regular file (a FIFO, device or socket is refused)";
    ::close(fd);
    return std::nullopt;
  }
  // A regular file never blocks; clear the flag for ordinary reads.
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  // st_size is only a hint (files under /proc report 0, files may grow):
  // read until end of file or one byte past the limit.
  auto contents = read_to_end(fd, max_bytes + 1, static_cast<size_t>(info.st_size) + 1, error);
  ::close(fd);
  return contents;
}

std::optional<std::string> DiskFileSystem::canonical(const std::string& path) const {
  char buffer[PATH_MAX];
  if (::realpath(path.c_str(), buffer) == nullptr) return std::nullopt;
  return std::string(buffer);
}

std::string normalize_absolute(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& part : parts) out += "/" + part;
  return out.empty() ? "/" : out;
}

std::optional<std::string> MemoryFileSystem::read(const std::string& path, size_t max_bytes,
                                                  std::string& error) const {
  auto resolved = canonical(path);
  auto it = resolved ? files.find(*resolved) : files.end();
  if (it == files.end()) {
    error = "No such file or directory";
    return std::nullopt;
  }
  return it->second.substr(0, max_bytes + 1);
}

std::optional<std::string> MemoryFileSystem::canonical(const std::string& path) const {
  std::string current = normalize_absolute(path);
  // Resolve links component by component, with a bound against loops.
  for (int hops = 0; hops < 40; ++hops) {
    bool changed = false;
    for (const auto& [link, target] : links) {
      if (current == link || current.rfind(link + "/", 0) == 0) {
        std::string base = target.empty() || target[0] != '/'
                               ? link.substr(0, link.rfind('/')) + "/" + target
                               : target;
        current = normalize_absolute(base + current.substr(link.size()));
        changed = true;
        break;
      }
    }
    if (!changed) {
      if (files.count(current) > 0) return current;
      // A directory exists when some file lives under it.
      auto it = files.lower_bound(current + "/");
      if (it != files.end() && it->first.rfind(current + "/", 0) == 0) return current;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool OverlayFileSystem::is_overlay(const std::string& path) const {
  if (path == path_) return true;
  if (path.empty() || path[0] == '/') return normalize_absolute(path) == path_;
  return normalize_absolute(current_directory() + "/" + path) == path_;
}

std::optional<std::string> OverlayFileSystem::read(const std::string& path, size_t max_bytes,
                                                   std::string& error) const {
  if (is_overlay(path)) return text_.substr(0, max_bytes + 1);
  return base_.read(path, max_bytes, error);
}

std::optional<std::string> OverlayFileSystem::canonical(const std::string& path) const {
  if (is_overlay(path)) return path_;
  return base_.canonical(path);
}

std::optional<std::string> read_standard_input(size_t max_bytes, std::string& error) {
  return read_to_end(STDIN_FILENO, max_bytes + 1, 65536, error);
}

std::string current_directory() {
  char buffer[PATH_MAX];
  if (::getcwd(buffer, sizeof buffer) == nullptr) return "/";
  return buffer;
}

}  // namespace tmc::load
