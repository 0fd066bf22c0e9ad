#!/usr/bin/env bash
# Times `tmc check` on generated models of 1k, 10k and 100k elements (3
# flows per element): best of N runs each, next to the floor for a YAML
# model (a bare libyaml event parse of the same file, bench/yaml_events),
# with each one's peak memory (GNU time's maximum resident set size).
# usage: bench/run_check_bench.sh [path/to/tmc] [runs] [path/to/yaml_events]
set -euo pipefail
tmc=${1:-build/tmc}
runs=${2:-5}
events=${3:-$(dirname "$tmc")/bench/yaml_events}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }

# best RUNS -- command...: prints "best_ms peak_kb" over the runs.
best() {
  local best_ms="" peak_kb=0
  shift
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    read -r seconds kb < <(tail -1 "$work/time")
    ms=$(awk -v s="$seconds" 'BEGIN { printf "%d", s * 1000 + 0.5 }')
    if [ -z "$best_ms" ] || [ "$ms" -lt "$best_ms" ]; then best_ms=$ms; fi
    [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
  done
  echo "$best_ms $peak_kb"
}

printf '%-9s %-8s %-10s %-10s %-10s %-10s %-10s %-7s %s\n' \
  elements flows bytes parse_ms parse_MB check_ms check_MB ratio ms_per_1k
for n in 1000 10000 100000; do
  python3 "$here/generate_model.py" $n > "$work/m$n.tm.yaml"
  bytes=$(stat -c %s "$work/m$n.tm.yaml")
  read -r parse_ms parse_kb < <(best -- "$events" "$work/m$n.tm.yaml")
  read -r check_ms check_kb < <(best -- "$tmc" check --today 2026-11-22 --fail-on never --max-file-size 512M "$work/m$n.tm.yaml")
  printf '%-9s %-8s %-10s %-10s %-10s %-10s %-10s %-7s %s\n' $n $((n * 3)) "$bytes" "$parse_ms" \
    "$((parse_kb / 1024))" "$check_ms" "$((check_kb / 1024))" \
    "$(awk -v c="$check_ms" -v p="$parse_ms" 'BEGIN { printf "%.2f", (p > 0 ? c / p : 0) }')" \
    "$(awk -v b="$check_ms" -v n="$n" 'BEGIN { printf "%.2f", b / (n / 1000) }')"
done
