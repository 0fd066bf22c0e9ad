#!/usr/bin/env bash
# Regressions of issue 15 ("Hardening II", wrong or unsafe output), one
# block per defect, inputs under tests/hardening/. Args: $1 tmc, $2 source dir.
set -uo pipefail
tmc=$(realpath "$1") src=$(realpath "$2")
in="$src/tests/hardening"
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# True when the file holds no byte a terminal would act on: C0 controls but
# TAB/LF (and CR before LF), DEL, C1 controls, bidi controls, invalid UTF-8.
terminal_clean() {
  python3 - "$1" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit(f"not UTF-8: {e}")
bad = re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)", text)
if bad:
    sys.exit(f"raw control U+{ord(bad.group(0)[0]):04X} at {bad.start()}: {text[max(0, bad.start()-40):bad.start()+10]!r}")
PY
}

# --- Terminal escapes: model and rule text, file names of includes -------
mkdir -p "$work/esc"
cp "$in/terminal-escapes.tm.yaml" "$work/esc/m.tm.yaml"
cp "$in/part.yaml" "$work/esc/part"$'\e'"[31m.yaml"
rules="$in/terminal-escapes.rules.yaml"
run_clean() {  # name, command...: stdout and stderr must be terminal-clean
  local name=$1; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err"
  for stream in out err; do
    terminal_clean "$work/$name.$stream" || fail "$name: raw control characters on std$stream"
  done
}
run_clean check "$tmc" check --excerpt "$work/esc/m.tm.yaml"
grep -qF 'part\x1b[31m.yaml:2:55: warning' "$work/check.err" || fail "check: the included file's name is not shown escaped"
run_clean coverage "$tmc" coverage --path p1 "$work/esc/m.tm.yaml"
grep -qF 'Login \x1b[5m path' "$work/coverage.out" || fail "coverage --path: the escape is not shown visibly"
grep -qF 'Sign requests \u202eyaw' "$work/coverage.out" || fail "coverage --path: the bidi override is not shown visibly"
run_clean threats "$tmc" threats "$work/esc/m.tm.yaml"
run_clean crossings "$tmc" crossings "$work/esc/m.tm.yaml"
run_clean threats-json "$tmc" threats --format json "$work/esc/m.tm.yaml"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/threats-json.out" || fail "threats --format json: escaped stdout is no longer JSON"
run_clean rules-id "$tmc" rules --rules "$rules" TEAM-ESC
grep -qF 'Escapes \x1b[31m in a rule \u202eeltit' "$work/rules-id.out" || fail "rules ID: the title is not shown escaped"
for format in md html json csv sarif; do
  run_clean "report-$format" "$tmc" report --format "$format" "$work/esc/m.tm.yaml" -o -
done
for format in mermaid dot ascii; do
  run_clean "diagram-$format" "$tmc" diagram --format "$format" "$work/esc/m.tm.yaml" -o -
done
run_clean tree "$tmc" tree "$work/esc/m.tm.yaml"
# A file written with -o keeps the model text as it is (only the terminal is escaped).
"$tmc" report --format json "$work/esc/m.tm.yaml" -o "$work/esc.json" 2>/dev/null
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any("\u202e" in e["name"] for e in d["model"]["elements"]), d' "$work/esc.json" \
  || fail "report -o FILE: model text was altered in a file"

# --- A non-UTF-8 file name: no uncaught exception -------------------------
printf 'tmc-rules: 1\nrules: []\n' > "$work/r"$'\xff'".yaml"
"$tmc" rules --rules "$work/r"$'\xff'".yaml" --format json >"$work/nonutf8.out" 2>"$work/nonutf8.err"
code=$?
[ $code -eq 0 ] || { fail "rules with a non-UTF-8 rule file name exits $code"; cat "$work/nonutf8.err"; }
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/nonutf8.out" || fail "rules --format json with a non-UTF-8 file name: not JSON"
"$tmc" check --format json "$work/nowhere"$'\xff'".tm.yaml" >"$work/nonutf8-check.out" 2>"$work/nonutf8-check.err"
[ $? -eq 2 ] || fail "check of a missing non-UTF-8 path does not exit 2"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/nonutf8-check.out" || fail "check --format json with a non-UTF-8 path: not JSON"
grep -q 'terminate\|abort' "$work/nonutf8-check.err" "$work/nonutf8.err" && fail "an exception escaped"

