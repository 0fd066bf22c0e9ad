// libFuzzer target over the rule-file parser and compiler (--rules FILE):
// a rule file from a pull request is as untrusted as a model.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analyze/rule_language.h"
#include "base/diagnostic.h"
#include "base/source.h"
#include "load/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tmc::SourceManager sources;
  uint32_t file = sources.add("fuzz.rules.yaml", std::string(reinterpret_cast<const char*>(data), size));
  tmc::DiagnosticSink sink;
  tmc::load::LoadLimits limits;
  limits.max_alias_nodes = 100'000;
  tmc::load::SyntaxTree root = tmc::load::parse_document(file, sources, limits, sink);
  if (!root) return 0;
  auto rules = tmc::analyze::compile_rules(*root, "fuzz.rules.yaml", sink);
  for (const auto& rule : rules) (void)tmc::analyze::describe(rule.when);
  return 0;
}
