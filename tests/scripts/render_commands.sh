#!/usr/bin/env bash
# report, diagram and backlog: exit 0 when written (done or not), 2 on an
# invalid model with nothing written; --path and --focus views; formats.
# Args: $1 tmc, $2 source dir.
set -euo pipefail
tmc=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
model="$src/templates/payments.tm.yaml"
printf 'tmc: 1\ntitle: t\nelements:\n  - {id: a, type: process}\nthreats:\n  - {id: T1, title: open, target: a, likelihood: 3, impact: 3}\n' > "$work/open.tm.yaml"
printf 'tmc: 1\ntitle: t\nscale: 4\n' > "$work/invalid.tm.yaml"

# Not done is not a rendering error.
"$tmc" report "$work/open.tm.yaml" -o "$work/open.md" 2>/dev/null || fail "report on a not-done model must exit 0"
[ -s "$work/open.md" ] || fail "report not written"
# Invalid: exit 2 and nothing written.
for cmd in "report -o $work/bad.md" "report -o $work/bad.html" "diagram -o $work/bad.svg" "backlog -o $work/bad-backlog"; do
  set +e; "$tmc" ${cmd%% *} "$work/invalid.tm.yaml" ${cmd#* } 2>/dev/null; rc=$?; set -e
  [ $rc = 2 ] || fail "'$cmd' on an invalid model exited $rc"
done
[ -z "$(ls "$work" | grep bad)" ] || fail "something was written for an invalid model: $(ls "$work")"

# Formats by extension and by --format.
"$tmc" diagram "$model" -o "$work/d.svg"; head -c 200 "$work/d.svg" | grep -q "<svg\|<?xml" || fail "svg"
"$tmc" diagram "$model" -o "$work/d.dot"; grep -q "^digraph dfd {" "$work/d.dot" || fail "dot"
"$tmc" diagram --format ascii "$model" | grep "═══▶" >/dev/null || fail "ascii"
"$tmc" report --format json "$model" | python3 -c "import json,sys; json.load(sys.stdin)" || fail "json to stdout"
set +e; "$tmc" report "$model" -o "$work/x.docx" 2>"$work/err"; rc=$?; set -e
[ $rc = 2 ] && grep -q "unknown format 'docx'" "$work/err" || fail "unknown format"

# --path draws only the request's flows; --focus one element's neighbourhood.
"$tmc" diagram --path refund "$model" > "$work/path.mmd"
grep -q "e_agent_5fbrowser" "$work/path.mmd" || fail "--path lost the path's first element"
! grep -q "e_shopper_5fbrowser" "$work/path.mmd" || fail "--path drew an element off the path"
[ "$(grep -c -- '-->\|==>' "$work/path.mmd")" = 4 ] || fail "--path should draw 4 flows"
"$tmc" diagram --focus reconciler "$model" > "$work/focus.mmd"
[ "$(grep -c -- '-->\|==>' "$work/focus.mmd")" = 2 ] || fail "--focus should draw the 2 flows of the reconciler"
set +e; "$tmc" diagram --focus reconcilr "$model" 2>"$work/err"; rc=$?; set -e
[ $rc = 2 ] && grep -q "did you mean 'reconciler'" "$work/err" || fail "--focus did-you-mean"

# Backlog: one issue per urgent open item, plus CSV and JSON.
web_login="$src/tests/third_party/examples/web-login.tm.yaml"
[ -f "$web_login" ] || fail "missing model $web_login"
"$tmc" backlog "$web_login" -o "$work/backlog" 2>"$work/err" || fail "backlog of web-login: $(cat "$work/err")"
# 5 in the top two buckets: T1, T2 and three findings; the hardening rules (HSTS, WAF, audit trail,
# timeouts) need a further condition and rank P2 (issue 21).
[ "$(ls "$work/backlog" | grep -c '\.md$')" = 5 ] || fail "backlog issues: $(ls "$work/backlog")"
head -1 "$work/backlog/threat-T1.md" | grep -q '^# \\\[SEC\\\]\\\[P0\\\] Credential stuffing on login$' || fail "issue title: $(head -1 "$work/backlog/threat-T1.md")"
python3 -c "import csv,json,sys; rows=list(csv.reader(open('$work/backlog/backlog.csv'))); assert len(rows)==6, rows; assert len(json.load(open('$work/backlog/backlog.json')))==5"
echo "render_commands: all checks passed"