# --- Write errors on stdout -------------------------------------------------
if [ -w /dev/full ]; then
  for command in "threats" "coverage" "report --format json" "rules" "schema" "version"; do
    if [ "$command" = rules ] || [ "$command" = schema ] || [ "$command" = version ]; then
      $tmc $command > /dev/full 2>"$work/full.err"
    else
      $tmc $command "$src/templates/web-login.tm.yaml" > /dev/full 2>"$work/full.err"
    fi
    code=$?
    [ $code -eq 2 ] || fail "tmc $command > /dev/full exits $code, not 2"
    grep -q "cannot write to standard output" "$work/full.err" || fail "tmc $command > /dev/full: no message"
  done
fi

# --- CSV: cells with a separator of any locale are quoted --------------------
"$tmc" report "$in/csv-semicolon.tm.yaml" -o "$work/semi.csv" 2>/dev/null
python3 - "$work/semi.csv" <<'PY' || fail "CSV: a cell with ; TAB or | is not quoted, or a formula is live"
import csv, sys
raw = open(sys.argv[1], newline="").read()
for sep in ",;\t|":  # what a spreadsheet of each locale sees
    for row in csv.reader(raw.splitlines(), delimiter=sep):
        for cell in row:
            assert not cell.lstrip('"').startswith(("=", "+", "@", "-")), f"split on {sep!r}: live formula cell {cell!r}"
rows = list(csv.reader(raw.splitlines()))
assert all(len(r) == 12 for r in rows), rows
assert any(r[2] == "x;'=HYPERLINK(\"http://evil\")" for r in rows), rows
PY

# --- --rules takes one value per flag ----------------------------------------
"$tmc" report --rules "$rules" "$src/templates/web-login.tm.yaml" -o "$work/one.html" 2>"$work/one.err"
code=$?
{ [ $code -eq 0 ] && [ -s "$work/one.html" ]; } || { fail "report --rules R MODEL -o X exits $code"; cat "$work/one.err"; }
"$tmc" rules --rules "$rules" TEAM-ESC >/dev/null 2>&1 || fail "rules --rules R ID swallowed the ID"
"$tmc" check --rules "$rules" --rules "$rules" "$src/templates/web-login.tm.yaml" 2>"$work/twice.err"
grep -q "TEAM-ESC" "$work/twice.err" || true  # (duplicate ids are reported by the library)

# --- Rule-file errors talk about a rule file -----------------------------------
: > "$work/empty.rules.yaml"
printf -- '- a\n' > "$work/list.rules.yaml"
"$tmc" rules --rules "$work/empty.rules.yaml" 2>"$work/wording.err"
"$tmc" rules --rules "$work/list.rules.yaml" 2>>"$work/wording.err"
grep -q "model" "$work/wording.err" && { fail "rule-file errors mention a model"; cat "$work/wording.err"; }
grep -q "a rule file starts with 'tmc-rules: 1'" "$work/wording.err" || fail "empty rule file: wording"

# --- coverage --path lists a threat once per hop ---------------------------------
"$tmc" coverage --path p1 "$in/coverage-path-twice.tm.yaml" >"$work/twice.out" 2>&1
[ "$(grep -c 'T1 \[S\]' "$work/twice.out")" = 1 ] || { fail "coverage --path lists T1 more than once"; cat "$work/twice.out"; }
"$tmc" coverage --format json --path p1 "$in/coverage-path-twice.tm.yaml" >"$work/twice.json" 2>&1
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); t=d["paths"][0]["hops"][0]["threats"]; assert len(t)==1, t' "$work/twice.json" \
  || fail "coverage --format json --path lists T1 more than once"

# --- include: ['.'] is a directory, not a symbolic link; NUL in an include entry --
"$tmc" check "$src/tests/diag/include-directory.tm.yaml" 2>"$work/dir.err"
grep -q "include '.' is a directory" "$work/dir.err" || { fail "include: ['.'] is not called a directory"; cat "$work/dir.err"; }
grep -q "symbolic link" "$work/dir.err" && fail "include: ['.'] is blamed on a symbolic link"
"$tmc" check "$src/tests/diag/include-nul.tm.yaml" 2>"$work/nul.err"
grep -q "holds a NUL character" "$work/nul.err" || { fail "a NUL in an include entry is not rejected"; cat "$work/nul.err"; }

# --- NUL in a rule id ---------------------------------------------------------------
"$tmc" rules --rules "$in/rule-id-nul.rules.yaml" >/dev/null 2>"$work/ruleid.err"
[ $? -eq 2 ] || fail "a rule id with a NUL is accepted"
grep -qF "'TEAM-A\x00B' is not a valid rule id" "$work/ruleid.err" || { fail "rule id with NUL: no diagnostic"; cat "$work/ruleid.err"; }

