#!/usr/bin/env bash
# SARIF against the official 2.1.0 schema, CSV through a real CSV parser,
# JSON through a JSON parser; on the specification's examples, our
# templates and the injection model. Args: $1 tmc, $2 source dir.
set -euo pipefail
tmc=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
schema="$src/tests/third_party/sarif/sarif-schema-2.1.0.json"
examples="$src/tests/third_party/examples"
[ -f "$schema" ] || { echo "FAIL: missing test fixture $schema" >&2; exit 1; }
models=("$src"/templates/*.tm.yaml "$src/tests/render/injection.tm.yaml" "$examples/payments.tm.yaml" "$examples/web-login.tm.yaml")
for m in "${models[@]}"; do [ -f "$m" ] || { echo "FAIL: missing model $m" >&2; exit 1; }; done
for m in "${models[@]}"; do
  n=$(basename "$m" .tm.yaml)
  [[ $m == "$examples"/* ]] && n=example-$n   # templates/ has a payments.tm.yaml and a web-login.tm.yaml too
  "$tmc" report --today 2026-11-22 "$m" -o "$work/$n.sarif" 2>/dev/null
  "$tmc" report --today 2026-11-22 --min-bucket all "$m" -o "$work/$n-all.sarif" 2>/dev/null
  if [ "$(basename "$m")" = payments.tm.yaml ] && "$tmc" report --min-bucket P3 "$m" -o "$work/p3.sarif" 2>/dev/null; then echo "FAIL: P3 on a scale-3 model accepted"; exit 1; fi
  "$tmc" report --today 2026-11-22 "$m" -o "$work/$n.csv" 2>/dev/null
  "$tmc" report --today 2026-11-22 "$m" -o "$work/$n.json" 2>/dev/null
done
/usr/bin/python3 - "$work" "$schema" <<'PY'
import csv, glob, json, os, sys
import jsonschema
work, schema_path = sys.argv[1], sys.argv[2]
checked = 0
schema = json.load(open(schema_path))
validator = jsonschema.Draft7Validator(schema) if "draft-07" in schema.get("$schema", "") else jsonschema.validators.validator_for(schema)(schema)
for path in sorted(glob.glob(os.path.join(work, "*.sarif"))):
    log = json.load(open(path))
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, f"{path}: {errors[0].message} at {list(errors[0].absolute_path)}"
    for result in log["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1, path
    checked += 1
assert checked, "no SARIF file was written"
# An invalid SARIF must fail, or this check proves nothing.
broken = json.load(open(sorted(glob.glob(os.path.join(work, "*.sarif")))[0]))
broken["version"] = "9.9"
assert list(validator.iter_errors(broken)), "the schema accepted a broken SARIF"
header = "id,component,threat,description,likelihood,impact,risk_score,mitigation,owner,due,date_identified,status".split(",")
for path in sorted(glob.glob(os.path.join(work, "*.csv"))):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == header, (path, rows[0])
    for row in rows:
        assert len(row) == 12, (path, row)
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", (path, cell)
for path in sorted(glob.glob(os.path.join(work, "*.json"))):
    data = json.load(open(path))
    assert data["format"] == 2 and "analysis" in data and "model" in data, path
inj = list(csv.reader(open(os.path.join(work, "injection.csv"), newline="")))
assert inj[1][2] == "'=1+1 <script>window.__pwned=8</script>", inj[1]
print(f"machine outputs: {checked} SARIF files valid against the 2.1.0 schema; CSV and JSON parse")
PY
