#!/usr/bin/env bash
# Crash sweep (issue 11): 500 generated small models through `diagram` in
# every format and `report -o x.html`; exits only 0/1/2 and well-formed SVG.
# The sanitizer build runs it too (slower; set TMC_SWEEP_COUNT to change the
# sample). Args: $1 tmc, $2 source dir, $3 build dir.
set -euo pipefail
tmc=$1 src=$2 build=$3
count=${TMC_SWEEP_COUNT:-500}
# The sanitizer build is about ten times slower per run: a smaller sample
# there unless TMC_SWEEP_COUNT says otherwise (the normal build runs 500).
if [ -z "${TMC_SWEEP_COUNT:-}" ] && grep -q '^TMC_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  count=250
  echo "sanitizer build: sweeping $count models (the normal build sweeps 500; TMC_SWEEP_COUNT=500 for all)"
fi
work="$(cd "$build" && pwd)/diagram-sweep"
rm -rf "$work"
python3 "$src/tests/scripts/diagram_sweep.py" "$tmc" "$work" "$count"
rm -rf "$work"
