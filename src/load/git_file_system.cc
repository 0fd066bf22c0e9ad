#include "load/git_file_system.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace tmc::load {

namespace {

constexpr size_t kMaxErrorBytes = 4096;
constexpr int kMaxLinkHops = 40;

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::optional<std::string> real_path(const std::string& path) {
  char buffer[PATH_MAX];
  if (::realpath(path.c_str(), buffer) == nullptr) return std::nullopt;
  return std::string(buffer);
}

bool is_under(const std::string& directory, const std::string& path) {
  if (directory == "/") return true;
  return path == directory ||
         (path.size() > directory.size() && path.compare(0, directory.size(), directory) == 0 &&
          path[directory.size()] == '/');
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

std::string trim_newline(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace

GitResult run_git(const std::string& directory, const std::vector<std::string>& args, size_t max_out) {
  GitResult result;
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return result;
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return result;
  }
  std::vector<std::string> argv_strings = {"git", "-C", directory};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  // The environment, plus settings that keep git read-only and quiet.
  std::vector<std::string> env_strings;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry = *e;
    if (entry.rfind("GIT_OPTIONAL_LOCKS=", 0) == 0 || entry.rfind("LC_ALL=", 0) == 0 ||
        entry.rfind("GIT_TERMINAL_PROMPT=", 0) == 0 || entry.rfind("GIT_PAGER=", 0) == 0 ||
        entry.rfind("GIT_LITERAL_PATHSPECS=", 0) == 0) {
      continue;
    }
    env_strings.push_back(std::move(entry));
  }
  // Paths are literal: a directory named ":(glob)*" is just a name.
  env_strings.insert(env_strings.end(), {"GIT_OPTIONAL_LOCKS=0", "LC_ALL=C", "GIT_TERMINAL_PROMPT=0", "GIT_PAGER=cat",
                                         "GIT_LITERAL_PATHSPECS=1"});
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  pid_t pid = -1;
  int spawned = ::posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (spawned != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    return result;
  }
  result.started = true;

  // Read both pipes until both close, or until the output passes its limit.
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  bool open_out = true, open_err = true, killed = false;
  char buffer[65536];
  while (open_out || open_err) {
    fds[0].fd = open_out ? out_pipe[0] : -1;
    fds[1].fd = open_err ? err_pipe[0] : -1;
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        (i == 0 ? open_out : open_err) = false;
        continue;
      }
      std::string& sink = i == 0 ? result.out : result.err;
      size_t limit = i == 0 ? max_out + 1 : kMaxErrorBytes;
      size_t take = std::min(static_cast<size_t>(got), limit - std::min(limit, sink.size()));
      sink.append(buffer, take);
      if (i == 0 && sink.size() > max_out && !killed) {
        ::kill(pid, SIGTERM);
        killed = true;
        open_out = false;
        open_err = false;
      }
    }
  }
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (killed) result.exit_status = 0;  // the caller sees the output past its limit
  return result;
}

