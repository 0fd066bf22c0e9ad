// tmc: the threat model compiler. Everything lives in libtmc; this only
// hands argv to the command line layer.
#include "cli/cli.h"

int main(int argc, char** argv) { return tmc::cli::run(argc, argv); }
