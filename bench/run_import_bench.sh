#!/usr/bin/env bash
# Times `tmc import` end to end (parse, map, write the YAML, check it
# through the whole pipeline):
# 1. generated OTM files of 2,000 and 10,000 components (generate_otm.py),
#    best of N runs each;
# 2. the hostile shapes of issue 22 item 3 (generate_import_shapes.py: same
#    names, boxed processes, public flows, component rings, nested and
#    cyclic zones, CSV registers) at 1k, 10k and 100k items, once each,
#    with the CPU time and peak memory (/usr/bin/time -v) against the
#    input's size. A run over TIMEOUT seconds (default 60) is stopped and
#    shown as such. Every import is expected linear: 10x the items, about
#    10x the time. On a loaded machine the CPU column is the one to read.
# usage: bench/run_import_bench.sh [path/to/tmc] [runs]
#        IMPORT_SIZES="1000 10000" TIMEOUT=30 bench/run_import_bench.sh build/tmc
set -euo pipefail
tmc=${1:-build/tmc}
runs=${2:-5}
sizes=${IMPORT_SIZES:-1000 10000 100000}
limit=${TIMEOUT:-60}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "OTM files (best of $runs runs)"
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

echo
echo "Hostile shapes (one run each; exit 2 = refused with errors, as expected for otm-nested, otm-cycle, csv-short)"
printf '%-16s %-7s %-11s %-5s %-9s %-8s %-9s %s\n' shape items bytes exit wall_ms cpu_s peak_MB peak/bytes
for shape in $(python3 "$here/generate_import_shapes.py" --list); do
  for n in $sizes; do
    input="$work/$shape.$n"
    python3 "$here/generate_import_shapes.py" "$shape" "$n" > "$input"
    bytes=$(stat -c %s "$input")
    start=$(date +%s%N)
    set +e
    /usr/bin/time -v -o "$work/time.txt" timeout "$limit" "$tmc" import --max-file-size 1G "$input" -o "$work/out.tm.yaml" >/dev/null 2>&1
    code=$?
    set -e
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$work/time.txt")
    [ "$code" = 124 ] && ms=">${limit}000"
    printf '%-16s %-7s %-11s %-5s %-9s %-8s %-9s %s\n' "$shape" "$n" "$bytes" "$code" "$ms" "$cpu" $((kb / 1024)) \
      "$(awk -v kb="$kb" -v b="$bytes" 'BEGIN { printf "%.1f", kb * 1024 / b }')"
    rm -f "$input" "$work/out.tm.yaml"
  done
done
