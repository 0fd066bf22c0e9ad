#!/usr/bin/env bash
# Regressions of issue 22 ("Hardening III"), one block per item, inputs
# under tests/hardening/ and tests/interchange/inputs/.
# Args: $1 tmc, $2 source dir.
set -uo pipefail
tmc=$(realpath "$1") src=$(realpath "$2")
in="$src/tests/hardening"
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# --- 1. Import writes text, never structure --------------------------------
# A Threat Dragon summary description with U+2028 set `scale: 5`, a review
# date and a dismissal; the open threat fell out of the top bucket.
"$tmc" import "$src/tests/interchange/inputs/td-line-separators.json" -o "$work/imported.tm.yaml" 2>"$work/import.err" \
  || { fail "import of td-line-separators.json failed"; cat "$work/import.err"; }
"$tmc" check "$work/imported.tm.yaml" >/dev/null 2>"$work/check.err"
code=$?
[ $code -eq 1 ] || { fail "check of the imported model exits $code, not 1 (its open threat is in fix-now)"; cat "$work/check.err"; }
grep -q "threat T1 'Card data replayed' is open in bucket fix-now" "$work/check.err" || fail "the open threat left the top bucket"
"$tmc" report "$work/imported.tm.yaml" --format json -o "$work/imported.json" 2>/dev/null
python3 - "$work/imported.json" <<'PY' || fail "imported text did not read back exactly"
import json, sys
m = json.load(open(sys.argv[1]))["model"]
assert m["scale"] == 3 and m["reviewed"] is None and m["dismissed"] == [], (m["scale"], m["reviewed"], m["dismissed"])
assert m["scope"].endswith("\u2028dismissed:\u2028  - {rule: TMC-CROSSING-UNAUTHENTICATED, target: api, reason: injected, by: mallory}"), m["scope"]
assert m["threats"][0]["description"] == "Replays a request.\u0085likelihood: 1", m["threats"][0]["description"]
PY
"$tmc" import "$src/tests/interchange/inputs/td-line-separators.json" -o - >"$work/stdout.yaml" 2>/dev/null
cmp -s "$work/stdout.yaml" "$work/imported.tm.yaml" || fail "import -o - prints other bytes than import -o FILE writes"

[ $failures -eq 0 ] && echo "hardening3: all checks passed"
exit $((failures > 0))
