// Writing outputs: whole files only. A file is written to a temporary name
// in the same directory, flushed and renamed over the target, so a reader
// never sees a partial file and a failure leaves nothing behind.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "render/sink.h"

namespace tmc::cli {

// Whether printed text holds tmc's own color sequences.
enum class Colors {
  escaped,  // none: every control character is shown as an escape
  kept,     // SGR color sequences (ESC [ ... m) pass, nothing else does
};

// The one way tmc prints: `text` made terminal-safe (render::terminal_safe:
// control, C1 and bidi characters and non-UTF-8 bytes become visible
// escapes such as `\x1b` and `\u202e`; with Colors::kept,
// render::terminal_safe_colored, which lets SGR color sequences through),
// written whole, NULs included, to stdout or stderr. Nothing else in tmc
// writes to stdout or stderr, and there is no raw variant: model text, file
// names and messages all pass here (tests/scripts/hardening3.sh checks the
// sources for any other printing call). Write errors on stdout are
// collected by finish_stdout().
void print_out(std::string_view text, Colors colors = Colors::escaped);
void print_err(std::string_view text, Colors colors = Colors::escaped);

// Flushes stdout. Returns false, after a message on stderr, when any write
// to stdout failed (a full disk, a closed pipe, /dev/full).
bool finish_stdout();

// Writes `content` to `path` atomically; "-" writes to stdout (through
// print_out, so it is terminal-safe there). Reports `write-error` into
// `sink` and returns false on failure. Also:
//  - refuses to write over any of `inputs`, compared by device and inode,
//    so hard links and other spellings of the same file are caught too.
//    `inputs` are the files the run read (FrontEnd::input_files(): the
//    model, its includes, --rules and --baseline files; an import's source
//    file). This is the one check for every command, and `inputs` has no
//    default so that no command can forget it: a command that reads no
//    file passes {};
//  - a symbolic link at `path` is written through: its target is replaced
//    atomically and the link stays (a dangling link is refused);
//  - an existing file keeps its permission bits; a new file gets 0666
//    minus the umask;
//  - stale temporary files of an earlier killed run for the same output
//    (`.NAME.tmc-XXXXXX` next to it, ours by name, owner and a regular
//    file, untouched for kStaleTempSeconds) are removed;
//  - a character device or FIFO (/dev/null, /dev/stdout) is written in
//    place; a FIFO that no reader opens within kFifoReaderWaitMs, a socket
//    and a block device are refused (never an endless wait for a reader).
bool write_output(const std::string& path, std::string_view content, DiagnosticSink& sink,
                  const std::vector<std::string>& inputs);

// write_output() for an output a renderer writes to a Sink as it produces
// it (render/sink.h): `produce` writes the content, which goes into the
// temporary file (or the device) in chunks and is never held whole, with
// every guarantee above. "-" collects it and prints it through print_out().
bool write_output_streamed(const std::string& path, const std::function<void(render::Sink&)>& produce, DiagnosticSink& sink,
                           const std::vector<std::string>& inputs);

// One file of a set that write_output_set() writes.
struct SetFile {
  std::string name;  // a plain file name inside the directory, chosen by tmc
  std::string_view content;
};

// Writes `files` into `directory` as one set, for outputs whose names tmc
// chooses, not the user (the backlog: `-o DIR` is the user's, the names in
// it are tmc's). Reports `write-error` into `sink` and returns false on
// failure. Unlike write_output():
//  - all or nothing: every file is first written to its own temporary in
//    `directory` and flushed; only when all of them are written are they
//    renamed over their names, in the order given. A failure before that
//    (a full disk, a directory at one of the names, an input of the run
//    there) removes the temporaries and leaves `directory` as it was. A
//    rename needs no space; if one still fails (the directory changed
//    meanwhile), the files before it are in place and the rest are not;
//  - whatever is at a name is replaced, never written through: the rename
//    replaces a symbolic link (its target is untouched), a FIFO or a
//    device; a directory there is an error;
//  - an existing regular file keeps its permission bits, anything else
//    gets 0666 minus the umask; a regular file that is one of `inputs` is
//    refused; stale temporaries of the set's names are removed.
bool write_output_set(const std::string& directory, const std::vector<SetFile>& files, DiagnosticSink& sink,
                      const std::vector<std::string>& inputs);

// A temporary file of ours older than this was left by a killed run (a
// live writer keeps touching its file; a whole write takes seconds).
inline constexpr long kStaleTempSeconds = 10 * 60;
// How long an output that is a FIFO waits for a reader to open it.
inline constexpr int kFifoReaderWaitMs = 5000;

// Creates `directory` (and parents) if needed; reports `write-error`.
bool ensure_directory(const std::string& directory, DiagnosticSink& sink);

}  // namespace tmc::cli
