#!/usr/bin/env bash
# Diagrams that never crash (issue 11, issue 15): the Graphviz crash model,
# the isolated layout process and its fallbacks, short labels and their
# width, --labels, --boundary, the overview, control characters and output
# size linear in the boundary nesting. Args: $1 tmc, $2 source dir, $3 build dir.
set -euo pipefail
tmc=$1 src=$2 build=$3
work="$(cd "$build" && pwd)/diagram-layout"
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
xml_ok() { python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$1" || fail "$1 is not well-formed XML"; }
crash="$src/tests/render/crash-flat-edges.tm.yaml"
micro="$src/tests/render/microservices.tm.yaml"

# 1. The model of issue 11 aborted tmc (exit 134, no file) in-process.
"$tmc" diagram "$crash" -o "$work/crash.svg" 2>/dev/null || fail "diagram of the crash model exited $?"
xml_ok "$work/crash.svg"
grep -q "mail_link" "$work/crash.svg" || fail "crash.svg lacks an edge label"
"$tmc" report --today 2026-11-22 "$crash" -o "$work/crash.html" 2>/dev/null || fail "report of the crash model exited $?"
grep -q '<svg' "$work/crash.html" || fail "crash.html has no diagram"

# 2. A layout child that aborts, hangs or writes garbage: `diagram -o x.svg`
# writes nothing and exits 2 with [layout-failed]; the HTML report holds the
# text drawing, warns and exits 0.
for fault in abort hang garbage; do
  rc=0
  TMC_TEST_LAYOUT_FAULT=$fault "$tmc" diagram --layout-timeout 1 "$crash" -o "$work/$fault.svg" 2>"$work/$fault.err" || rc=$?
  [ "$rc" = 2 ] || fail "diagram with a layout child that does '$fault' exited $rc, expected 2"
  [ ! -e "$work/$fault.svg" ] || fail "a file was written although the layout failed ($fault)"
  grep -q "\[layout-failed\]" "$work/$fault.err" || fail "no layout-failed diagnostic ($fault): $(cat "$work/$fault.err")"
  ls -a "$work" | grep -q "tmc-" && fail "a temporary file was left behind"
  rc=0
  TMC_TEST_LAYOUT_FAULT=$fault "$tmc" report --layout-timeout 1 --today 2026-11-22 "$crash" -o "$work/$fault.html" 2>"$work/$fault-html.err" || rc=$?
  [ "$rc" = 0 ] || fail "report with a layout child that does '$fault' exited $rc, expected 0"
  grep -q "warning: the diagram could not be laid out" "$work/$fault-html.err" || fail "no warning for the HTML fallback ($fault)"
  grep -q '<pre class="dfd-text">' "$work/$fault.html" || fail "the HTML report lacks the text drawing ($fault)"
  grep -q "admin_user" "$work/$fault.html" || fail "the fallback drawing lacks an element ($fault)"
done
# ... and one that only fails the full drawing: the retry draws it, with a warning.
TMC_TEST_LAYOUT_FAULT=abort-unless-simplified "$tmc" diagram "$crash" -o "$work/retry.svg" 2>"$work/retry.err" || fail "retry exited $?"
grep -q "\[layout-simplified\]" "$work/retry.err" || fail "no layout-simplified warning"
xml_ok "$work/retry.svg"

# 3. Short labels by default: the 23-element microservice model stays near
# 1,600 pt wide (8,141 pt with every asset named); the full text is in the
# tooltip. Golden file: TMC_UPDATE_GOLDEN=1 rewrites it.
"$tmc" diagram "$micro" -o "$work/micro.svg" 2>/dev/null
xml_ok "$work/micro.svg"
width=$(grep -o '<svg width="[0-9]*pt' "$work/micro.svg" | grep -o '[0-9]*')
echo "microservices.svg: ${width} pt wide with short labels"
[ "$width" -le 1700 ] || fail "microservices.svg is $width pt wide (at most ~1,600)"
grep -q 'xlink:title="gRPC over mTLS: Payment card data, Order history, Session token, Shipping address"' "$work/micro.svg" ||
  fail "the full label is not in the tooltip"
golden="$src/tests/golden/microservices/dfd.svg"
if [ "${TMC_UPDATE_GOLDEN:-}" = 1 ]; then
  mkdir -p "$(dirname "$golden")" && cp "$work/micro.svg" "$golden"
else
  diff -u "$golden" "$work/micro.svg" || fail "microservices.svg differs from tests/golden (TMC_UPDATE_GOLDEN=1 to accept)"
fi
# grep reads the whole output: grep -q would close the pipe early, and tmc rightly exits 2 when a write to stdout fails.
"$tmc" diagram --labels full --format ascii "$micro" | grep "gRPC over mTLS: Payment card data, Order history, Session token, Shipping address" >/dev/null ||
  fail "--labels full does not show every asset"
"$tmc" diagram --labels none --format mermaid "$micro" | grep '|"' >/dev/null && fail "--labels none still labels arrows"
"$tmc" diagram --labels short --format mermaid "$micro" | grep 'e_mobile ==>|"gRPC over mTLS: Payment card data, Order history, +2"| e_gateway' >/dev/null ||
  fail "short label is not 'protocol: two assets, +N'"

# 4. --boundary draws one boundary; unknown ids are refused with a suggestion.
"$tmc" diagram --boundary mesh --format dot "$micro" > "$work/mesh.dot"
grep -q '"e_orders"' "$work/mesh.dot" || fail "--boundary mesh lacks its element"
grep -q '"g_data"' "$work/mesh.dot" || fail "--boundary mesh does not fold its inner boundary"
grep -q '"e_browser"' "$work/mesh.dot" && fail "--boundary mesh draws an outside element in detail"
"$tmc" diagram --boundary mesh "$micro" -o "$work/mesh.svg" && xml_ok "$work/mesh.svg"
rc=0; "$tmc" diagram --boundary meshh "$micro" 2>"$work/b.err" || rc=$?
[ "$rc" = 2 ] && grep -q "did you mean 'mesh'" "$work/b.err" || fail "unknown --boundary: exit $rc, $(cat "$work/b.err")"

# 5. The overview above the threshold says what it is and how to get the detail.
"$tmc" diagram --overview-threshold 10 --format ascii "$micro" 2>/dev/null > "$work/over.txt"
grep -q "^Overview of 23 elements" "$work/over.txt" || fail "the overview does not say it is one"
grep -q "tmc diagram --boundary ID" "$work/over.txt" || fail "the overview does not say how to get the detail"
"$tmc" diagram --overview-threshold 10 "$micro" -o "$work/over.svg" 2>/dev/null && xml_ok "$work/over.svg"
"$tmc" diagram --overview-threshold 10 --focus orders --format dot "$micro" | grep '"e_orders"' >/dev/null || fail "--focus does not work above the threshold"
"$tmc" report --overview-threshold 10 --today 2026-11-22 "$micro" -o "$work/over.html" 2>/dev/null
grep -q 'class="overview-note"' "$work/over.html" || fail "the HTML overview does not say it is one"
[ "$(grep -o '<details class="boundary"' "$work/over.html" | wc -l)" = 5 ] || fail "the HTML overview lacks one drawing per boundary"

# 6. Control characters in names never make invalid SVG (issue 15).
printf 'tmc: 1\ntitle: "ctl"\nboundaries:\n  - {id: b, name: "b\\x01\\x1b[31m\\x7f"}\nelements:\n  - {id: a, name: "a\\x02 &#1; <x>", type: process, boundary: b}\n  - {id: c, name: "c\\x0b", type: external}\nflows:\n  - {id: f, from: a, to: c, label: "l\\x03"}\n' > "$work/ctl.tm.yaml"
"$tmc" diagram "$work/ctl.tm.yaml" -o "$work/ctl.svg" 2>/dev/null || fail "control characters: diagram exited $?"
xml_ok "$work/ctl.svg"
"$tmc" report --today 2026-11-22 "$work/ctl.tm.yaml" -o "$work/ctl.html" 2>/dev/null
python3 - "$work/ctl.html" <<'PY' || fail "control characters reach the HTML"
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
bad = [c for c in text if (ord(c) < 32 and c not in '\t\n\r') or ord(c) == 127]
sys.exit(1 if bad else 0)
PY

# 7. Output size linear in the model, whatever the boundary nesting (issue 15):
# 400 nested boundaries made quadratic indentation before.
python3 - "$work/nested.tm.yaml" <<'PY'
import sys
n = 400
lines = ['tmc: 1', 'title: nested', 'boundaries:', '  - {id: b0}']
lines += [f'  - {{id: b{i}, parent: b{i - 1}}}' for i in range(1, n)]
lines += ['elements:'] + [f'  - {{id: e{i}, type: process, boundary: b{i}}}' for i in range(0, n, 2)]
lines += ['flows:'] + [f'  - {{id: f{i}, from: e{i}, to: e{i + 2}}}' for i in range(0, n - 2, 2)]
open(sys.argv[1], 'w').write('\n'.join(lines) + '\n')
PY
model_bytes=$(stat -c %s "$work/nested.tm.yaml")
if "$tmc" check "$work/nested.tm.yaml" >/dev/null 2>&1 || [ $? = 1 ]; then
  for format in dot mermaid ascii; do
    bytes=$("$tmc" diagram --format $format "$work/nested.tm.yaml" 2>/dev/null | wc -c)
    echo "nested boundaries: $format is $bytes bytes for a $model_bytes-byte model"
    [ "$bytes" -le $((model_bytes * 12)) ] || fail "$format output of 400 nested boundaries is $bytes bytes (model $model_bytes)"
  done
else
  echo "skipped the nesting size check: the model's nesting is refused by the model limits"
fi
# 8. Mermaid stays within what GitHub renders (maxEdges 500, maxTextSize
# 50,000): a boundary with 700 flows between 200 elements whose names
# alone exceed 50,000 characters, one element with 600 flows. The capped drawing keeps the arrows of the
# worst open item, says what it left out, warns, and is deterministic; a
# small model's Mermaid is untouched.
python3 - "$work/busy.tm.yaml" <<'PY'
import sys
long = "x" * 300
lines = ['tmc: 1', 'title: busy', 'boundaries:', '  - {id: hub, name: Hub}', 'elements:', '  - {id: outsider, type: external}']
lines += [f'  - {{id: n{i}, name: "Node {i} {long}", type: process, boundary: hub}}' for i in range(200)]
lines += ['flows:']
lines += [f'  - {{id: f{k}, from: n{k % 200}, to: n{(k * 7 + 1) % 200}, protocol: HTTPS}}' for k in range(700)]
lines += [f'  - {{id: g{k}, from: outsider, to: n{k % 200}, protocol: HTTPS}}' for k in range(600)]
lines += ['  - {id: hot, from: n3, to: n5, protocol: HOTPROTO}', '  - {id: hot2, from: outsider, to: n7, protocol: HOTTWO}']
lines += ['threats:', '  - {id: T1, title: Critical on one flow, target: hot, stride: [T], likelihood: 3, impact: 3, status: open}',
          '  - {id: T2, title: Critical on another, target: hot2, stride: [T], likelihood: 3, impact: 3, status: open}']
open(sys.argv[1], 'w').write('\n'.join(lines) + '\n')
PY
edges() { grep -cE -- '-->|==>|---' "$1" || true; }
for view in "--boundary hub" "--focus outsider"; do
  name=view$(echo "$view" | tr -cd 'a-z0-9')
  "$tmc" diagram --format mermaid $view "$work/busy.tm.yaml" -o "$work/$name.mmd" 2>"$work/$name.err" || fail "mermaid $view exited $?"
  n=$(edges "$work/$name.mmd") chars=$(wc -m < "$work/$name.mmd")
  echo "mermaid $view: $n arrows, $chars characters"
  [ "$n" -le 500 ] || fail "mermaid $view has $n arrows (GitHub draws at most 500)"
  [ "$chars" -lt 50000 ] || fail "mermaid $view has $chars characters (GitHub draws at most 50,000)"
  grep -q '\[mermaid-capped\]' "$work/$name.err" || fail "no mermaid-capped warning for $view: $(cat "$work/$name.err")"
  grep -qE '^  %% [0-9]+ of [0-9]+ arrows drawn' "$work/$name.mmd" || fail "mermaid $view does not say (comment) what it left out"
  grep -q 'note_capped\["' "$work/$name.mmd" || fail "mermaid $view does not say (note) what it left out"
  "$tmc" diagram --format mermaid $view "$work/busy.tm.yaml" 2>/dev/null | cmp -s - "$work/$name.mmd" || fail "capped mermaid $view is not deterministic"
done
grep -q 'HOTPROTO' "$work/viewboundaryhub.mmd" || fail "the arrow of the worst open item was left out of --boundary hub"
grep -q 'HOTTWO' "$work/viewfocusoutsider.mmd" || fail "the arrow of the worst open item was left out of --focus outsider"
"$tmc" diagram --format mermaid "$work/busy.tm.yaml" -o "$work/whole.mmd" 2>/dev/null
[ "$(edges "$work/whole.mmd")" -le 500 ] && [ "$(wc -m < "$work/whole.mmd")" -lt 50000 ] || fail "the whole busy model's Mermaid is over GitHub's limits"
"$tmc" diagram --format mermaid "$micro" -o "$work/micro.mmd" 2>"$work/micro.err"
! grep -q 'mermaid-capped' "$work/micro.err" || fail "a small model's Mermaid was capped"
! grep -q 'note_capped\|%%' "$work/micro.mmd" || fail "a small model's Mermaid has a cap note"

echo "diagram layout: all checks passed"
