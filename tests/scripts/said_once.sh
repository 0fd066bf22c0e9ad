#!/usr/bin/env bash
# Issue 12, noise: each fact is said once. An undeclared crossing is the
# finding TMC-CROSSING-UNDECLARED, not also a warning of the same name
# (unless the rule is off), and --strict still fails on it. Scores: a
# mutable audit log of a ledger with integrity high ranks above watch, and
# every output says why the score was raised.
# Args: $1 tmc binary, $2 source dir.
set -euo pipefail
tmc=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
code() { set +e; "$@" >/dev/null 2>&1; echo $?; set -e; }
model="$src/tests/noise/undeclared-crossing.tm.yaml"

out=$("$tmc" threats --today 2026-11-22 "$model" 2>&1)
[ "$(grep -c "TMC-CROSSING-UNDECLARED" <<<"$out")" = 1 ] || fail "one finding expected: $out"
out=$("$tmc" check --today 2026-11-22 "$model" 2>&1)
[ -z "$out" ] || fail "the warning repeats the finding: $out"
out=$("$tmc" check --format json --today 2026-11-22 "$model" 2>&1)
if grep -q "\"undeclared-crossing\"" <<<"$out"; then fail "the JSON diagnostics repeat the finding: $out"; fi
grep -q "\"rule\": \"TMC-CROSSING-UNDECLARED\"" <<<"$out" || fail "the JSON findings hold the finding: $out"
[ "$(code "$tmc" check --today 2026-11-22 "$model")" = 0 ] || fail "the finding is in watch: the model is done"
[ "$(code "$tmc" check --strict --today 2026-11-22 "$model")" = 2 ] || fail "--strict must fail on an undeclared crossing"
out=$("$tmc" check --strict --today 2026-11-22 "$model" 2>&1 || true)
grep -q "error: flow 'call' crosses a trust boundary but does not declare 'authorization' and 'validation'.*\[undeclared-crossing\]" <<<"$out" || fail "--strict error: $out"

# With the rule switched off, the warning is the only place that says it.
{ cat "$model"; printf 'rules:\n  - {rule: TMC-CROSSING-UNDECLARED, enabled: false, reason: the platform model declares it}\n'; } > "$work/off.tm.yaml"
out=$("$tmc" threats --today 2026-11-22 "$work/off.tm.yaml" 2>&1)
if grep -q "TMC-CROSSING-UNDECLARED" <<<"$out"; then fail "the rule is off: $out"; fi
out=$("$tmc" check --today 2026-11-22 "$work/off.tm.yaml" 2>&1)
grep -q "warning: flow 'call' crosses a trust boundary.*\[undeclared-crossing\]" <<<"$out" || fail "warning when the rule is off: $out"

# A raise for the value of the assets at stake, explained everywhere.
log="$src/tests/noise/mutable-audit-log.tm.yaml"
why="impact 3: what is at stake: asset 'ledger' has integrity high"
out=$("$tmc" threats --today 2026-11-22 "$log" 2>&1)
grep -q "TMC-MUTABLE-AUDIT-LOG  1x3=3  fix-soon" <<<"$out" || fail "the mutable ledger log ranks fix-soon: $out"
out=$("$tmc" threats --today 2026-11-22 --explain TMC-MUTABLE-AUDIT-LOG:audit "$log" 2>&1)
grep -qF "  $why" <<<"$out" || fail "explain names the raise: $out"
grep -q "rule default: likelihood 1 x impact 2" <<<"$out" || fail "explain names the default: $out"
out=$("$tmc" report --format json --today 2026-11-22 "$log" 2>&1)
grep -qF "\"$why\"" <<<"$out" || fail "JSON carries the raise: $out"
out=$("$tmc" report --template full --today 2026-11-22 "$log" 2>&1)
grep -qF "*Score:* likelihood 1 × impact 3 (rule default 1 × 2; $why)" <<<"$out" || fail "the Markdown report explains the score: $out"

# A hygiene rule (stakes: none) on an element that holds financial
# data: --explain says why nothing raised it, not that nothing is at stake.
cat > "$work/hygiene.tm.yaml" <<'YML'
tmc: 1
title: hygiene explain
boundaries: [{id: corp, trust: 2}]
assets: [{id: bank, classes: [financial]}]
elements:
  - {id: agent, type: external, kind: person, boundary: corp}
  - {id: console, type: process, kind: web-app, boundary: corp, assets: [bank]}
flows:
  - {id: use, from: agent, to: console, protocol: HTTPS, data: [bank], authentication: password only, authorization: support group, validation: form}
YML
out=$("$tmc" threats --today 2026-11-22 --explain TMC-NO-SECOND-FACTOR "$work/hygiene.tm.yaml" 2>&1)
grep -qF "no raise: a hygiene rule (stakes: none) keeps its default score whatever the target handles" <<<"$out" || fail "explain of a hygiene rule: $out"
if grep -q "handles no sensitive data" <<<"$out"; then fail "explain says a console with bank data handles none: $out"; fi
echo ok
