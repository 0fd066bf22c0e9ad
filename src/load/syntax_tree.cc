#include "load/syntax_tree.h"

namespace tmc::load {

bool Node::is_null() const {
  if (kind != NodeKind::scalar || quoted) return false;
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

const MappingEntry* Node::find(std::string_view key) const {
  for (const MappingEntry& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
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
