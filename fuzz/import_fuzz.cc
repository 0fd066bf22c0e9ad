// libFuzzer target over tmc import: bytes -> detected format (Threat
// Dragon, OTM or CSV) -> YAML -> typed model, and the first byte also picks
// a forced format. The YAML an import writes must always build. No input
// may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/diagnostic.h"
#include "base/source.h"
#include "interchange/interchange.h"
#include "load/loader.h"
#include "model/builder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  tmc::interchange::ImportOptions options;
  options.limits.max_nodes = 100'000;
  switch (data[0] % 4) {
    case 1: options.format = tmc::interchange::SourceFormat::threat_dragon; break;
    case 2: options.format = tmc::interchange::SourceFormat::otm; break;
    case 3: options.format = tmc::interchange::SourceFormat::csv; break;
    default: break;
  }
  tmc::SourceManager sources;
  uint32_t file = sources.add("fuzz.json", std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  tmc::DiagnosticSink sink;
  auto yaml = tmc::interchange::import_model(file, sources, options, sink);
  if (!yaml) return 0;
  uint32_t written = sources.add("imported.tm.yaml", *yaml);
  tmc::DiagnosticSink check;
  tmc::load::LoadLimits limits;
  limits.max_file_bytes = yaml->size() + 1;
  auto root = tmc::load::parse_document(written, sources, limits, check);
  if (!root) std::abort();  // import wrote YAML that does not parse
  std::vector<tmc::load::Document> documents{{written, "imported.tm.yaml", root.root, root.arena}};
  // What import writes must build: the CLI checks it before writing, and a
  // failure there is a bug in the importer.
  if (!tmc::model::build_model(documents, check)) std::abort();
  return 0;
}
