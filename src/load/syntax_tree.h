// The syntax tree of a model file: YAML and JSON both load into it. Every
// node keeps the location of its first character, so every later stage can
// point at the user's text.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/source.h"

namespace tmc::load {

struct Node;
// Nodes are shared because a YAML alias refers to its anchored node instead
// of copying it; the loader bounds the expanded size (see LoadLimits).
using NodePtr = std::shared_ptr<const Node>;

enum class NodeKind { scalar, sequence, mapping };

struct MappingEntry {
  std::string key;              // keys are always scalars
  SourceLocation key_location;
  NodePtr value;
};

struct Node {
  NodeKind kind = NodeKind::scalar;
  SourceLocation location;

  // scalar: the text after YAML/JSON unescaping. `quoted` is true for
  // single/double-quoted and block scalars: they are always strings, while a
  // plain `3` may be a number and a plain `null`, `~` or empty is null.
  std::string text;
  bool quoted = false;

  std::vector<NodePtr> items;          // sequence
  std::vector<MappingEntry> entries;   // mapping, in file order, keys unique

  bool is_scalar() const { return kind == NodeKind::scalar; }
  bool is_sequence() const { return kind == NodeKind::sequence; }
  bool is_mapping() const { return kind == NodeKind::mapping; }
  // A plain scalar spelled null, Null, NULL, ~ or nothing.
  bool is_null() const;
  // The value of `key` in a mapping, or nullptr.
  const MappingEntry* find(std::string_view key) const;
};

// A short English name for diagnostics: "a mapping", "a list", "a string".
const char* describe(const Node& node);

}  // namespace tmc::load
