// tmc import and tmc export: other tools' formats in and out (the
// interchange stage). Import checks what it wrote through the normal
// pipeline before writing it; both write atomically and nothing on error.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "analyze/analyze.h"
#include "cli/command.h"
#include "cli/diagnostic_printer.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "interchange/interchange.h"
#include "load/file_system.h"
#include "model/builder.h"

namespace tmc::cli {

namespace {

struct ImportCommandOptions {
  std::string input;
  std::string output = "-";
  std::string from;
  std::string into;
  std::string max_file_size = "16M";
  std::string color = "auto";
};

struct ExportCommandOptions {
  ModelOptions model;
  std::string output = "-";
  std::string format;
  bool with_findings = false;
};

void print(const DiagnosticSink& sink, const SourceManager& sources, const std::string& color, const std::string& path) {
  PrintOptions options;
  options.color = use_color(color, STDERR_FILENO);
  std::string text = format_diagnostics(sink.sorted(), sources, options);
  text += summary_line(path, sink);
  print_err(text, options.color ? Colors::kept : Colors::escaped);
}

uint32_t file_id(const SourceManager& sources, const std::string& path) {
  for (uint32_t id = 1; id <= sources.file_count(); ++id) {
    if (sources.path(id) == path) return id;
  }
  return 0;
}

void run_import(const ImportCommandOptions& options, int* exit_code) {
  *exit_code = 2;
  interchange::ImportOptions import;
  if (!options.from.empty()) import.format = interchange::parse_source_format(options.from);
  auto size = parse_size(options.max_file_size);
  if (!size) {
    print_err("tmc import: error: --max-file-size takes a size such as 16M, 512K or 1000000\n");
    return;
  }
  import.limits.max_file_bytes = *size;
  // With --into, the model merged into is loaded and checked first; its
  // sources and sink then hold everything of this run.
  std::unique_ptr<FrontEnd> front;
  if (!options.into.empty()) {
    ModelOptions into;
    into.path = options.into;
    into.max_file_size = options.max_file_size;
    front = load_model_file(into);
    if (!front->model || front->exit_code() == 2) {
      print(front->sink, front->sources, options.color, options.into);
      return;
    }
    import.into = &*front->model;
    uint32_t id = file_id(front->sources, options.into);
    if (id != 0) {
      load::LoadLimits limits = import.limits;
      DiagnosticSink quiet;
      if (auto root = load::parse_document(id, front->sources, limits, quiet)) import.into_source_ids = interchange::read_source_ids(*root);
    }
  } else {
    front = std::make_unique<FrontEnd>(false);
  }
  SourceManager& sources = front->sources;
  DiagnosticSink sink;
  load::DiskFileSystem disk;
  std::string error;
  auto contents = disk.read(options.input, import.limits.max_file_bytes, error);
  if (!contents) {
    print_err(fmt::format("tmc import: error: cannot read '{}': {}\n", options.input, error));
    return;
  }
  uint32_t file = sources.add(options.input, std::move(*contents));
  // What -o must not overwrite: the imported file, and the files of the
  // model merged into (its includes, say) but the model itself: `import X
  // --into M -o M` is the documented way to update M.
  std::vector<std::string> inputs;
  for (const std::string& input : front->input_files()) {
    if (input != options.into) inputs.push_back(input);
  }
  auto yaml = interchange::import_model(file, sources, import, sink);
  if (!yaml) {
    print(sink, sources, options.color, options.input);
    return;
  }
  // The imported model goes through the normal pipeline before it is
  // written. Its text moves into `sources` (one copy), and its syntax tree
  // is freed once the model is built (the model holds its own strings).
  std::string shown = options.output == "-" ? "<imported model>" : options.output;
  uint32_t model_file = sources.add(shown, std::move(*yaml));
  const std::string& written = sources.contents(model_file);
  DiagnosticSink check;
  std::optional<model::Model> built;
  {
    load::LoadLimits limits;
    limits.max_file_bytes = std::max<size_t>(limits.max_file_bytes, written.size() + 1);
    limits.max_nodes = std::max(limits.max_nodes, written.size());  // a node takes a byte at least
    auto root = load::parse_document(model_file, sources, limits, check);
    if (root) built = model::build_model({{model_file, shown, root.root, root.arena}}, check);
  }
  if (built) {
    // Only its errors count here: nothing a report shows is computed
    // (like `tmc check`), so the check costs what a check costs.
    analyze::RuleLibrary rules = analyze::RuleLibrary::builtin(sources, check);
    analyze::AnalyzeOptions analyze_options;
    analyze_options.today = today_utc();
    analyze_options.coverage = false;
    analyze_options.fingerprints = false;
    analyze_options.raises = false;
    analyze_options.fact_notes = false;
    analyze::analyze(*built, rules, analyze_options, check);
  }
  for (const Diagnostic& d : sink.diagnostics()) check.report(d);
  if (check.has_errors()) {
    print(check, sources, options.color, options.input);
    print_err("tmc import: error: the imported model does not pass tmc check; nothing was written "
              "(this is a bug in tmc import: please report it with the input file)\n");
    return;
  }
  DiagnosticSink write_sink;
  if (!write_output(options.output, written, write_sink, inputs)) {
    print_err(fmt::format("tmc: error: {}\n", write_sink.diagnostics()[0].message));
    return;
  }
  // Only the import's own warnings are shown; 'tmc check' tells the rest.
  if (sink.warning_count() > 0) print(sink, sources, options.color, options.input);
  print_err(fmt::format("imported {} element(s), {} flow(s), {} boundar{}, {} asset(s) and {} threat(s) into {}\n",
                        built->elements.size(), built->flows.size(), built->boundaries.size(),
                        built->boundaries.size() == 1 ? "y" : "ies", built->assets.size(), built->threats.size(),
                        options.output == "-" ? std::string("standard output") : options.output));
  *exit_code = 0;
}

void run_export(const ExportCommandOptions& options, int* exit_code) {
  *exit_code = 2;
  std::string format = options.format;
  auto ends_with = [&](const char* suffix) {
    std::string s = suffix;
    return options.output.size() >= s.size() && options.output.compare(options.output.size() - s.size(), s.size(), s) == 0;
  };
  if (format.empty()) {
    if (ends_with(".otm.json") || ends_with(".otm")) {
      format = "otm";
    } else if (ends_with(".json")) {
      format = "threat-dragon";
    } else {
      print_err("tmc export: error: give --format threat-dragon or --format otm (or -o NAME.json / NAME.otm.json)\n");
      return;
    }
  }
  auto front = load_model_file(options.model);
  if (!front->analysis || front->exit_code() == 2) {
    print_diagnostics(*front, options.model);
    return;
  }
  interchange::ExportOptions exported;
  if (options.with_findings) exported.findings = &*front->analysis;
  if (uint32_t id = file_id(front->sources, options.model.path)) {
    DiagnosticSink quiet;
    if (auto root = load::parse_document(id, front->sources, load::LoadLimits{}, quiet)) exported.source_ids = interchange::read_source_ids(*root);
  }
  std::string text = format == "otm" ? interchange::export_otm(*front->model, exported)
                                     : interchange::export_threat_dragon(*front->model, exported);
  DiagnosticSink sink;
  if (!write_output(options.output, text, sink, front->input_files())) {
    print_err(fmt::format("tmc: error: {}\n", sink.diagnostics()[0].message));
    return;
  }
  *exit_code = 0;
}

}  // namespace

void define_import(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ImportCommandOptions>();
  CLI::App* command = app.add_subcommand("import", "Import a Threat Dragon model, an OTM file or a CSV threat register");
  command->add_option("FILE", options->input, "The file to import (.json, .yaml, .csv)")->required();
  command->add_option("-o,--output", options->output, "Write the model to FILE ('-' = stdout); written atomically");
  command->add_option("--from", options->from, "The source format: threat-dragon, otm or csv (default: detected from the content)")
      ->check(CLI::IsMember({"threat-dragon", "otm", "csv"}));
  command->add_option("--into", options->into, "CSV only: merge the register into this model (rows whose id is a threat of it update that threat)");
  command->add_option("--max-file-size", options->max_file_size, "Largest file read, e.g. 16M (default), 512K")->capture_default_str();
  command->add_option("--color", options->color, "Color diagnostics: auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  command->footer(
      "Writes the model a person would write: readable ids from names, the source's ids under x-source-ids,\n"
      "and one warning per kind of source field that has no place in tmc's format. The result is checked\n"
      "like 'tmc check' before it is written. docs/interchange.md has the field-by-field mapping.\n\n"
      "Examples:\n"
      "  tmc import demo-threat-model.json -o demo.tm.yaml            # OWASP Threat Dragon v1/v2\n"
      "  tmc import architecture.otm.yaml -o app.tm.yaml              # Open Threat Model 0.2.0\n"
      "  tmc import register.csv --into threat-model.tm.yaml -o threat-model.tm.yaml\n\n"
      "Exit codes: 0 written, 2 unreadable or invalid input (reported at file:line:col; nothing is written).");
  command->callback([options, exit_code] { run_import(*options, exit_code); });
}

void define_export(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ExportCommandOptions>();
  CLI::App* command = app.add_subcommand("export", "Export a model as an OWASP Threat Dragon v2 or OTM 0.2.0 file");
  add_model_options(*command, options->model);
  command->add_option("-o,--output", options->output, "Write to FILE ('-' = stdout); written atomically");
  command->add_option("--format", options->format, "threat-dragon or otm (default: from -o: NAME.otm.json is OTM, NAME.json Threat Dragon)")
      ->check(CLI::IsMember({"threat-dragon", "otm"}));
  command->add_flag("--with-findings", options->with_findings, "Also write the open rule findings as threats");
  command->footer(
      "Threat Dragon: one diagram, elements on a grid laid out from the zones (no overlaps), each boundary a\n"
      "box around its members. What the other format has no field for travels in 'tmc' objects, so\n"
      "'tmc import' of an export gives the model back. docs/interchange.md lists what each tool keeps.\n\n"
      "Examples:\n"
      "  tmc export threat-model.tm.yaml -o threat-model.json               # open it in Threat Dragon\n"
      "  tmc export threat-model.tm.yaml --format otm -o threat-model.otm.json\n"
      "  tmc export --with-findings threat-model.tm.yaml -o review.json\n\n"
      "Exit codes: 0 written (done or not), 2 invalid model, bad usage or I/O error.");
  command->callback([options, exit_code] { run_export(*options, exit_code); });
}

}  // namespace tmc::cli
