// The syntax tree of a model file: YAML and JSON both load into it. Every
// node keeps the location of its first character, so every later stage can
// point at the user's text.
//
// Storage: the nodes of one file live in an Arena owned by its parse result
// (SyntaxTree, Document): no allocation per node. Scalar text is a view
// into the file's buffer (held by the SourceManager) when it is spelled
// exactly as in the file, else a copy in the arena. Children are arrays in
// the arena. A YAML alias refers to its anchored node instead of copying
// it; the loader bounds the expanded size (see LoadLimits).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "base/source.h"

namespace tmc::load {

struct Node;
// A non-owning pointer to a node; the node lives as long as its arena.
using NodePtr = const Node*;

enum class NodeKind : uint8_t { scalar, sequence, mapping };

struct MappingEntry {
  std::string_view key;         // keys are always scalars
  SourceLocation key_location;
  NodePtr value = nullptr;
};

struct Node {
  NodeKind kind = NodeKind::scalar;
  // Scalars: true for single/double-quoted and block scalars: they are
  // always strings, while a plain `3` may be a number and a plain `null`,
  // `~` or empty is null.
  bool quoted = false;
  uint32_t child_count = 0;  // sequence items or mapping entries
  SourceLocation location;
  // scalar: the text after YAML/JSON unescaping.
  std::string_view text;
  const void* children = nullptr;  // NodePtr[] or MappingEntry[], in the arena

  bool is_scalar() const { return kind == NodeKind::scalar; }
  bool is_sequence() const { return kind == NodeKind::sequence; }
  bool is_mapping() const { return kind == NodeKind::mapping; }
  // A sequence's items (empty for other kinds).
  std::span<const NodePtr> items() const {
    if (kind != NodeKind::sequence) return {};
    return {static_cast<const NodePtr*>(children), child_count};
  }
  // A mapping's entries, in file order, keys unique (empty for other kinds).
  std::span<const MappingEntry> entries() const {
    if (kind != NodeKind::mapping) return {};
    return {static_cast<const MappingEntry*>(children), child_count};
  }
  // A plain scalar spelled null, Null, NULL, ~ or nothing.
  bool is_null() const;
  // The value of `key` in a mapping, or nullptr.
  const MappingEntry* find(std::string_view key) const;
};

// Bump allocation for the nodes, child arrays and unescaped text of one
// file; everything is freed at once with the arena. Not thread-safe.
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // `bytes` bytes aligned to `align` (a power of two); never null.
  void* allocate(size_t bytes, size_t align = alignof(std::max_align_t));
  // A copy of `text` in the arena.
  std::string_view copy(std::string_view text);
  // Bytes handed out, for tests and benchmarks.
  size_t used() const { return used_; }

 private:
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* next_ = nullptr;
  size_t left_ = 0;
  size_t used_ = 0;
  size_t block_size_ = 16 * 1024;
};

// The result of parsing one file: its root (a mapping) and the arena its
// nodes live in. False when the file could not be loaded.
struct SyntaxTree {
  NodePtr root = nullptr;
  std::shared_ptr<const Arena> arena;

  explicit operator bool() const { return root != nullptr; }
  const Node* operator->() const { return root; }
  const Node& operator*() const { return *root; }
};

// A short English name for diagnostics: "a mapping", "a list", "a string".
const char* describe(const Node& node);

}  // namespace tmc::load
