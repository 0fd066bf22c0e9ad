// load_model(): the root file and its includes, confined to the root
// file's directory tree.
#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>

#include "load/loader.h"

namespace tmc::load {

namespace {

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string join(const std::string& directory, const std::string& name) {
  if (directory.empty()) return name;
  if (directory.back() == '/') return directory + name;
  return directory + "/" + name;
}

// `directory/name` with "." segments and "x/.." pairs removed, for display:
// "m/./parts/../a.yaml" is shown as "m/a.yaml". Leading ".." stay.
std::string tidy_join(const std::string& directory, const std::string& name) {
  const std::string joined = join(directory, name);
  const bool absolute = !joined.empty() && joined[0] == '/';
  std::vector<std::string> parts;
  for (size_t start = 0; start <= joined.size();) {
    size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    std::string part = joined.substr(start, end - start);
    if (part == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(std::move(part));
    }
    start = end + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i > 0 ? "/" : "") + parts[i];
  return out.empty() ? joined : out;
}

// Lexical check: does `relative` climb above its starting directory?
bool climbs_out(const std::string& base_depth_path, const std::string& relative) {
  // Depth of the including directory below the root directory, then walk.
  long depth = 0;
  for (size_t start = 0; start <= base_depth_path.size();) {
    size_t end = base_depth_path.find('/', start);
    if (end == std::string::npos) end = base_depth_path.size();
    std::string part = base_depth_path.substr(start, end - start);
    if (!part.empty() && part != ".") ++depth;
    start = end + 1;
  }
  for (size_t start = 0; start <= relative.size();) {
    size_t end = relative.find('/', start);
    if (end == std::string::npos) end = relative.size();
    std::string part = relative.substr(start, end - start);
    if (part == "..") {
      if (--depth < 0) return true;
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    start = end + 1;
  }
  return false;
}

bool is_inside(const std::string& directory, const std::string& path) {
  if (directory == "/") return true;
  return path.size() > directory.size() && path.compare(0, directory.size(), directory) == 0 &&
         path[directory.size()] == '/';
}

struct PendingFile {
  std::string shown_path;   // as users see it
  std::string real_path;    // canonical
  SourceLocation included_at;
};

}  // namespace

std::vector<Document> load_model(const std::string& path, const FileSystem& fs,
                                 const LoadLimits& limits, SourceManager& sources,
                                 DiagnosticSink& sink) {
  std::vector<Document> documents;
  auto root_real = fs.canonical(path);
  std::string error;
  std::optional<std::string> text;
  if (root_real) text = fs.read(*root_real, limits.max_file_bytes, error);
  if (!root_real || !text) {
    if (!root_real) {
      fs.read(path, 0, error);
      if (error.empty()) error = "No such file or directory";
    }
    sink.error("read-error", {}, fmt::format("cannot read '{}': {}", path, error));
    return documents;
  }
  const std::string root_directory = directory_of(*root_real);

  std::vector<PendingFile> queue{{path, *root_real, {}}};
  std::set<std::string> seen{*root_real};
  size_t total_bytes = 0;  // of the files read so far
  for (size_t next = 0; next < queue.size(); ++next) {
    PendingFile pending = queue[next];
    if (next > 0) {
      error.clear();
      text = fs.read(pending.real_path, limits.max_file_bytes, error);
      if (!text) {
        sink.error("include-not-found", pending.included_at,
                   fmt::format("cannot read included file '{}': {}", pending.shown_path, error));
        continue;
      }
      if (total_bytes + text->size() > limits.max_file_bytes) {  // sizes of files held in memory: no overflow
        // A file is read up to one byte past the limit: past it, its size is not known.
        std::string size = text->size() > limits.max_file_bytes ? fmt::format("more than {}", limits.max_file_bytes)
                                                                : std::to_string(text->size());
        sink.error("model-too-large", pending.included_at,
                   fmt::format("this include is not read: with its {} bytes the model's files would hold more "
                               "than {} bytes together, the limit for a model and its includes (change it with "
                               "--max-file-size); no include after it is read either",
                               size, limits.max_file_bytes));
        break;
      }
    }
    total_bytes += text->size();
    uint32_t file = sources.add(pending.shown_path, std::move(*text));
    SyntaxTree tree = parse_document(file, sources, limits, sink);
    NodePtr root = tree.root;
    documents.push_back({file, pending.shown_path, root, std::move(tree.arena)});
    if (!root) continue;

    const MappingEntry* include = root->find("include");
    if (include == nullptr) continue;
    std::vector<NodePtr> names;
    if (include->value->is_sequence()) {
      names.assign(include->value->items().begin(), include->value->items().end());
    } else if (include->value->is_scalar() && !include->value->is_null()) {
      names.push_back(include->value);
    } else {
      sink.error("include-shape", include->value->location,
                 "'include' takes a list of file names");
      continue;
    }
    const std::string including_real_dir = directory_of(pending.real_path);
    const std::string relative_dir =
        including_real_dir.size() > root_directory.size()
            ? including_real_dir.substr(root_directory.size() + 1)
            : std::string();
    for (const NodePtr& name : names) {
      if (!name->is_scalar() || name->text().empty()) {
        sink.error("include-shape", name->location, "an include entry must be a file name");
        continue;
      }
      const std::string entry(name->text());
      if (entry.find('\0') != std::string::npos) {  // the file system would see a shorter name
        sink.error("include-shape", name->location, "an include entry must be a file name; this one holds a NUL character");
        continue;
      }
      if (entry[0] == '/' || climbs_out(relative_dir, entry)) {
        sink.error("include-outside", name->location,
                   fmt::format("include '{}' leaves the model's directory; included files "
                               "must live under '{}'",
                               entry, directory_of(path).empty() ? "." : directory_of(path)));
        continue;
      }
      std::string shown = tidy_join(directory_of(pending.shown_path), entry);
      auto real = fs.canonical(join(including_real_dir, entry));
      if (!real) {
        std::string why;
        fs.read(join(including_real_dir, entry), 0, why);
        sink.error("include-not-found", name->location,
                   fmt::format("cannot read included file '{}': {}", shown,
                               why.empty() ? "No such file or directory" : why));
        continue;
      }
      if (!is_inside(root_directory, *real)) {
        std::string why;
        fs.read(*real, 0, why);
        if (*real == root_directory || why == "Is a directory") {  // include: ['.'] is no symbolic link
          sink.error("include-not-found", name->location,
                     fmt::format("include '{}' is a directory ('{}'), not a file; list the files to include", entry, shown));
          continue;
        }
        sink.error("include-outside", name->location,
                   fmt::format("include '{}' resolves (through a symbolic link) to '{}', "
                               "outside the model's directory",
                               entry, *real));
        continue;
      }
      if (!seen.insert(*real).second) {
        sink.error("include-cycle", name->location,
                   fmt::format("'{}' is already part of the model (included twice or in a "
                               "cycle)",
                               shown));
        continue;
      }
      if (queue.size() >= limits.max_files) {
        sink.error("too-many-files", name->location,
                   fmt::format("a model may span at most {} files", limits.max_files));
        continue;
      }
      queue.push_back({shown, *real, name->location});
    }
  }
  return documents;
}

}  // namespace tmc::load