std::unique_ptr<GitFileSystem> GitFileSystem::open(const std::string& revision, const std::string& model_path,
                                                   std::string& error) {
  auto fs = std::unique_ptr<GitFileSystem>(new GitFileSystem());
  if (revision.empty() || revision[0] == '-' || revision.find_first_of(std::string("\n\r\0", 3)) != std::string::npos) {
    error = "'" + revision + "' is not a revision";
    return nullptr;
  }
  auto cwd = real_path(".");
  if (!cwd) {
    error = "cannot resolve the current directory";
    return nullptr;
  }
  fs->current_directory_ = *cwd;
  const std::string lexical = normalize_absolute(model_path.empty() || model_path[0] != '/'
                                                     ? *cwd + "/" + model_path
                                                     : model_path);
  // The model's directory as it is on disk (symbolic links resolved); the
  // file itself may be missing from the working tree.
  const std::string lexical_directory = directory_of(lexical);
  auto real_directory = real_path(lexical_directory);
  if (!real_directory) {
    error = "cannot read directory '" + directory_of(model_path) + "': " + std::strerror(errno);
    return nullptr;
  }
  const std::string absolute_model = (*real_directory == "/" ? "" : *real_directory) + "/" +
                                     lexical.substr(lexical.rfind('/') + 1);

  // The repository is the one of the current directory, as for git itself.
  GitResult top = run_git(*cwd, {"rev-parse", "--show-toplevel"});
  if (!top.started) {
    error = "cannot run git (is it installed and on PATH?)";
    return nullptr;
  }
  if (top.exit_status != 0) {
    std::string why = first_line(top.err);
    if (why.rfind("fatal: ", 0) == 0) why = why.substr(7);
    error = "the current directory is not inside a git repository" + (why.empty() ? "" : " (git: " + why + ")");
    return nullptr;
  }
  auto root = real_path(trim_newline(top.out));
  if (!root) {
    error = "cannot resolve the git repository root '" + trim_newline(top.out) + "'";
    return nullptr;
  }
  fs->root_ = *root;
  if (!is_under(fs->root_, absolute_model) || absolute_model == fs->root_) {
    error = "'" + model_path + "' is outside the git repository at '" + fs->root_ + "'";
    return nullptr;
  }
  GitResult commit = run_git(fs->root_, {"rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"});
  if (commit.exit_status != 0 || trim_newline(commit.out).empty()) {
    error = "revision '" + revision + "' does not name a commit in the repository at '" + fs->root_ + "'";
    return nullptr;
  }
  fs->commit_ = trim_newline(commit.out);
  fs->label_ = revision + ":";
  fs->shown_path_ = fs->label_ + model_path;
  fs->repository_path_ = absolute_model.substr(fs->root_.size() + (fs->root_ == "/" ? 0 : 1));
  fs->model_directory_ = directory_of(fs->repository_path_);
  fs->lexical_directory_ = lexical_directory;
  fs->real_directory_ = *real_directory;
  // The first lookup tells whether git can read the commit's tree at all.
  fs->entry(fs->repository_path_);
  if (!fs->lookup_error_.empty()) {
    error = "cannot list the files of '" + revision + "': " + fs->lookup_error_;
    return nullptr;
  }
  // The model may be a symbolic link in the commit: one that leaves the
  // model's directory is refused here, with its target, rather than read
  // as a missing model.
  if (auto resolved = fs->resolve(fs->root_ + "/" + fs->repository_path_); resolved && !fs->in_model_directory(*resolved)) {
    const bool inside = is_under(fs->root_, *resolved);
    const std::string target = !inside                  ? *resolved
                               : *resolved == fs->root_ ? "."
                                                        : resolved->substr(fs->root_.size() + (fs->root_ == "/" ? 0 : 1));
    error = "'" + fs->shown_path_ + "' is a symbolic link to '" + target + "', outside " +
            (inside ? "the model's directory; give that path instead" : "the git repository at '" + fs->root_ + "'");
    return nullptr;
  }
  return fs;
}

bool GitFileSystem::in_model_directory(const std::string& absolute) const {
  const std::string directory = model_directory_.empty() ? root_ : root_ + "/" + model_directory_;
  return is_under(directory, absolute) && absolute != root_;
}

std::string GitFileSystem::to_absolute(const std::string& path) const {
  std::string plain = path.rfind(label_, 0) == 0 ? path.substr(label_.size()) : path;
  std::string absolute = normalize_absolute(!plain.empty() && plain[0] == '/' ? plain : current_directory_ + "/" + plain);
  // The model's directory reached through a symbolic link of the working tree.
  if (lexical_directory_ != real_directory_ && is_under(lexical_directory_, absolute)) {
    absolute = real_directory_ + absolute.substr(lexical_directory_.size());
  }
  return absolute;
}

