// Syntax tree -> typed Model. Reads every key of format version 1 (SPEC
// section 1), checks every rule of the format and resolves references,
// reporting each problem at the offending key or value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "load/loader.h"
#include "model/model.h"

namespace tmc::model {

struct BuildOptions {
  // Control names that count as known in addition to the built-in list
  // (for example those declared by user rule files).
  std::vector<std::string> extra_controls;
  // Ids of every rule the analysis will run. When non-empty, `rules:` and
  // `dismissed:` entries naming another rule are `unknown-rule` errors.
  std::vector<std::string> known_rules;
};

// Builds the model from the documents of one load (root first; included
// documents contribute their list sections). Unknown keys are errors
// (except `x-` extension keys); remaining warnings are errors when the sink
// is strict. Returns nullopt when errors were
// reported; the sink then holds every problem found, in no particular order.
std::optional<Model> build_model(const std::vector<load::Document>& documents,
                                 DiagnosticSink& sink, const BuildOptions& options = {});

}  // namespace tmc::model
