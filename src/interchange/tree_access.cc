#include "interchange/tree_access.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace tmc::interchange {

const Node* field(const Node* node, std::string_view key) {
  if (node == nullptr || !node->is_mapping()) return nullptr;
  const load::MappingEntry* entry = node->find(key);
  return entry == nullptr ? nullptr : entry->value;
}

const Node* path(const Node* node, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) node = field(node, key);
  return node;
}

bool is_mapping(const Node* node) { return node != nullptr && node->is_mapping(); }
bool is_sequence(const Node* node) { return node != nullptr && node->is_sequence(); }
bool is_scalar(const Node* node) { return node != nullptr && node->is_scalar() && !node->is_null(); }

std::string text(const Node* node) { return is_scalar(node) ? std::string(node->text()) : std::string(); }

std::optional<double> number(const Node* node) {
  if (!is_scalar(node)) return std::nullopt;
  const std::string t(node->text());
  if (t.empty() || t.size() > 40) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool flag(const Node* node) { return is_scalar(node) && !node->quoted && node->text() == "true"; }

std::vector<const Node*> items(const Node* node) {
  std::vector<const Node*> out;
  if (!is_sequence(node)) return out;
  out.reserve(node->items().size());
  for (load::NodePtr item : node->items()) out.push_back(item);
  return out;
}

std::vector<std::pair<std::string, const Node*>> entries(const Node* node) {
  std::vector<std::pair<std::string, const Node*>> out;
  if (!is_mapping(node)) return out;
  for (const load::MappingEntry& entry : node->entries()) out.emplace_back(std::string(entry.key), entry.value);
  return out;
}

SourceLocation location(const Node* node) { return node == nullptr ? SourceLocation{} : node->location; }

SourceLocation key_location(const Node* node, std::string_view key) {
  if (!is_mapping(node)) return location(node);
  const load::MappingEntry* entry = node->find(key);
  return entry == nullptr ? node->location : entry->key_location;
}

}  // namespace tmc::interchange
