// JSON for the analysis commands (check, threats, crossings, coverage):
// stable key order, one document per command.
#pragma once

#include <string>

#include "cli/pipeline.h"

namespace tmc::cli {

// check --format json: the version members, diagnostics, the gate,
// findings and the ranked list (docs/json-output.md). The findings and
// the ranked entries have the JSON report's shape (render/json_items.h),
// so `front` needs the raises and fingerprints computed
// (ModelOptions::raises, ::fingerprints) for them to be filled in.
std::string check_json(const FrontEnd& front);

}  // namespace tmc::cli
