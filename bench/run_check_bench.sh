#!/usr/bin/env bash
# Times `tmc check` on generated models of 1k, 10k and 100k elements (3
# flows per element): best of N runs each, with hyperfine when installed.
# usage: bench/run_check_bench.sh [path/to/tmc] [runs]
set -euo pipefail
tmc=${1:-build/tmc}
runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-10s %-10s %-12s %-12s %s\n' elements flows bytes best_ms ms_per_1k_elements
for n in 1000 10000 100000; do
  python3 "$here/generate_model.py" $n > "$work/m$n.tm.yaml"
  bytes=$(stat -c %s "$work/m$n.tm.yaml")
  best=""
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$tmc" check --today 2026-11-22 --fail-on never --max-file-size 512M "$work/m$n.tm.yaml" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  printf '%-10s %-10s %-12s %-12s %s\n' $n $((n * 3)) "$bytes" "$best" "$(awk -v b="$best" -v n="$n" 'BEGIN{printf "%.2f", b / (n / 1000)}')"
done
