// Bytes -> syntax tree. Reads a model file (YAML or JSON) and the files its
// top-level `include:` list names, under hard limits, reporting every
// rejection as a diagnostic.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/source.h"
#include "load/file_system.h"
#include "load/syntax_tree.h"

namespace tmc::load {

struct LoadLimits {
  size_t max_file_bytes = 16u << 20;   // per file, and a model's files together; --max-file-size
  int max_depth = 64;                  // nesting of mappings and sequences
  size_t max_nodes = 20'000'000;       // per file, nodes as written
  size_t max_alias_nodes = 1'000'000;  // per file, nodes reached again through aliases
  size_t max_files = 100;              // the root file plus includes
};

// One loaded file. The root of a valid model file is a mapping.
struct Document {
  uint32_t file = 0;      // id in the SourceManager
  std::string path;       // as shown to users
  NodePtr root = nullptr; // nullptr when the file could not be loaded
  std::shared_ptr<const Arena> arena;  // owns the nodes under `root`
};

// Parses one buffer already in `sources` as file `file`. Reports syntax
// errors, limit violations, invalid UTF-8, a BOM, tabs in indentation and
// duplicate keys. A JSON text's surrogate-pair escapes ("\ud83d\ude00")
// read as the character they encode (load/json_escapes.h), with positions
// still the file's. Returns an empty tree when the file is unusable. Scalar
// text may view the file's buffer in `sources`: keep `sources` alive (and
// the file unchanged) as long as the tree.
SyntaxTree parse_document(uint32_t file, const SourceManager& sources, const LoadLimits& limits,
                          DiagnosticSink& sink);

// Loads `path` and, recursively, the files named by each document's top-level
// `include:` list (resolved relative to the including file, refused when they
// leave the root file's directory tree, including through symlinks; cycles
// are reported). Documents come in load order: the root file first. The
// root file and its includes together hold at most `max_file_bytes`, so that
// includes cannot multiply the input a model may make tmc parse: the first
// include over that budget is refused and no later file is read.
// The `include` entry itself stays in each document's tree.
std::vector<Document> load_model(const std::string& path, const FileSystem& fs,
                                 const LoadLimits& limits, SourceManager& sources,
                                 DiagnosticSink& sink);

}  // namespace tmc::load
