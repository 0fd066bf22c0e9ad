#!/usr/bin/env bash
# tmc tree end to end: all trees or one, --assume (repeatable, mixed with
# the ID), unknown tree or mitigation ids exit 2 with "did you mean",
# JSON and Mermaid formats, the DAG method line.
# Args: $1 tmc, $2 source dir.
set -euo pipefail
tmc=$1 src=$2
trees="$src/tests/trees"
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$tmc" tree "$trees/mitigations.tm.yaml")
grep -q "^AT1: Take over an account" <<<"$out" || fail "AT1 missing"
grep -q "^AT2: Read the audit log" <<<"$out" || fail "AT2 missing"
grep -qx "cheapest attack: low now, trivial ignoring mitigations" <<<"$out" || fail "AT1 before/after"
grep -qx "├─ Replay a leaked token  \[low\] (mitigation M3 in-progress)  <-- fix first" <<<"$out" || fail "fix first mark"
grep -q "M3     +medium            -> 110" <<<"$out" || fail "ranking"

# One tree; --assume before and after the ID.
out=$("$tmc" tree "$trees/mitigations.tm.yaml" --assume M3 AT1 --assume M2)
grep -q "^AT2" <<<"$out" && fail "ID did not select one tree"
grep -qx "cheapest attack: high now, trivial ignoring mitigations" <<<"$out" || fail "what-if M2 M3: $out"
grep -qx "└─ Bribe an insider  \[high\]  <-- fix first" <<<"$out" || fail "what-if fix first"

# Unknown ids: exit 2, did you mean, nothing on stdout.
set +e; stdout=$("$tmc" tree "$trees/mitigations.tm.yaml" AT3 2>/dev/null); rc=$?; set -e
[ -z "$stdout" ] || fail "unknown tree printed: $stdout"
err=$("$tmc" tree "$trees/mitigations.tm.yaml" AT3 2>&1 >/dev/null || true)
[ $rc = 2 ] || fail "unknown tree exited $rc"
grep -q "no attack tree 'AT3' in the model; did you mean 'AT1'?" <<<"$err" || fail "did you mean: $err"
set +e; err=$("$tmc" tree "$trees/mitigations.tm.yaml" --assume M33 2>&1 >/dev/null); rc=$?; set -e
[ $rc = 2 ] || fail "unknown mitigation exited $rc"
grep -q "no mitigation 'M33' in the model; did you mean 'M3'?" <<<"$err" || fail "mitigation did you mean: $err"

# DAG: exact, the shared leaf paid once.
out=$("$tmc" tree "$trees/dag-shared-leaf.tm.yaml")
grep -qx "method: exact (DAG, 1 shared leaf paid once)" <<<"$out" || fail "DAG method"
grep -qx "cheapest attack: 60 now, 60 ignoring mitigations" <<<"$out" || fail "DAG cost"

# JSON parses and holds the values; Mermaid is a flowchart.
"$tmc" tree --format json "$trees/mitigations.tm.yaml" | python3 -c '
import json, sys
trees = json.load(sys.stdin)
assert [t["id"] for t in trees] == ["AT1", "AT2"], trees
assert trees[0]["cheapest"] == 10 and trees[0]["cheapest_before_mitigations"] == 1
assert trees[0]["planned_mitigations"][0] == {"mitigation": "M3", "raises_to": 110, "raise": 100}
assert trees[1]["planned_mitigations"][0]["raise"] == "impossible"
' || fail "json"
"$tmc" tree --format mermaid "$trees/dag-shared-leaf.tm.yaml" | sed -n 1p | grep -qx "flowchart TD" || fail "mermaid"
echo "attack_trees: ok"
