// libFuzzer target over the loader alone: bytes -> syntax tree under the
// default limits. No input may crash, hang, leak or exhaust the stack.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/source.h"
#include "load/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tmc::SourceManager sources;
  uint32_t file =
      sources.add("fuzz.tm.yaml", std::string(reinterpret_cast<const char*>(data), size));
  tmc::DiagnosticSink sink;
  tmc::load::SyntaxTree root =
      tmc::load::parse_document(file, sources, tmc::load::LoadLimits(), sink);
  // A document is returned exactly when no error was reported, except for
  // duplicate keys, which keep the first value.
  if (root && !root->is_mapping()) __builtin_trap();
  // Every node is readable and placed in the file: walk the tree (aliases
  // included, bounded by the alias limit) and read every text byte.
  std::vector<tmc::load::NodePtr> stack;
  if (root) stack.push_back(root.root);
  unsigned sum = 0;
  while (!stack.empty()) {
    tmc::load::NodePtr node = stack.back();
    stack.pop_back();
    if (node->location.line == 0 || node->location.file != file) __builtin_trap();
    for (char c : node->text()) sum += static_cast<unsigned char>(c);
    if (node->is_scalar() && node->child_count() != 0) __builtin_trap();
    for (tmc::load::NodePtr item : node->items()) stack.push_back(item);
    for (const tmc::load::MappingEntry& entry : node->entries()) {
      if (entry.key_location.line == 0 || entry.value == nullptr) __builtin_trap();
      for (char c : entry.key) sum += static_cast<unsigned char>(c);
      stack.push_back(entry.value);
    }
  }
  static volatile unsigned text_sum;
  text_sum = sum;  // keeps the reads
  return 0;
}
