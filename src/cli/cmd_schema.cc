// tmc schema: the JSON Schema of the model format, for editors.
#include <fmt/format.h>

#include <cstdio>

#include "cli/command.h"
#include "cli/output.h"
#include "model/schema.h"

namespace tmc::cli {

void define_schema(CLI::App& app, int* exit_code) {
  auto output = std::make_shared<std::string>("-");
  CLI::App* command = app.add_subcommand("schema", "Print the JSON Schema of the model file (for editors)");
  command->add_option("-o,--output", *output, "Write to FILE instead of stdout");
  command->footer(
      "Use it for completion and validation as you type, e.g. in VS Code with the YAML extension:\n"
      "  tmc schema -o .vscode/tmc.schema.json\n"
      "  and put '# yaml-language-server: $schema=.vscode/tmc.schema.json' at the top of the model.");
  command->callback([output, exit_code] {
    DiagnosticSink sink;
    *exit_code = write_output(*output, model::model_json_schema(), sink, {}) ? 0 : 2;
    if (sink.has_errors()) print_err(fmt::format("tmc: error: {}\n", sink.diagnostics()[0].message));
  });
}

}  // namespace tmc::cli
