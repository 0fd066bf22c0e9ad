// libFuzzer target over the whole front end: bytes -> syntax tree -> typed
// model. No input may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/diagnostic.h"
#include "base/source.h"
#include "load/loader.h"
#include "model/builder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tmc::SourceManager sources;
  uint32_t file = sources.add("fuzz.tm.yaml", std::string(reinterpret_cast<const char*>(data), size));
  tmc::DiagnosticSink sink;
  tmc::load::LoadLimits limits;
  limits.max_nodes = 100'000;
  tmc::load::SyntaxTree root = tmc::load::parse_document(file, sources, limits, sink);
  if (!root) return 0;
  std::vector<tmc::load::Document> documents{{file, "fuzz.tm.yaml", root.root, root.arena}};
  (void)tmc::model::build_model(documents, sink);
  return 0;
}
