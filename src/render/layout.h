// Graph layout, isolated from tmc's own process. Graphviz (2.42 in Debian
// 12) has memory bugs that a model can trigger (an invalid free after
// `flat_edges` reallocates a rank array; issue 11), so it never runs in
// tmc's address space: one forked child per layout gets the DOT text, runs
// the dot layout with a time and a memory limit, and sends the SVG back
// through a pipe. Whatever the child does (crash, hang, allocate without
// end, write garbage), the caller gets a typed result, never a signal.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace tmc::render {

struct LayoutLimits {
  std::chrono::milliseconds time{5000};      // wall clock of the layout; the child is killed after it
  uint64_t memory_bytes = 2ull << 30;        // address space the child may add to what it inherits
  size_t max_output_bytes = size_t{256} << 20;  // a larger SVG counts as garbage
};

enum class LayoutStatus {
  ok,              // `svg` holds a well-formed-looking SVG document
  cannot_start,    // pipe or fork failed
  crashed,         // the child died from a signal (abort, segfault, memory limit)
  timed_out,       // the child ran past `seconds` and was killed
  graphviz_error,  // Graphviz refused the DOT or reported an error (`detail` says which)
  invalid_output,  // the child exited 0 but sent no SVG, a truncated one, or too much
};

struct LayoutResult {
  LayoutStatus status = LayoutStatus::cannot_start;
  std::string svg;     // set when status == ok
  std::string detail;  // one line for a diagnostic when status != ok
};

// Lays out `dot` with Graphviz's dot engine in a child process and renders
// SVG. Never throws; never leaves a child behind (the child is reaped, or
// killed and reaped). Test hook: TMC_TEST_LAYOUT_FAULT, read only by the
// child, makes it misbehave on purpose: `abort`, `hang`, `garbage`, or
// `abort-unless-simplified` (abort unless the DOT carries the
// "tmc-simplified" comment of a retry).
LayoutResult layout_svg(const std::string& dot, const LayoutLimits& limits);

// "crashed", "timed out", ... for messages.
const char* to_string(LayoutStatus status);
// "10 s", "2.5 s": a time limit in messages.
std::string seconds_text(std::chrono::milliseconds time);

// Whether `text` looks like a whole SVG document: optional XML prolog,
// an <svg element, and </svg> at the end (trailing whitespace allowed).
bool looks_like_svg(const std::string& text);

}  // namespace tmc::render
