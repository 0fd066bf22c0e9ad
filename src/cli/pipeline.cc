#include "cli/pipeline.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cli/diagnostic_printer.h"
#include "model/builder.h"

namespace tmc::cli {

std::optional<size_t> parse_size(const std::string& text) {
  if (text.empty()) return std::nullopt;
  size_t factor = 1;
  std::string digits = text;
  char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(text.back())));
  if (unit == 'K' || unit == 'M' || unit == 'G') {
    factor = unit == 'K' ? 1024 : unit == 'M' ? 1024 * 1024 : 1024ull * 1024 * 1024;
    digits.pop_back();
  }
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoull(digits) * factor;
}

bool use_color(const std::string& mode, int fd) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return ::isatty(fd) != 0;
}

void add_model_options(CLI::App& command, ModelOptions& options) {
  command.add_option("MODEL", options.path, "The model file (.tm.yaml, .yaml or .json)")->required();
  command.add_flag("--strict", options.strict, "Treat unknown keys and undeclared crossings as errors");
  command.add_option("--max-file-size", options.max_file_size, "Largest file read, e.g. 16M (default), 512K")
      ->capture_default_str();
  command.add_option("--rules", options.rule_files, "Load extra rules from FILE (repeatable)");
  command.add_option("--today", options.today, "Take this date (YYYY-MM-DD) as today");
  command.add_option("--color", options.color, "Color diagnostics: auto, always or never (NO_COLOR is honored)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command.add_flag("--excerpt", options.excerpt, "Show the source line and a caret under each problem");
}

std::unique_ptr<FrontEnd> load_model_file(const ModelOptions& options) {
  auto front = std::make_unique<FrontEnd>(options.strict);
  load::LoadLimits limits;
  auto size = parse_size(options.max_file_size);
  if (!size) {
    front->sink.error("usage", {}, "--max-file-size takes a size such as 16M, 512K or 1000000");
    return front;
  }
  limits.max_file_bytes = *size;
  auto documents = load::load_model(options.path, load::DiskFileSystem(), limits, front->sources, front->sink);
  if (front->sink.has_errors()) return front;
  front->model = model::build_model(documents, front->sink);
  return front;
}

void print_diagnostics(const FrontEnd& front, const ModelOptions& options) {
  PrintOptions print;
  print.color = use_color(options.color, STDERR_FILENO);
  print.excerpt = options.excerpt || ::isatty(STDERR_FILENO) != 0;
  std::string text = format_diagnostics(front.sink.sorted(), front.sources, print);
  text += summary_line(options.path, front.sink);
  std::fputs(text.c_str(), stderr);
}

}  // namespace tmc::cli
