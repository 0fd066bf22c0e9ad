// Writing outputs: whole files only. A file is written to a temporary name
// in the same directory, flushed and renamed over the target, so a reader
// never sees a partial file and a failure leaves nothing behind.
#pragma once

#include <string>
#include <string_view>

#include "base/diagnostic.h"

namespace tmc::cli {

// The one way tmc prints: `text` made terminal-safe (render::terminal_safe:
// control, C1 and bidi characters and non-UTF-8 bytes become visible
// escapes such as `\x1b` and `\u202e`), written whole, NULs included, to
// stdout or stderr. Write errors are collected by finish_stdout().
void print_out(std::string_view text);
void print_err(std::string_view text);
// For text that is already terminal-safe and carries tmc's own color
// sequences (the diagnostic printer with --color): written as is.
void print_err_colored(std::string_view text);
void print_out_colored(std::string_view text);

// Flushes stdout. Returns false, after a message on stderr, when any write
// to stdout failed (a full disk, a closed pipe, /dev/full).
bool finish_stdout();

// Writes `content` to `path` atomically; "-" writes to stdout (through
// print_out, so it is terminal-safe there). Reports
// `write-error` into `sink` and returns false on failure.
bool write_output(const std::string& path, std::string_view content, DiagnosticSink& sink);

// Creates `directory` (and parents) if needed; reports `write-error`.
bool ensure_directory(const std::string& directory, DiagnosticSink& sink);

}  // namespace tmc::cli
