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

# --- 8. DEL in the model: every JSON document on stdout stays JSON ---------
# The writers left DEL raw and the terminal-safe printer made it `\x7f`.
del="$in/del.tm.yaml"
json_stdout() {  # name, command...: stdout parses as JSON, with no raw DEL
  local name=$1; shift
  "$@" >"$work/$name.json" 2>"$work/$name.err"
  python3 - "$work/$name.json" <<'PY' || { fail "$name: stdout is not JSON"; head -c 600 "$work/$name.json"; }
import json, sys
raw = open(sys.argv[1], "rb").read()
assert b"\x7f" not in raw, "raw DEL"
json.loads(raw.decode("utf-8"))
PY
}
json_stdout check "$tmc" check --format json "$del"
json_stdout report-json "$tmc" report --format json "$del" -o -
json_stdout report-sarif "$tmc" report --format sarif --min-bucket all "$del" -o -
json_stdout export-td "$tmc" export --format threat-dragon "$del" -o -
json_stdout export-otm "$tmc" export --format otm --with-findings "$del" -o -
json_stdout baseline "$tmc" baseline "$del" -o -
json_stdout threats "$tmc" threats --all --format json "$del"
json_stdout crossings "$tmc" crossings --format json "$del"
json_stdout coverage "$tmc" coverage --format json "$del"
json_stdout coverage-path "$tmc" coverage --format json --path p1 "$del"
json_stdout tree "$tmc" tree --format json "$del"
json_stdout diff "$tmc" diff --format json "$src/templates/web-login.tm.yaml" "$del"
json_stdout rules "$tmc" rules --format json --rules "$in/del.rules.yaml"
json_stdout rule "$tmc" rules --format json --rules "$in/del.rules.yaml" TEAM-DEL
# What stdout shows is what a file holds: the same JSON value.
"$tmc" report --format json "$del" -o "$work/del-file.json" 2>/dev/null
python3 - "$work/del-file.json" "$work/report-json.json" <<'PY' || fail "report -o - and report -o FILE differ"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a == b
assert "\x7f" in a["model"]["title"], a["model"]["title"]
PY

[ $failures -eq 0 ] && echo "hardening3: all checks passed"
exit $((failures > 0))
