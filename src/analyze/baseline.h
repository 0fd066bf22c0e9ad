// Baselines: the open items of a model recorded once (`tmc baseline MODEL
// -o FILE`), so that `tmc check --baseline FILE` gates only on what is new
// and reports what has gone since. Items are matched by fingerprint()
// (analyze/fingerprint.h), never by line number or rank.
//
// File format (JSON, documented in docs/baseline.md):
//   { "tmc_baseline": 1, "model": TITLE,
//     "items": [ { "fingerprint": HEX16, "id": "T1" | "RULE:target",
//                  "rule": RULE | "", "target": IDS, "title": TEXT,
//                  "bucket": NAME }, ... ] }
// Only "tmc_baseline" and each item's "fingerprint" are read back; the
// other fields are for the people who review the file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/analysis.h"
#include "base/diagnostic.h"
#include "model/model.h"

namespace tmc::analyze {

struct BaselineEntry {
  std::string fingerprint;
  std::string id;      // "T1" for a threat, "RULE:target" for a finding
  std::string rule;    // the finding's rule, or the threat's `rule:` ("" if none)
  std::string target;  // target ids, comma separated
  std::string title;
  std::string bucket;
};

struct Baseline {
  std::vector<BaselineEntry> entries;
};

// Every item of `analysis` that is open (unresolved threats, open
// findings), in every bucket, sorted by id then fingerprint.
Baseline make_baseline(const model::Model& model, const Analysis& analysis);

// The baseline as JSON text (stable key order, one trailing newline).
std::string write_baseline(const Baseline& baseline, const std::string& model_title);

// Reads a baseline file's text. Problems are `invalid-baseline` errors at
// `file` (a SourceManager id; line 0 = the whole file); nullopt on error.
std::optional<Baseline> parse_baseline(std::string_view text, uint32_t file, DiagnosticSink& sink);

}  // namespace tmc::analyze
