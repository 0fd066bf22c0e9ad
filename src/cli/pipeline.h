// The pipeline every model-reading command runs: load -> model (and, for
// the commands that need it, analyze). Stops between stages when a stage
// reported errors.
#pragma once

#include <memory>
#include <optional>

#include "base/diagnostic.h"
#include "base/source.h"
#include "cli/command.h"
#include "model/model.h"

namespace tmc::cli {

struct FrontEnd {
  SourceManager sources;
  DiagnosticSink sink;
  std::optional<model::Model> model;  // set when the model is valid
  explicit FrontEnd(bool strict) : sink(strict) {}
};

// Loads and builds the model named by `options`. Usage problems (a bad
// --max-file-size) are diagnostics too.
std::unique_ptr<FrontEnd> load_model_file(const ModelOptions& options);

// Prints the diagnostics of `front` to stderr in file order, compiler
// style, followed by a summary line when there are any.
void print_diagnostics(const FrontEnd& front, const ModelOptions& options);

}  // namespace tmc::cli
