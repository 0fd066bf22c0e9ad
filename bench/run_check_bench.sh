#!/usr/bin/env bash
# The core benchmark (issue 13). For generated models of 1k, 10k and 100k
# elements (3 flows per element, bench/generate_model.py) it prints, per
# size: the floor for a YAML model (a bare libyaml event parse of the same
# file, bench/yaml_events), `tmc check`, and `tmc report` in each machine
# format (JSON, SARIF, CSV, Markdown): best wall time and best CPU time
# (user+sys, steadier than wall time on a loaded machine) of RUNS runs, and
# peak memory (GNU time's maximum resident set size), each with its ratio
# to the bare parse and, for reports, to `check`.
#
# Then OWASP pytm on a model of the same size (../shared/anchors/pytm, next
# to this repository; PYTM_DIR overrides): load and analysis, and the same
# with its --json output, one run each at 1k and 10k (100k would take many
# minutes and is skipped with a note), with tmc's speed-up over it.
#
# usage: bench/run_check_bench.sh [path/to/tmc] [runs] [path/to/yaml_events]
#   RUNS_100K=1 (default) runs the 100k cases once; SIZES="1000 10000"
#   limits the sizes; PYTM=0 skips pytm.
set -euo pipefail
tmc=${1:-build/tmc}
runs=${2:-3}
events=${3:-$(dirname "$tmc")/bench/yaml_events}
runs_100k=${RUNS_100K:-1}
sizes=${SIZES:-1000 10000 100000}
here=$(cd "$(dirname "$0")" && pwd)
pytm_dir=${PYTM_DIR:-$here/../../shared/anchors/pytm}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }
[ -x "$events" ] || { echo "needs $events (ninja -C $(dirname "$tmc") yaml_events)" >&2; exit 2; }

