// JSON for the analysis commands (check, threats, crossings, coverage):
// stable key order, one document per command.
#pragma once

#include <string>

#include "cli/pipeline.h"

namespace tmc::cli {

// check --format json: diagnostics, findings, the ranked list and the gate.
std::string check_json(const FrontEnd& front);

}  // namespace tmc::cli
