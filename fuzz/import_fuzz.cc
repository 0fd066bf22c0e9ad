// libFuzzer target over tmc import: bytes -> detected format (Threat
// Dragon, OTM or CSV) -> YAML -> typed model, and the first byte also picks
// a forced format. The YAML an import writes must always build, and text
// must stay text (issue 22): the model read back from it, written again,
// is the same YAML, so no string changed or became structure on the way,
// and the YAML holds no byte a terminal would act on. No input may crash,
// hang or leak.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <algorithm>
#include <string>

#include "base/diagnostic.h"
#include "base/source.h"
#include "interchange/draft.h"
#include "interchange/interchange.h"
#include "interchange/tree_access.h"
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
  auto built = tmc::model::build_model(documents, check);
  if (!built) std::abort();
  // Written again from what was read back (the same function as
  // tests/interchange/text_stays_text_test.cc's written_again()).
  tmc::interchange::Draft again;
  again.model = std::move(*built);
  again.source_ids = tmc::interchange::read_source_ids(*root.root);
  for (const auto& [id, at] : tmc::interchange::entries(tmc::interchange::field(root.root, "x-layout"))) {
    auto xy = tmc::interchange::items(at);
    if (xy.size() == 2) {
      again.positions[id] = {tmc::interchange::number(xy[0]).value_or(0), tmc::interchange::number(xy[1]).value_or(0)};
    }
  }
  for (size_t start = 0; yaml->compare(start, 2, "# ") == 0 || yaml->compare(start, 2, "#\n") == 0;) {
    size_t end = yaml->find('\n', start);
    size_t skip = std::min<size_t>(2, end - start);
    again.header.push_back(yaml->substr(start + skip, end - start - skip));
    start = end + 1;
  }
  if (tmc::interchange::write_yaml(again) != *yaml) std::abort();  // a string changed on the way back
  for (char c : *yaml) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\n') || byte == 0x7F) std::abort();  // a control character written raw
  }
  return 0;
}
