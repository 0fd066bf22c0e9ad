#!/usr/bin/env bash
# Times `tmc report -o x.html` and `tmc diagram -o x.svg` on generated
# models of 1k, 10k and 100k elements (issue 11 targets: under 3 s, 10 s and
# 60 s). Best of N runs (1 at 100k): wall clock, CPU time (user + system,
# children included: the layout process) and peak memory.
# usage: bench/run_render_bench.sh [path/to/tmc] [runs] [sizes...]
set -euo pipefail
tmc=${1:-build/tmc}
runs=${2:-3}
shift $(( $# > 2 ? 2 : $# ))
sizes=${*:-1000 10000 100000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-10s %-22s %-10s %-10s %-10s %s\n' elements command best_ms cpu_ms peak_MB output_bytes
for n in $sizes; do
  python3 "$here/generate_model.py" "$n" > "$work/m$n.tm.yaml"
  for command in "report:html" "diagram:svg"; do
    verb=${command%%:*} ext=${command##*:}
    best="" peak="" cpu=""
    tries=$runs
    [ "$n" -ge 100000 ] && tries=1
    for _ in $(seq "$tries"); do
      start=$(date +%s%N)
      /usr/bin/time -f "%M %U %S" -o "$work/mem" "$tmc" "$verb" --max-file-size 512M "$work/m$n.tm.yaml" -o "$work/out.$ext" >/dev/null 2>&1 || true
      end=$(date +%s%N)
      ms=$(( (end - start) / 1000000 ))
      if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then
        best=$ms
        read -r kb user sys < <(tail -1 "$work/mem")
        peak=$((kb / 1024))
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%d", (u + s) * 1000}')
      fi
    done
    printf '%-10s %-22s %-10s %-10s %-10s %s\n' "$n" "$verb -o x.$ext" "$best" "$cpu" "$peak" "$(stat -c %s "$work/out.$ext" 2>/dev/null || echo 0)"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
