// The change between two versions of a model (analyze/diff.h) for people
// and machines: terminal text, Markdown for a pull-request comment, JSON
// (docs/diff.md) and GitHub workflow annotations. Every piece of model text
// goes through render/escape.h; output is deterministic.
#pragma once

#include <cstddef>
#include <string>

#include "analyze/diff.h"
#include "base/source.h"

namespace tmc::render {

struct DiffRenderInput {
  const analyze::ModelDiff& diff;
  const SourceManager& before_sources;  // resolves locations of the old side
  const SourceManager& after_sources;   // resolves locations of the new side
  std::string before_label;             // "HEAD~1:threat-model.tm.yaml", or the old file's path
  std::string after_label;
  // Markdown: a URL prefix for links to lines of the new model
  // ("https://github.com/o/r/blob/SHA/"); the link is prefix + path as
  // shown + "#L" + line. Empty: locations are plain text.
  std::string link_base;
};

// The verdict, the ranked reasons, then every change, finding and tree;
// ANSI colors when `color`.
std::string diff_text(const DiffRenderInput& input, bool color);

// A pull-request comment: a verdict line, the ranked reasons, details in
// <details> blocks. Stays under `max_chars` characters by listing fewer
// rows and saying how many were left out. REQUIRES: max_chars >= 4096.
inline constexpr size_t kGitHubCommentLimit = 65536;
std::string diff_markdown(const DiffRenderInput& input, size_t max_chars = kGitHubCommentLimit - 1);

// The whole comparison as one JSON document (docs/diff.md).
std::string diff_json(const DiffRenderInput& input);

// One `::warning` annotation per reason (on the new model's line) and a
// closing `::notice` with the verdict.
std::string diff_github(const DiffRenderInput& input);

}  // namespace tmc::render
