// Writing outputs: whole files only. A file is written to a temporary name
// in the same directory, flushed and renamed over the target, so a reader
// never sees a partial file and a failure leaves nothing behind.
#pragma once

#include <string>
#include <string_view>

#include "base/diagnostic.h"

namespace tmc::cli {

// Writes `content` to `path` atomically; "-" writes to stdout. Reports
// `write-error` into `sink` and returns false on failure.
bool write_output(const std::string& path, std::string_view content, DiagnosticSink& sink);

// Creates `directory` (and parents) if needed; reports `write-error`.
bool ensure_directory(const std::string& directory, DiagnosticSink& sink);

}  // namespace tmc::cli
