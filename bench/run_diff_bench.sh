#!/usr/bin/env bash
# Times `tmc diff` of two generated 10,000-element models (30,000 flows)
# that differ in 1% of their flows (every 100th flow: validation turned to
# none, or a control added), against one `tmc check` of the new model.
# Best of N runs each. The goal (issue 9): the diff under twice the check.
# usage: bench/run_diff_bench.sh [path/to/tmc] [runs] [elements]
set -euo pipefail
tmc=${1:-build/tmc}
runs=${2:-5}
n=${3:-10000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/generate_model.py" "$n" > "$work/old.tm.yaml"
python3 - "$work/old.tm.yaml" "$work/new.tm.yaml" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
flow = changed = 0
for i, line in enumerate(lines):
    if line.startswith("  - {id: f"):
        if flow % 100 == 0:
            if flow % 200 == 0:
                lines[i] = line.replace("validation: JSON schema", "validation: none")
            else:
                lines[i] = line[:-1] + ", controls: [rate-limit]}"
            changed += 1
        flow += 1
open(sys.argv[2], "w").write("\n".join(lines))
print(f"{changed} of {flow} flows differ", file=sys.stderr)
PY
best() {  # best wall time in ms of running "$@" $runs times
  local b=""
  for _ in $(seq "$runs"); do
    local start end ms
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
  done
  echo "$b"
}
cpu() {  # user+sys CPU seconds of one run of "$@"
  /usr/bin/time -f "%U %S" -o "$work/cpu" "$@" >/dev/null 2>&1 || true
  awk '{printf "%.2f", $1 + $2}' "$work/cpu"
}
check=$(best "$tmc" check --today 2026-11-22 --fail-on never --max-file-size 512M "$work/new.tm.yaml")
diff=$(best "$tmc" diff --today 2026-11-22 --fail-on never --max-file-size 512M --format json "$work/old.tm.yaml" "$work/new.tm.yaml")
reasons=$("$tmc" diff --today 2026-11-22 --max-file-size 512M --format json "$work/old.tm.yaml" "$work/new.tm.yaml" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["reasons"]), "reasons,", len(d["changes"]), "changes")' || true)
check_cpu=$(cpu "$tmc" check --today 2026-11-22 --fail-on never --max-file-size 512M "$work/new.tm.yaml")
diff_cpu=$(cpu "$tmc" diff --today 2026-11-22 --fail-on never --max-file-size 512M --format json "$work/old.tm.yaml" "$work/new.tm.yaml")
printf 'elements %s: check %s ms, diff %s ms (%s), wall ratio %s; CPU check %ss, diff %ss; load %s\n' "$n" "$check" "$diff" "$reasons" \
  "$(awk -v d="$diff" -v c="$check" 'BEGIN{printf "%.2f", d / c}')" "$check_cpu" "$diff_cpu" "$(cut -d' ' -f1 /proc/loadavg)"