# measure RUNS command...: runs it RUNS times; prints
# "best_wall_ms best_cpu_ms peak_kb exit_status" (the last run's status).
measure() {
  local n=$1 wall="" cpu="" peak=0 status=0
  shift
  for _ in $(seq "$n"); do
    /usr/bin/time -f "%e %U %S %M %x" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || true
    read -r seconds user sys kb status < <(tail -1 "$work/time")
    local w c
    w=$(awk -v s="$seconds" 'BEGIN { printf "%d", s * 1000 + 0.5 }')
    c=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 + 0.5 }')
    if [ -z "$wall" ] || [ "$w" -lt "$wall" ]; then wall=$w; fi
    if [ -z "$cpu" ] || [ "$c" -lt "$cpu" ]; then cpu=$c; fi
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  echo "$wall $cpu $peak $status"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# row NAME WALL CPU PEAK_KB STATUS [CHECK_WALL CHECK_CPU CHECK_KB]
row() {
  local name=$1 wall=$2 cpu=$3 kb=$4 status=$5
  local vs_check="" note=""
  if [ $# -ge 8 ]; then
    vs_check=$(printf '%9s %9s %10s' "$(ratio "$wall" "$6")" "$(ratio "$cpu" "$7")" "$(ratio "$kb" "$8")")
  fi
  [ "$status" = 0 ] || note=" (exit $status)"
  printf '%-22s %9s %9s %8s %10s %10s %s%s\n' "$name" "$wall" "$cpu" "$(mb "$kb")" \
    "$(ratio "$wall" "$parse_wall")" "$(ratio "$cpu" "$parse_cpu")" "$vs_check" "$note"
}

# pytm 1.4 needs pydantic 2: the first python3 that has it runs pytm.
pytm_note="" python=""
if [ "${PYTM:-1}" = 0 ]; then
  pytm_note="pytm skipped (PYTM=0)"
elif [ ! -f "$pytm_dir/run.py" ]; then
  pytm_note="pytm skipped: $pytm_dir not found (../shared/anchors/pytm next to the repository)"
else
  for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import pydantic, sys; sys.exit(0 if pydantic.VERSION.startswith("2") else 1)' 2>/dev/null; then
      python=$candidate
      break
    fi
  done
  [ -n "$python" ] || pytm_note="pytm skipped: no python3 with pydantic 2 (pytm 1.4 needs it; pip install pydantic)"
fi

declare -A check_cpu_at
for n in $sizes; do
  r=$runs
  [ "$n" -ge 100000 ] && r=$runs_100k
  model="$work/m$n.tm.yaml"
  python3 "$here/generate_model.py" "$n" > "$model"
  bytes=$(stat -c %s "$model")
  echo
  echo "== $n elements, $((n * 3)) flows, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB (best of $r runs; ms; cpu = user+sys)"
  printf '%-22s %9s %9s %8s %10s %10s %9s %9s %10s\n' work wall_ms cpu_ms peak_MB wall/parse cpu/parse \
    wall/check cpu/check peak/check
  read -r parse_wall parse_cpu parse_kb status < <(measure "$r" "$events" "$model")
  row "parse (libyaml)" "$parse_wall" "$parse_cpu" "$parse_kb" "$status"
  common=(--today 2026-11-22 --max-file-size 512M)
  read -r check_wall check_cpu check_kb status < <(measure "$r" "$tmc" check "${common[@]}" --fail-on never "$model")
  row "check" "$check_wall" "$check_cpu" "$check_kb" "$status"
  check_cpu_at[$n]=$check_cpu
  declare -A report_wall=() report_cpu=()
  for format in json sarif csv md; do
    read -r wall cpu kb status < <(measure "$r" "$tmc" report "${common[@]}" "$model" -o "$work/out.$format")
    row "report -o x.$format" "$wall" "$cpu" "$kb" "$status" "$check_wall" "$check_cpu" "$check_kb"
    report_wall[$format]=$wall
    report_cpu[$format]=$cpu
  done
  rm -f "$work"/out.*
  echo "check per 1k elements: $(awk -v c="$check_cpu" -v n="$n" 'BEGIN { printf "%.1f", c / (n / 1000) }') ms cpu"

  # OWASP pytm on a model of the same size: once each.
  if [ -n "$pytm_note" ]; then
    echo "$pytm_note"
    continue
  fi
  if [ "$n" -gt 10000 ]; then
    echo "pytm skipped at $n elements: it would take many minutes (35 s and 62 s at 10k, growing faster than linearly)"
    continue
  fi
  $python "$pytm_dir/gen.py" "$n" 3 > "$work/pytm$n.json"
  read -r pa_wall pa_cpu pa_kb status < <(measure 1 env PYTM_SRC="$pytm_dir" "$python" "$pytm_dir/run.py" "$work/pytm$n.json")
  row "pytm load+analysis" "$pa_wall" "$pa_cpu" "$pa_kb" "$status" "$check_wall" "$check_cpu" "$check_kb"
  read -r pj_wall pj_cpu pj_kb status < <(measure 1 env PYTM_SRC="$pytm_dir" "$python" "$pytm_dir/run.py" "$work/pytm$n.json" --json "$work/pytm-out.json")
  row "pytm --json" "$pj_wall" "$pj_cpu" "$pj_kb" "$status" "$check_wall" "$check_cpu" "$check_kb"
  rm -f "$work/pytm-out.json" "$work/pytm$n.json"
  echo "tmc check vs pytm load+analysis: $(ratio "$pa_wall" "$check_wall")x faster (wall), $(ratio "$pa_cpu" "$check_cpu")x (cpu)"
  echo "tmc report -o x.json vs pytm --json: $(ratio "$pj_wall" "${report_wall[json]}")x faster (wall), $(ratio "$pj_cpu" "${report_cpu[json]}")x (cpu)"
done
if [ -n "${check_cpu_at[10000]:-}" ] && [ -n "${check_cpu_at[100000]:-}" ]; then
  echo
  echo "check linearity: 100k per 1k elements / 10k per 1k elements = $(awk -v a="${check_cpu_at[100000]}" -v b="${check_cpu_at[10000]}" 'BEGIN { printf "%.2f", (a / 100) / (b / 10) }') (cpu)"
fi