const GitFileSystem::TreeEntry* GitFileSystem::entry(const std::string& path) const {
  auto known = entries_.find(path);
  if (known != entries_.end()) return known->second ? &*known->second : nullptr;
  // One path: ls-tree shows its own entry (a directory's, not its files),
  // "<mode> <type> <object>\t<path>\0", or nothing when there is none.
  GitResult listed = run_git(root_, {"ls-tree", "-z", "--full-tree", commit_, "--", path}, 64u << 10);
  if (!listed.started || listed.exit_status != 0) {
    lookup_error_ = !listed.started      ? "cannot run git"
                    : listed.err.empty() ? "exit status " + std::to_string(listed.exit_status)
                                         : first_line(listed.err);
    return nullptr;  // not remembered: git failed, the path may exist
  }
  std::optional<TreeEntry> found;
  size_t tab = listed.out.find('\t');
  size_t end = listed.out.find('\0');
  size_t first_space = listed.out.find(' ');
  size_t second_space = first_space == std::string::npos ? first_space : listed.out.find(' ', first_space + 1);
  if (tab != std::string::npos && end != std::string::npos && second_space < tab &&
      listed.out.compare(tab + 1, end - tab - 1, path) == 0) {
    found = TreeEntry{listed.out.substr(0, first_space), listed.out.substr(second_space + 1, tab - second_space - 1)};
  }
  const std::optional<TreeEntry>& remembered = entries_.emplace(path, std::move(found)).first->second;
  return remembered ? &*remembered : nullptr;
}

std::optional<std::string> GitFileSystem::resolve(const std::string& absolute) const {
  std::string current = normalize_absolute(absolute);
  for (int hops = 0; hops <= kMaxLinkHops; ++hops) {
    if (!is_under(root_, current) || current == root_) return std::nullopt;
    const std::string relative = current.substr(root_.size() + (root_ == "/" ? 0 : 1));
    // git never looks through a symbolic link, so a path it finds has
    // none on the way; at most the path itself is one.
    std::string link = relative;
    const TreeEntry* found = entry(relative);
    if (found != nullptr && found->mode != "120000") return current;
    if (found == nullptr) {  // a symbolic link on the way, or nothing
      link.clear();
      for (size_t slash = relative.find('/'); slash != std::string::npos && link.empty(); slash = relative.find('/', slash + 1)) {
        const TreeEntry* part = entry(relative.substr(0, slash));
        if (part == nullptr) return std::nullopt;
        if (part->mode == "120000") {
          link = relative.substr(0, slash);
          found = part;
        }
      }
      if (link.empty()) return std::nullopt;
    }
    // Substitute the link's target and start again.
    GitResult target = run_git(root_, {"cat-file", "blob", found->object}, PATH_MAX);
    if (target.exit_status != 0 || target.out.size() > PATH_MAX) return std::nullopt;
    const std::string rest = relative.substr(link.size());
    std::string base = !target.out.empty() && target.out[0] == '/'
                           ? target.out
                           : root_ + "/" + (directory_of(link).empty() ? "" : directory_of(link) + "/") + target.out;
    current = normalize_absolute(base + rest);
    // A link leaving the model's directory: return the path so the
    // loader's confinement check reports it.
    if (!in_model_directory(current)) return current;
  }
  return std::nullopt;
}

std::optional<std::string> GitFileSystem::canonical(const std::string& path) const {
  return resolve(to_absolute(path));
}

std::optional<std::string> GitFileSystem::read(const std::string& path, size_t max_bytes, std::string& error) const {
  lookup_error_.clear();
  auto resolved = canonical(path);
  const TreeEntry* found = nullptr;
  if (resolved && is_under(root_, *resolved) && *resolved != root_) {
    found = entry(resolved->substr(root_.size() + (root_ == "/" ? 0 : 1)));
  }
  if (found == nullptr) {
    error = !lookup_error_.empty() ? "git ls-tree failed: " + lookup_error_ : "No such file in " + label_.substr(0, label_.size() - 1);
    return std::nullopt;
  }
  if (found->mode == "040000") {
    error = "Is a directory";
    return std::nullopt;
  }
  if (found->mode.rfind("100", 0) != 0) {
    error = "Not a regular file";
    return std::nullopt;
  }
  GitResult blob = run_git(root_, {"cat-file", "blob", found->object}, max_bytes);
  if (!blob.started || blob.exit_status != 0) {
    error = "git cat-file failed: " + first_line(blob.err);
    return std::nullopt;
  }
  return std::move(blob.out);
}

bool GitFileSystem::exists() const {
  auto resolved = resolve(root_ + "/" + repository_path_);
  if (!resolved || !is_under(root_, *resolved) || *resolved == root_) return false;
  const TreeEntry* found = entry(resolved->substr(root_.size() + (root_ == "/" ? 0 : 1)));
  return found != nullptr && found->mode.rfind("100", 0) == 0;
}

}  // namespace tmc::load
