#!/usr/bin/env bash
# Crash sweep (issue 11): 500 generated small models through `diagram` in
# every format and `report -o x.html`; exits only 0/1/2 and well-formed SVG.
# The sanitizer build runs it too (slower; set TMC_SWEEP_COUNT to change the
# sample). Args: $1 tmc, $2 source dir, $3 build dir.
set -euo pipefail
tmc=$1 src=$2 build=$3
count=${TMC_SWEEP_COUNT:-500}
work="$(cd "$build" && pwd)/diagram-sweep"
rm -rf "$work"
python3 "$src/tests/scripts/diagram_sweep.py" "$tmc" "$work" "$count"
rm -rf "$work"
