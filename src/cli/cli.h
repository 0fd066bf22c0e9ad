// The command line: parses flags, runs the pipeline, writes outputs.
#pragma once

namespace tmc::cli {

// Runs `tmc` with the given arguments and returns the process exit code:
// 0 success, 1 model valid but not done (gate), 2 invalid model, bad usage
// or I/O error.
int run(int argc, char** argv);

}  // namespace tmc::cli