# --- SARIF artifact URIs are percent-encoded (RFC 3986) -----------------------------
mkdir -p "$work/sarif dir"
cp "$src/templates/web-login.tm.yaml" "$work/sarif dir/my model#1%20?.tm.yaml"
(cd "$work" && "$tmc" report --min-bucket all "sarif dir/my model#1%20?.tm.yaml" -o "$work/uri.sarif" 2>/dev/null)
"$tmc" report --min-bucket all "$work/sarif dir/my model#1%20?.tm.yaml" -o "$work/uri-abs.sarif" 2>/dev/null
sarif_schema="$src/tests/third_party/sarif/sarif-schema-2.1.0.json"
[ -f "$sarif_schema" ] || fail "missing test fixture $sarif_schema"
python3 - "$work/uri.sarif" "$work/uri-abs.sarif" "$sarif_schema" "$work" <<'PY' || fail "SARIF URIs are not percent-encoded, or not valid against the SARIF 2.1.0 schema"
import json, os, re, sys, urllib.parse
import jsonschema
rel, absolute, schema_path, work = sys.argv[1:5]
schema = json.load(open(schema_path))
for path, expected in ((rel, "sarif dir/my model#1%20?.tm.yaml"), (absolute, work + "/sarif dir/my model#1%20?.tm.yaml")):
    log = json.load(open(path))
    errors = list(jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(log))
    assert not errors, errors[0].message
    results = log["runs"][0]["results"]
    assert results, "no results to check"
    for result in results:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert re.fullmatch(r"(file://)?([A-Za-z0-9\-._~/]|%[0-9A-F]{2})+", uri), uri
        parsed = urllib.parse.urlsplit(uri)
        assert not parsed.fragment and not parsed.query, uri
        assert urllib.parse.unquote(parsed.path) == expected, (uri, expected)
PY

# --- -o onto an input is refused; symlinks written through; modes kept --------------
mkdir -p "$work/o"
cp "$in/output-onto-input.tm.yaml" "$work/o/m.tm.yaml"; cp "$in/part.yaml" "$work/o/part.yaml"
cp "$in/terminal-escapes.rules.yaml" "$work/o/r.yaml"
before=$(cat "$work/o/m.tm.yaml" "$work/o/part.yaml" "$work/o/r.yaml" | md5sum)
for target in m.tm.yaml part.yaml r.yaml ./m.tm.yaml; do
  (cd "$work/o" && "$tmc" report --rules r.yaml m.tm.yaml -o "$target" --format md 2>"$work/o.err")
  code=$?
  [ $code -eq 2 ] || fail "report -o $target (an input) exits $code"
  grep -q "it is an input of this run" "$work/o.err" || { fail "report -o $target: no message"; cat "$work/o.err"; }
done
(cd "$work/o" && "$tmc" diagram m.tm.yaml -o m.tm.yaml --format mermaid 2>/dev/null) && fail "diagram -o MODEL accepted"
(cd "$work/o" && "$tmc" backlog m.tm.yaml -o . 2>/dev/null)  # writes into the model's directory, never over it
[ "$(cat "$work/o/m.tm.yaml" "$work/o/part.yaml" "$work/o/r.yaml" | md5sum)" = "$before" ] || fail "an input was overwritten"
ln -s real.md "$work/o/link.md"; printf old > "$work/o/real.md"; chmod 600 "$work/o/real.md"
(cd "$work/o" && "$tmc" report m.tm.yaml -o link.md 2>/dev/null) || fail "report -o SYMLINK failed"
[ -L "$work/o/link.md" ] || fail "the symbolic link at the output was replaced by a file"
grep -q "Threat model" "$work/o/real.md" || fail "the symbolic link's target was not written"
[ "$(stat -c %a "$work/o/real.md")" = 600 ] || fail "the output's mode 600 was not kept"
(umask 077; cd "$work/o" && "$tmc" report m.tm.yaml -o new.md 2>/dev/null)
[ "$(stat -c %a "$work/o/new.md")" = 600 ] || fail "a new output ignores the umask: $(stat -c %a "$work/o/new.md")"
touch -d '1 hour ago' "$work/o/.new.md.tmc-Zz9Yy8"
(cd "$work/o" && "$tmc" report m.tm.yaml -o new.md 2>/dev/null)
[ -e "$work/o/.new.md.tmc-Zz9Yy8" ] && fail "a stale temporary file of a killed run was left"

[ $failures -eq 0 ] && echo "hardening: all checks passed"
exit $((failures > 0))
