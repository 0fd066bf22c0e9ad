#!/usr/bin/env bash
# Issue 21: every finding tmc raises on the calibration corpus and the
# holdout is judged (real, duplicate or noise) in the file beside its model,
# so the numbers `make bench` prints (bench/calibration.py) mean something.
# A rule change that raises a new finding fails here until someone judges it.
# Args: $1 tmc binary, $2 source dir.
set -euo pipefail
tmc=$1; src=$2
for corpus in calibration calibration-holdout; do
  out=$(python3 "$src/bench/calibration.py" "$tmc" "$src/tests/$corpus") || { echo "$out"; echo "FAIL: unjudged findings in tests/$corpus"; exit 1; }
done
echo "calibration_judged: every finding is judged"
