#!/usr/bin/env bash
# Times `tmc import` of generated OTM files (2,000 and 10,000 components):
# parse, map, write the YAML and check it through the whole pipeline.
# Best of N runs each.
# usage: bench/run_import_bench.sh [path/to/tmc] [runs]
set -euo pipefail
tmc=${1:-build/tmc}
runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-12s %-10s %-12s %s\n' components flows bytes best_ms
for n in 2000 10000; do
  python3 "$here/generate_otm.py" $n > "$work/g$n.otm.json"
  bytes=$(stat -c %s "$work/g$n.otm.json")
  best=""
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$tmc" import --max-file-size 512M "$work/g$n.otm.json" -o "$work/g$n.tm.yaml" >/dev/null 2>&1 || { echo "import failed" >&2; exit 1; }
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  printf '%-12s %-10s %-12s %s\n' $n $((n + n / 2)) "$bytes" "$best"
done
