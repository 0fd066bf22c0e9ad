// The command line: parses flags, runs the pipeline, writes outputs.
#pragma once

namespace tmc::cli {

// Runs `tmc` with the given arguments and returns the process exit code:
// 0 success, 1 model valid but not done (gate), 2 invalid model, bad usage
// or I/O error (also when writing stdout failed). No exception escapes:
// anything unexpected is reported on stderr and gives exit 2.
int run(int argc, char** argv);

}  // namespace tmc::cli
