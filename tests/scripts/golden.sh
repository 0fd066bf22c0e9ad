#!/usr/bin/env bash
# Golden files for every renderer on three models: the specification's two
# examples (tests/third_party/examples/) and templates/web-login.tm.yaml
# (nested boundaries, an attack tree).
# Compares byte for byte; TMC_UPDATE_GOLDEN=1 rewrites them (then read the
# diff before committing). Also checks that two runs are byte-identical.
# Args: $1 tmc, $2 source dir, $3 build dir.
set -euo pipefail
tmc=$1 src=$2 build=$3
golden="$src/tests/golden"
work="$(cd "$build" && pwd)/golden-out"
rm -rf "$work" && mkdir -p "$work"
render() {  # MODEL DIR
  local m=$1 d=$2
  mkdir -p "$d"
  "$tmc" report --today 2026-11-22 "$m" -o "$d/report.md"
  "$tmc" report --today 2026-11-22 --template full "$m" -o "$d/report-full.md"
  "$tmc" report --today 2026-11-22 "$m" -o "$d/report.html"
  "$tmc" report --today 2026-11-22 "$m" -o "$d/model.json"
  "$tmc" report --today 2026-11-22 "$m" -o "$d/threats.csv"
  "$tmc" report --today 2026-11-22 "$m" -o "$d/results.sarif"
  "$tmc" diagram "$m" -o "$d/dfd.mmd"
  "$tmc" diagram "$m" -o "$d/dfd.dot"
  "$tmc" diagram "$m" -o "$d/dfd.svg"
  "$tmc" diagram --format ascii "$m" -o "$d/dfd.txt"
  "$tmc" tree "$m" > "$d/trees.txt"
  "$tmc" tree --format mermaid "$m" > "$d/trees.mmd"
  "$tmc" tree --format json "$m" > "$d/trees.json"
  "$tmc" backlog --today 2026-11-22 "$m" -o "$d/backlog"
  "$tmc" threats --all --today 2026-11-22 "$m" > "$d/threats.txt" || true
  "$tmc" crossings --today 2026-11-22 "$m" > "$d/crossings.txt"
  "$tmc" coverage --today 2026-11-22 "$m" > "$d/coverage.txt"
  "$tmc" check --format json --today 2026-11-22 "$m" > "$d/check.json" || true
}
# Paths as the tests give them appear inside outputs; run from the source
# dir with relative paths so the files do not depend on the checkout.
cd "$src"
models=("tests/third_party/examples/payments.tm.yaml" "tests/third_party/examples/web-login.tm.yaml" "templates/web-login.tm.yaml")
names=(payments web-login template-web-login)
status=0
for i in "${!models[@]}"; do
  [ -f "${models[$i]}" ] || { echo "FAIL: missing model ${models[$i]}"; status=1; continue; }
  render "${models[$i]}" "$work/a/${names[$i]}" 2>/dev/null
  render "${models[$i]}" "$work/b/${names[$i]}" 2>/dev/null
  if ! diff -r "$work/a/${names[$i]}" "$work/b/${names[$i]}" >/dev/null; then
    echo "FAIL: two runs on ${names[$i]} differ"; status=1
  fi
  if [ "${TMC_UPDATE_GOLDEN:-}" = 1 ]; then
    rm -rf "$golden/${names[$i]}" && mkdir -p "$golden" && cp -r "$work/a/${names[$i]}" "$golden/${names[$i]}"
  elif ! diff -ru "$golden/${names[$i]}" "$work/a/${names[$i]}"; then
    echo "FAIL: ${names[$i]} differs from tests/golden (TMC_UPDATE_GOLDEN=1 to accept, after reading the diff)"; status=1
  fi
done
[ $status = 0 ] && echo "golden: all outputs match"
exit $status
