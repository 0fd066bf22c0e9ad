// The syntax tree of a model file: YAML and JSON both load into it. Every
// node keeps the location of its first character, so every later stage can
// point at the user's text.
//
// Storage: the nodes of one file live in an Arena owned by its parse result
// (SyntaxTree, Document): no allocation per node. A node is 32 bytes.
// Scalar text is a view into the file's buffer (held by the SourceManager)
// when it is spelled exactly as in the file, else a copy in the arena. A
// sequence's items are stored by value, contiguously (no pointer per
// item); a mapping's entries point at their values. A YAML alias is a copy
// of its anchored node sharing the anchored node's children; the loader
// bounds the expanded size (see LoadLimits).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
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

// A sequence's items: iterating (or indexing) yields a pointer to each item.
class NodeItems {
 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using iterator_concept = std::random_access_iterator_tag;
    using value_type = NodePtr;
    using reference = NodePtr;
    using pointer = void;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(NodePtr at) : at_(at) {}
    NodePtr operator*() const { return at_; }
    iterator& operator++();
    iterator operator++(int);
    difference_type operator-(const iterator& other) const;
    friend bool operator==(const iterator&, const iterator&) = default;

   private:
    NodePtr at_ = nullptr;
  };

  NodeItems() = default;
  NodeItems(NodePtr first, size_t count) : first_(first), count_(count) {}
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  NodePtr operator[](size_t i) const;
  iterator begin() const { return iterator(first_); }
  iterator end() const;

 private:
  NodePtr first_ = nullptr;
  size_t count_ = 0;
};

struct Node {
  SourceLocation location;
  NodeKind kind = NodeKind::scalar;
  // Scalars: true for single/double-quoted and block scalars: they are
  // always strings, while a plain `3` may be a number and a plain `null`,
  // `~` or empty is null.
  bool quoted = false;

  // A scalar viewing `text` (which must outlive the node).
  static Node scalar(const SourceLocation& location, std::string_view text, bool quoted = false);
  // A sequence of `count` items stored at `items`, or a mapping of `count`
  // entries at `entries` (both must outlive the node).
  static Node sequence(const SourceLocation& location, const Node* items, uint32_t count);
  static Node mapping(const SourceLocation& location, const MappingEntry* entries, uint32_t count);

  bool is_scalar() const { return kind == NodeKind::scalar; }
  bool is_sequence() const { return kind == NodeKind::sequence; }
  bool is_mapping() const { return kind == NodeKind::mapping; }
  // A scalar's text after YAML/JSON unescaping (empty for other kinds).
  std::string_view text() const {
    if (kind != NodeKind::scalar) return {};
    return {static_cast<const char*>(data_), size_};
  }
  // Sequence items or mapping entries (0 for scalars).
  uint32_t child_count() const { return kind == NodeKind::scalar ? 0 : size_; }
  // A sequence's items (empty for other kinds).
  NodeItems items() const {
    if (kind != NodeKind::sequence) return {};
    return {static_cast<const Node*>(data_), size_};
  }
  // A mapping's entries, in file order, keys unique (empty for other kinds).
  std::span<const MappingEntry> entries() const {
    if (kind != NodeKind::mapping) return {};
    return {static_cast<const MappingEntry*>(data_), size_};
  }
  // A plain scalar spelled null, Null, NULL, ~ or nothing.
  bool is_null() const;
  // The value of `key` in a mapping, or nullptr.
  const MappingEntry* find(std::string_view key) const;

 private:
  uint32_t size_ = 0;             // scalar: text bytes; else child count
  const void* data_ = nullptr;    // text, Node[] or MappingEntry[]
};

static_assert(sizeof(Node) <= 32, "a node costs 32 bytes: files of millions of values depend on it");

inline NodeItems::iterator& NodeItems::iterator::operator++() {
  ++at_;
  return *this;
}
inline NodeItems::iterator NodeItems::iterator::operator++(int) {
  iterator old = *this;
  ++at_;
  return old;
}
inline std::ptrdiff_t NodeItems::iterator::operator-(const iterator& other) const { return at_ - other.at_; }
inline NodePtr NodeItems::operator[](size_t i) const { return first_ + i; }
inline NodeItems::iterator NodeItems::end() const { return iterator(first_ + count_); }

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
  // Takes ownership of `block`, from std::malloc: freed with the arena (at
  // once if this throws).
  void adopt(void* block);
  // Bytes handed out, for tests and benchmarks.
  size_t used() const { return used_; }

 private:
  struct Free {
    void operator()(void* block) const;
  };
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::vector<std::unique_ptr<void, Free>> adopted_;
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
