#!/usr/bin/env bash
# `check --format json` and the JSON report describe a finding and a ranked
# entry in one shape (docs/json-output.md, format 2): on the same model,
# every finding of check equals the report's finding at the same place
# (same keys, same order, same values) apart from check's deprecated flat
# file/line/column, which follow `location` and repeat it; privacy is a
# list in both; both say "format": 2 after "tmc"; the ranked lists are
# equal; check says nothing on stderr about the deprecated keys.
# Args: $1 tmc binary, $2 source dir.
set -euo pipefail
tmc=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A finding addressed by a threat (the other models have none): the diff
# history's base model, with a threat for its TMC-EXTERNAL-TIMEOUT finding.
mkdir "$work/addressed"
sed 's/^dismissed:$/  - {id: T2, title: The vendor hangs, target: deliver, stride: [D], likelihood: 2, impact: 2, status: open, rule: TMC-EXTERNAL-TIMEOUT}\n&/' \
  "$src/tests/diff/0-base.tm.yaml" >"$work/addressed/newsletter.tm.yaml"
grep -q 'rule: TMC-EXTERNAL-TIMEOUT' "$work/addressed/newsletter.tm.yaml" || fail "the addressed model was not written"

models=("$src/templates/payments.tm.yaml" "$src/tests/third_party/examples/payments.tm.yaml"
        "$src/tests/third_party/examples/web-login.tm.yaml" "$src/tests/systems/llm-support-bot.tm.yaml"
        "$work/addressed/newsletter.tm.yaml")
for m in "${models[@]}"; do
  [ -f "$m" ] || fail "missing model $m"
  n=$(basename "$(dirname "$m")")-$(basename "$m" .tm.yaml)
  "$tmc" check --format json --today 2026-11-22 "$m" >"$work/$n.check.json" 2>"$work/$n.check.err" || true
  [ -s "$work/$n.check.err" ] && fail "check --format json $m wrote to stderr: $(cat "$work/$n.check.err")"
  "$tmc" report --format json --today 2026-11-22 "$m" -o "$work/$n.report.json" 2>/dev/null ||
    fail "report --format json $m"
done

python3 - "$work" <<'PY'
import glob, json, os, sys

FINDING = ["rule", "target", "target_kind", "title", "why", "mitigation", "stride", "privacy",
           "likelihood", "impact", "risk", "bucket", "raises", "facts", "status", "addressed_by",
           "fingerprint", "location"]
DEPRECATED = ["file", "line", "column"]
RANKED = ["id", "kind", "title", "risk", "bucket", "status", "fingerprint"]

def fail(message):
    sys.exit(f"FAIL: {message}")

seen = {"privacy": 0, "addressed": 0, "dismissed": 0, "expired": 0, "raises": 0, "facts": 0}
work = sys.argv[1]
pairs = sorted(glob.glob(os.path.join(work, "*.check.json")))
if len(pairs) != 5:
    fail(f"expected 5 models, got {pairs}")
for check_path in pairs:
    name = os.path.basename(check_path)[: -len(".check.json")]
    check = json.load(open(check_path))
    report = json.load(open(os.path.join(work, name + ".report.json")))
    for label, document in (("check", check), ("report", report)):
        if list(document)[:2] != ["tmc", "format"] or document["format"] != 2:
            fail(f"{name} {label}: must start with \"tmc\" and \"format\": 2, starts {list(document)[:2]}")
    if check["tmc"] != report["tmc"]:
        fail(f"{name}: check and report name different versions")
    if list(check)[2:] != ["diagnostics", "errors", "warnings", "not_shown", "done", "stale", "findings", "ranked"]:
        fail(f"{name}: check's top level is {list(check)}")
    mine, theirs = check["findings"], report["analysis"]["findings"]
    if not theirs:
        fail(f"{name}: the report has no findings; this test needs some")
    if len(mine) != len(theirs):
        fail(f"{name}: check has {len(mine)} findings, the report {len(theirs)}")
    for c, r in zip(mine, theirs):
        where = f"{name} {r.get('rule')}:{r.get('target')}"
        if list(r) != FINDING:
            fail(f"{where}: the report's finding has keys {list(r)}")
        if list(c) != FINDING + DEPRECATED:
            fail(f"{where}: check's finding has keys {list(c)}")
        flat = {key: c.pop(key) for key in DEPRECATED}
        if flat != c["location"]:
            fail(f"{where}: the deprecated flat keys {flat} are not the location {c['location']}")
        # Key order included, nested objects too.
        if json.dumps(c) != json.dumps(r):
            fail(f"{where}: check's finding differs from the report's:\n{json.dumps(c)}\n{json.dumps(r)}")
        for f in (c, r):
            if not isinstance(f["privacy"], list) or not all(isinstance(p, str) for p in f["privacy"]):
                fail(f"{where}: privacy is not a list of strings: {f['privacy']!r}")
            if len(f["fingerprint"]) != 16:
                fail(f"{where}: fingerprint {f['fingerprint']!r}")
        seen["privacy"] += bool(r["privacy"])
        seen["addressed"] += r["status"] == "addressed" and r["addressed_by"] is not None
        seen["dismissed"] += r["status"] == "dismissed"
        seen["raises"] += bool(r["raises"])
        seen["facts"] += bool(r["facts"])
    ranked_mine, ranked_theirs = check["ranked"], report["analysis"]["ranked"]
    for entry in ranked_mine + ranked_theirs:
        if list(entry) != RANKED:
            fail(f"{name}: a ranked entry has keys {list(entry)}")
    if json.dumps(ranked_mine) != json.dumps(ranked_theirs):
        fail(f"{name}: the ranked lists differ:\n{json.dumps(ranked_mine)}\n{json.dumps(ranked_theirs)}")
    seen["expired"] += sum("expired" in entry["status"] for entry in ranked_theirs)
    # An open finding's fingerprint is its ranked entry's.
    ranked_print = {e["id"]: e["fingerprint"] for e in ranked_theirs if e["kind"] == "finding"}
    for f in theirs:
        if f["status"] == "open" and ranked_print.get(f"{f['rule']}:{f['target']}") != f["fingerprint"]:
            fail(f"{name} {f['rule']}:{f['target']}: fingerprint differs from its ranked entry's")
# The models must exercise every case the shape has, or the comparison proves little.
missing = [case for case, count in seen.items() if count == 0]
if missing:
    fail(f"no model exercised: {missing}")
print(f"json_one_finding_shape: {len(pairs)} models, {seen}")
PY
echo "json_one_finding_shape: all checks passed"
