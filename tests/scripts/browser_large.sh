#!/usr/bin/env bash
# The HTML report of a 10,000-element model in Chromium (issue 11): opens,
# shows the overview, draws a boundary when opened, zooms, filters; prints
# the measured times (targets in docs/performance.md, not asserted).
# Args: $1 tmc, $2 source dir, $3 build dir.
set -euo pipefail
tmc=$1 src=$2 build=$3
out="$(cd "$build" && pwd)/browser-large"
rm -rf "$out" && mkdir -p "$out"
if [ ! -d "$src/tests/browser/node_modules" ]; then
  echo "tests/browser/node_modules is missing: run 'make setup'" >&2
  exit 1
fi
python3 "$src/bench/generate_model.py" 10000 > "$out/m10000.tm.yaml"
start=$(date +%s%N)
"$tmc" report --today 2026-11-22 --max-file-size 512M "$out/m10000.tm.yaml" -o "$out/m10000.html" 2>/dev/null
echo "report -o m10000.html: $(( ($(date +%s%N) - start) / 1000000 )) ms, $(stat -c %s "$out/m10000.html") bytes"
# A table drawn from data must show hostile text literally: 2,100 threats
# whose text tries to end the JSON block, open a comment or split a line.
python3 - "$out/hostile.tm.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("tmc: 1\ntitle: hostile rows\nelements:\n  - {id: web, type: process}\nthreats:\n")
    for t in range(2100):
        f.write(f"  - id: H{t}\n    title: \"</script><script>window.__pwned={t}</script> <!-- &amp; \\u2028 row {t}\"\n"
                f"    description: \"<img src=x onerror=window.__pwned=1> ]]> \\u2029 end\"\n    target: web\n    stride: [T]\n"
                f"    likelihood: 2\n    impact: 2\n    status: open\n    identified: 2026-01-01\n")
PY
"$tmc" report --today 2026-11-22 "$out/hostile.tm.yaml" -o "$out/hostile.html" 2>/dev/null
cd "$src/tests/browser"
node large_report_test.mjs "$out/m10000.html" "$out/hostile.html"
rm -rf "$out"
