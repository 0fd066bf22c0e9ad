#!/usr/bin/env bash
# The HTML report and the Mermaid output in Debian's Chromium. Args: $1 tmc,
# $2 source dir, $3 build dir. Screenshots land in $3/browser/.
set -euo pipefail
tmc=$1 src=$2 build=$3
out="$(cd "$build" && pwd)/browser"
rm -rf "$out" && mkdir -p "$out"
if [ ! -d "$src/tests/browser/node_modules" ]; then
  echo "tests/browser/node_modules is missing: run 'make setup'" >&2
  exit 1
fi
for m in "$src/tests/third_party/examples/payments.tm.yaml" "$src/tests/third_party/examples/web-login.tm.yaml" "$src/tests/render/injection.tm.yaml"; do
  [ -f "$m" ] || { echo "FAIL: missing model $m" >&2; exit 1; }
  name=$(basename "$m" .tm.yaml)
  "$tmc" report --today 2026-11-22 "$m" -o "$out/$name.html" 2>/dev/null
  "$tmc" report --today 2026-11-22 "$m" -o "$out/$name.md" 2>/dev/null
  "$tmc" report --today 2026-11-22 --template full "$m" -o "$out/$name-full.md" 2>/dev/null
  "$tmc" diagram "$m" -o "$out/$name.mmd" 2>/dev/null
  "$tmc" tree --format mermaid "$m" > "$out/$name-trees.mmd" 2>/dev/null
  "$tmc" backlog --today 2026-11-22 "$m" -o "$out/$name-backlog" 2>/dev/null
done
for m in "$src"/templates/*.tm.yaml; do
  name=template-$(basename "$m" .tm.yaml)
  "$tmc" diagram "$m" -o "$out/$name.mmd"
  "$tmc" report --today 2026-11-22 --template full "$m" -o "$out/$name-full.md"
done
cd "$src/tests/browser"
node mermaid_check.mjs "$out"/*.mmd "$out"/*.md "$out"/*-backlog/threat-*.md "$out"/*-backlog/finding-*.md
node report_test.mjs "$out"
