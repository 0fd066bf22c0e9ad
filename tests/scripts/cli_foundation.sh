#!/usr/bin/env bash
# End-to-end checks of the command line: exit codes, diagnostics, init,
# schema. Args: $1 tmc binary, $2 source dir, $3 build dir.
set -euo pipefail
tmc=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Valid models (the specification's examples, our templates, our own model): exit 0 or 1, no errors.
models=("$src"/templates/*.tm.yaml "$src/threat-model.tm.yaml" "$src/tests/gate/adoption.tm.yaml"
        "$src/tests/third_party/examples/payments.tm.yaml" "$src/tests/third_party/examples/web-login.tm.yaml")
for m in "${models[@]}"; do
  [ -f "$m" ] || fail "missing model $m"
  set +e; out=$("$tmc" check "$m" 2>&1); rc=$?; set -e
  [ $rc -le 1 ] || fail "check $m exited $rc: $out"
  if grep ': error:' <<<"$out" | grep -vq '\[not-done\]\|\[stale-model\]'; then fail "errors on $m: $out"; fi
done

# An invalid model: exit 2, compiler-style first line, summary last.
printf 'tmc: 1\ntitle: t\nelements:\n  - id: api\n    type: proces\n' > "$work/bad.tm.yaml"
set +e; out=$("$tmc" check "$work/bad.tm.yaml" 2>&1); rc=$?; set -e
[ $rc -eq 2 ] || fail "invalid model exited $rc"
[ "$(head -1 <<<"$out")" = "$work/bad.tm.yaml:5:11: error: 'proces' is not a valid type; did you mean 'process'? [invalid-value]" ] || fail "first line: $out"
[ "$(tail -1 <<<"$out")" = "$work/bad.tm.yaml: 1 error" ] || fail "summary: $out"

# --excerpt shows the line and a caret.
out=$("$tmc" check --excerpt "$work/bad.tm.yaml" 2>&1 || true)
grep -q '^    5 |     type: proces$' <<<"$out" || fail "excerpt line: $out"
grep -q '^      |           \^~~~~~$' <<<"$out" || fail "caret: $out"

# --format json is valid JSON with the diagnostic.
"$tmc" check --format json "$work/bad.tm.yaml" > "$work/out.json" || true
python3 - "$work/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
diags = d["diagnostics"]
assert any(x["code"] == "invalid-value" and x["line"] == 5 and x["column"] == 11 for x in diags), diags
PY

# Missing file and bad usage: exit 2.
set +e; "$tmc" check "$work/missing.tm.yaml" 2>"$work/err"; rc=$?; set -e
[ $rc -eq 2 ] || fail "missing file exited $rc"
grep -q "cannot read '$work/missing.tm.yaml': No such file or directory \[read-error\]" "$work/err" || fail "missing file message: $(cat "$work/err")"
set +e; "$tmc" chek x 2>"$work/err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "unknown command 'chek'; did you mean 'check'?" "$work/err" || fail "unknown command: $(cat "$work/err")"
set +e; "$tmc" check 2>/dev/null; rc=$?; set -e
[ $rc -eq 2 ] || fail "check without a model exited $rc"
set +e; "$tmc" check --max-file-size 12Q "$src/threat-model.tm.yaml" 2>/dev/null; rc=$?; set -e
[ $rc -eq 2 ] || fail "bad --max-file-size exited $rc"

# Limits from the command line: a 20 MiB file, a billion-laughs file.
head -c $((20 * 1024 * 1024)) /dev/zero | tr '\0' '#' > "$work/big.tm.yaml"
set +e; out=$("$tmc" check "$work/big.tm.yaml" 2>&1); rc=$?; set -e
[ $rc -eq 2 ] && grep -q "file-too-large" <<<"$out" || fail "20 MiB file: $rc $out"
python3 -c "print('a: ' + '['*100000 + ']'*100000)" > "$work/deep.tm.yaml"
set +e; out=$("$tmc" check "$work/deep.tm.yaml" 2>&1); rc=$?; set -e
[ $rc -eq 2 ] && grep -q "too-deep" <<<"$out" || fail "100,000-deep file: $rc $out"
set +e; out=$("$tmc" check "$src/tests/diag/alias-expansion.tm.yaml" 2>&1); rc=$?; set -e
[ $rc -eq 2 ] && grep -q "alias-expansion" <<<"$out" || fail "billion laughs: $rc $out"

# init writes each template, refuses to overwrite, and the result checks.
for t in blank web-login payments; do
  "$tmc" init --template $t "$work/$t.tm.yaml" 2>/dev/null
  set +e; out=$("$tmc" check "$work/$t.tm.yaml" 2>&1); rc=$?; set -e
  [ $rc -eq 0 ] || fail "the model 'init --template $t' writes does not pass check: $out"
  if grep -q ': error:' <<<"$out"; then fail "errors in the $t template: $out"; fi
done
set +e; "$tmc" init --template blank "$work/blank.tm.yaml" 2>"$work/err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "already exists" "$work/err" || fail "init overwrote a file"

# The JSON Schema validates every valid model and rejects a wrong one.
"$tmc" schema > "$work/schema.json"
/usr/bin/python3 - "$work/schema.json" "$work/bad.tm.yaml" "${models[@]}" <<'PY'
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
bad, models = sys.argv[2], sys.argv[3:]
for path in models:
    doc = yaml.safe_load(open(path))
    # PyYAML reads dates as date objects; the schema sees them as strings.
    doc = json.loads(json.dumps(doc, default=str))
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, f"{path}: {errors[0].message} at {list(errors[0].absolute_path)}"
doc = yaml.safe_load(open(bad))
assert list(validator.iter_errors(doc)), "the schema accepted an invalid element type"
print(f"schema: {len(models)} models valid, invalid model rejected")
PY
echo "cli_foundation: all checks passed"
