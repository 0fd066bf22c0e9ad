// Reading source syntax trees. Every access of the interchange stage to a
// load::Node goes through these few functions, so a change of the syntax
// tree's representation touches this file pair only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/source.h"
#include "load/syntax_tree.h"

namespace tmc::interchange {

using load::Node;

// The value of `key` when `node` is a mapping that has it, else nullptr.
const Node* field(const Node* node, std::string_view key);
// field() along a path of keys.
const Node* path(const Node* node, std::initializer_list<std::string_view> keys);
// The text of a non-null scalar; "" otherwise.
std::string text(const Node* node);
bool is_mapping(const Node* node);
bool is_sequence(const Node* node);
bool is_scalar(const Node* node);  // a non-null scalar
// A number written as a plain scalar (JSON number, YAML int/float), or a
// quoted string that parses as one; nullopt otherwise.
std::optional<double> number(const Node* node);
// true for a plain `true`, false for anything else.
bool flag(const Node* node);
// The items of a sequence (empty for anything else).
std::vector<const Node*> items(const Node* node);
// The entries of a mapping in file order (empty for anything else).
std::vector<std::pair<std::string, const Node*>> entries(const Node* node);
// Where the node starts; unknown for nullptr.
SourceLocation location(const Node* node);
// Where the key `key` of mapping `node` is written; falls back to the node.
SourceLocation key_location(const Node* node, std::string_view key);

}  // namespace tmc::interchange
