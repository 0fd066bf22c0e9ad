// All file access of the loader goes through FileSystem, so tests can use
// an in-memory tree and include confinement is enforced in one place.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

namespace tmc::load {

// Collapses "." and ".." in an absolute path, lexically ("/a/b/../c" ->
// "/a/c"; ".." above the root stays at "/"). Follows no link.
std::string normalize_absolute(const std::string& path);

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // The whole file, or nullopt with `error` set (e.g. "No such file or directory").
  // Reads at most `max_bytes + 1` bytes so that a huge file is never slurped.
  virtual std::optional<std::string> read(const std::string& path, size_t max_bytes,
                                          std::string& error) const = 0;
  // The canonical absolute path with symlinks resolved, or nullopt.
  virtual std::optional<std::string> canonical(const std::string& path) const = 0;
};

// The real disk.
class DiskFileSystem : public FileSystem {
 public:
  std::optional<std::string> read(const std::string& path, size_t max_bytes,
                                  std::string& error) const override;
  std::optional<std::string> canonical(const std::string& path) const override;
};

// Files held in memory, keyed by absolute path ("/m/model.yaml"). Symlinks
// are entries in `links` from a path to its target path.
class MemoryFileSystem : public FileSystem {
 public:
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> links;

  std::optional<std::string> read(const std::string& path, size_t max_bytes,
                                  std::string& error) const override;
  std::optional<std::string> canonical(const std::string& path) const override;
};

// One file held in memory over another file system: the model read from
// standard input. `path` (absolute; "<stdin>" in the current directory)
// reads as `text`, also when named relative to the current directory, and
// everything else (its includes) reads through `base`.
class OverlayFileSystem : public FileSystem {
 public:
  OverlayFileSystem(const FileSystem& base, const std::string& path, std::string text)
      : base_(base), path_(normalize_absolute(path)), text_(std::move(text)) {}
  std::optional<std::string> read(const std::string& path, size_t max_bytes,
                                  std::string& error) const override;
  std::optional<std::string> canonical(const std::string& path) const override;

 private:
  bool is_overlay(const std::string& path) const;
  const FileSystem& base_;
  std::string path_;
  std::string text_;
};

// Reads standard input to its end, at most `max_bytes + 1` bytes (as
// FileSystem::read), or nullopt with `error` set.
std::optional<std::string> read_standard_input(size_t max_bytes, std::string& error);

// The current directory, or "/" when it cannot be known.
std::string current_directory();


}  // namespace tmc::load
