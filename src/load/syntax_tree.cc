#include "load/syntax_tree.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace tmc::load {

Node Node::scalar(const SourceLocation& location, std::string_view text, bool quoted) {
  Node node;
  node.location = location;
  node.kind = NodeKind::scalar;
  node.quoted = quoted;
  node.size_ = static_cast<uint32_t>(text.size());
  node.data_ = text.data();
  return node;
}

Node Node::sequence(const SourceLocation& location, const Node* items, uint32_t count) {
  Node node;
  node.location = location;
  node.kind = NodeKind::sequence;
  node.size_ = count;
  node.data_ = items;
  return node;
}

Node Node::mapping(const SourceLocation& location, const MappingEntry* entries, uint32_t count) {
  Node node;
  node.location = location;
  node.kind = NodeKind::mapping;
  node.size_ = count;
  node.data_ = entries;
  return node;
}

bool Node::is_null() const {
  if (kind != NodeKind::scalar || quoted) return false;
  std::string_view text = this->text();
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

const MappingEntry* Node::find(std::string_view key) const {
  for (const MappingEntry& entry : entries()) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

void* Arena::allocate(size_t bytes, size_t align) {
  size_t pad = (align - reinterpret_cast<uintptr_t>(next_) % align) % align;
  if (next_ == nullptr || pad + bytes > left_) {
    // Blocks grow to 1 MiB; a larger request gets a block of its own size.
    block_size_ = std::min<size_t>(block_size_ * 2, 1u << 20);
    size_t size = std::max(block_size_, bytes);
    blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(size));
    next_ = blocks_.back().get();  // new[] memory is aligned for any type
    left_ = size;
    pad = 0;
  }
  void* out = next_ + pad;
  next_ += pad + bytes;
  left_ -= pad + bytes;
  used_ += pad + bytes;
  return out;
}

void Arena::Free::operator()(void* block) const { std::free(block); }

void Arena::adopt(void* block) {
  try {
    adopted_.emplace_back(block);
  } catch (...) {
    std::free(block);
    throw;
  }
}

std::string_view Arena::copy(std::string_view text) {
  if (text.empty()) return {};
  char* out = static_cast<char*>(allocate(text.size(), 1));
  std::memcpy(out, text.data(), text.size());
  return {out, text.size()};
}

const char* describe(const Node& node) {
  switch (node.kind) {
    case NodeKind::mapping: return "a mapping";
    case NodeKind::sequence: return "a list";
    case NodeKind::scalar: return node.is_null() ? "null" : "a scalar";
  }
  return "a value";
}

}  // namespace tmc::load
