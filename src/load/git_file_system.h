// Reading a model as committed at a git revision, without checking
// anything out: a FileSystem over one commit's tree. `git` runs as a child
// process with an argument vector (no shell), only with read-only plumbing
// commands (rev-parse, ls-tree, cat-file), so the working tree, the index
// and the repository are never modified.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "load/file_system.h"

namespace tmc::load {

// The outcome of running one git command.
struct GitResult {
  bool started = false;  // false: git could not be run at all
  int exit_status = -1;  // the exit status, -1 when killed by a signal
  std::string out;       // standard output (at most the byte limit asked for, plus one)
  std::string err;       // standard error (at most 4 KiB)
};

// Runs `git ARGS...` in `directory` with stdin from /dev/null, reading at
// most `max_out + 1` bytes of its output (the child is stopped past that).
// Never uses a shell; GIT_OPTIONAL_LOCKS=0, GIT_LITERAL_PATHSPECS=1 and a
// fixed locale are set.
GitResult run_git(const std::string& directory, const std::vector<std::string>& args,
                  size_t max_out = 64u << 20);

// The files of one commit below one directory, read through git. Only
// the paths the loader asks for are looked up (one `ls-tree` of that path,
// then of its directories when it is missing, to find a symbolic link on
// the way), never the whole tree: a model at the root of a repository of
// 300,000 files costs what it costs anywhere. The lookups are cached, so
// an instance is for one thread at a time.
//
// Paths given to read() and canonical() are either working-tree paths (as
// the user wrote them, relative to the current directory or absolute) or
// the same paths prefixed with the label "REV:" that open() returns as
// `shown_path`, so diagnostics read "HEAD~1:threat-model.tm.yaml:3:5".
// canonical() maps them to "<repository root>/<path in the commit>",
// resolving symbolic links stored in the commit; the loader's include
// confinement then applies unchanged.
class GitFileSystem : public FileSystem {
 public:
  // Opens `model_path` (a working-tree path) at `revision` in the
  // repository of the current directory. On failure returns nullptr with
  // `error` set to a one-line reason: git missing, the current directory
  // not inside a git repository, a revision that does not name a commit, a
  // path outside the repository, a model that is a symbolic link at the
  // revision leading out of its directory (or out of the repository). A
  // model absent at the revision is not an error: then `exists()` is false.
  static std::unique_ptr<GitFileSystem> open(const std::string& revision, const std::string& model_path,
                                             std::string& error);

  std::optional<std::string> read(const std::string& path, size_t max_bytes,
                                  std::string& error) const override;
  std::optional<std::string> canonical(const std::string& path) const override;

  // The model path as shown in diagnostics: "REV:path as given".
  const std::string& shown_path() const { return shown_path_; }
  // The commit the revision names (40 or 64 hex digits).
  const std::string& commit() const { return commit_; }
  // The model's path inside the repository ("docs/threat-model.tm.yaml").
  const std::string& path_in_repository() const { return repository_path_; }
  // Whether the model file exists in the commit.
  bool exists() const;

 private:
  struct TreeEntry {
    std::string mode;    // "100644", "120000" (symbolic link), "040000" (directory), ...
    std::string object;  // blob or tree id
  };
  GitFileSystem() = default;
  // The entry of one path in the commit ("docs/a.yaml", no leading or
  // trailing slash), nullptr when there is none; asks git once per path.
  const TreeEntry* entry(const std::string& path) const;
  // "<root>/<p>" for a path in the commit, after resolving links; nullopt
  // when it names nothing in the commit.
  std::optional<std::string> resolve(const std::string& absolute) const;
  std::string to_absolute(const std::string& path) const;
  // Whether `absolute` ("<root>/<p>") is in the model's directory.
  bool in_model_directory(const std::string& absolute) const;

  std::string root_;             // canonical repository root (no trailing slash)
  std::string commit_;
  std::string label_;            // "REV:"
  std::string shown_path_;
  std::string repository_path_;
  std::string model_directory_;  // path in the commit of the model's directory ("" = root)
  std::string current_directory_;  // canonical, for relative paths
  std::string lexical_directory_;  // the model's directory as given, made absolute
  std::string real_directory_;     // the same with symbolic links resolved
  // Path in the commit -> its entry, nullopt when it has none: every path
  // looked up so far.
  mutable std::map<std::string, std::optional<TreeEntry>> entries_;
  mutable std::string lookup_error_;  // git's message when the last lookup failed
};

}  // namespace tmc::load
