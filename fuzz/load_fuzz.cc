// libFuzzer target over the loader alone: bytes -> syntax tree under the
// default limits. No input may crash, hang, leak or exhaust the stack.
#include <cstddef>
#include <cstdint>
#include <string>

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
  return 0;
}
