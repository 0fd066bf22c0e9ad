#!/usr/bin/env bash
# Issue 24 ("Rollout"): what a team needs to install, pin and script tmc.
# Args: $1 tmc, $2 source dir, $3 build dir.
set -uo pipefail
tmc=$(realpath "$1") src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
model="$src/templates/payments.tm.yaml"

# --- the version: one place (project() in CMakeLists.txt), three spellings
want=$(sed -n 's/^project(tmc VERSION \([0-9.]*\) .*/\1/p' "$src/CMakeLists.txt")
[ -n "$want" ] || fail "no version in CMakeLists.txt's project()"
for flag in --version -V version; do
  out=$("$tmc" $flag); rc=$?
  [ "$rc" = 0 ] || fail "tmc $flag exits $rc"
  [ "$out" = "tmc $want" ] || fail "tmc $flag prints '$out', not 'tmc $want'"
done
"$tmc" --help | grep -q -- "-V,--version" || fail "--help does not list --version"
"$tmc" report "$model" --format json -o "$work/m.json" 2>/dev/null
grep -q "\"tmc\": \"$want\"" "$work/m.json" || fail "the JSON report does not carry version $want"

# --- the model from standard input
"$tmc" check --today 2026-12-07 "$model" >"$work/file.out" 2>"$work/file.err"; file_rc=$?
"$tmc" check --today 2026-12-07 - <"$model" >"$work/stdin.out" 2>"$work/stdin.err"; stdin_rc=$?
[ "$file_rc" = "$stdin_rc" ] || fail "check - exits $stdin_rc, check FILE $file_rc"
sed "s|$model|<stdin>|g" "$work/file.err" | cmp -s - "$work/stdin.err" ||
  fail "check - reports other diagnostics than check FILE: $(diff <(sed "s|$model|<stdin>|g" "$work/file.err") "$work/stdin.err" | head -5)"
cmp -s "$work/file.out" "$work/stdin.out" || fail "check - prints other output than check FILE"
# A pipe, as `git show REV:model | tmc check -` gives it.
cat "$model" | "$tmc" threats --today 2026-12-07 --format json - >"$work/pipe.json" || fail "threats - from a pipe"
"$tmc" threats --today 2026-12-07 --format json "$model" | cmp -s - "$work/pipe.json" || fail "threats - differs from threats FILE"
# From the root directory too (a container's working directory; "//<stdin>"
# was not found there).
(cd / && "$tmc" check --today 2026-12-07 - <"$model" >/dev/null 2>"$work/root.err"); rc=$?
[ "$rc" = "$file_rc" ] || fail "check - in / exits $rc: $(head -3 "$work/root.err")"
# Diagnostics name the input <stdin> at the line of the mistake.
out=$(printf 'tmc: 1\ntitle: x\nelements: [{id: a, type: procss}]\n' | "$tmc" check - 2>&1); rc=$?
[ "$rc" = 2 ] || fail "an invalid model on stdin exits $rc, not 2"
grep -q "^<stdin>:3:26: error: 'procss' is not a valid type; did you mean 'process'?" <<<"$out" || fail "stdin diagnostic: $out"
grep -q "^<stdin>: 1 error$" <<<"$out" || fail "stdin summary: $out"
# Includes resolve in the current directory, and stay confined to it.
mkdir -p "$work/repo/parts" "$work/outside"
printf 'elements:\n  - {id: web, type: process, boundary: b}\n' >"$work/repo/parts/elements.tm.yaml"
printf 'elements:\n  - {id: evil, type: process}\n' >"$work/outside/x.tm.yaml"
printf 'tmc: 1\ntitle: Included\nboundaries: [{id: b, trust: 2}]\ninclude: [parts/elements.tm.yaml]\n' >"$work/root.yaml"
(cd "$work/repo" && "$tmc" facts --format json - <"$work/root.yaml" >"$work/inc.json" 2>"$work/inc.err") ||
  fail "an include of a model on stdin: $(cat "$work/inc.err")"
grep -q '"web"' "$work/inc.json" || fail "the included element is missing: $(head -c 300 "$work/inc.json")"
printf 'tmc: 1\ntitle: Escape\ninclude: [../outside/x.tm.yaml]\n' >"$work/escape.yaml"
out=$(cd "$work/repo" && "$tmc" check - <"$work/escape.yaml" 2>&1); rc=$?
[ "$rc" = 2 ] || fail "an include outside the current directory from stdin exits $rc: $out"
grep -q "\[include-outside\]" <<<"$out" || fail "the escaping include is not named: $out"
# Empty, oversized and twice-read standard input are clear errors.
out=$("$tmc" check - </dev/null 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "^<stdin>: error: the file is empty" <<<"$out" || fail "empty stdin ($rc): $out"
out=$(head -c 5000 /dev/zero | tr '\0' '#' | "$tmc" check --max-file-size 1K - 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "file-too-large" <<<"$out" || fail "oversized stdin ($rc): $out"
out=$("$tmc" diff - - <"$model" 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "only one model can come from '-'" <<<"$out" || fail "diff - - ($rc): $out"

# --- the summary line: open items are not "errors" of a valid model
cat >"$work/open.tm.yaml" <<'EOF'
tmc: 1
title: Open threat
elements:
  - {id: api, type: process}
threats:
  - {id: T1, title: Something bad, target: api, stride: [T], likelihood: 3, impact: 3, status: open}
EOF
out=$("$tmc" check --today 2026-12-07 "$work/open.tm.yaml" 2>&1); rc=$?
[ "$rc" = 1 ] || fail "a valid open model exits $rc, not 1"
grep -Eq "open.tm.yaml: [0-9]+ open items? blocks? the gate" <<<"$out" || fail "open summary: $(tail -1 <<<"$out")"
grep -Eq "open.tm.yaml: [0-9]+ errors?" <<<"$out" && fail "a valid model's summary counts errors: $(tail -1 <<<"$out")"

# --- SARIF: each recorded threat has its own rule, so code scanning shows
# each one's severity; URIs are relative to the repository's root however
# deep tmc runs (a monorepo's service folder), marked %SRCROOT%.
mkdir -p "$work/mono/services/pay" "$work/mono/.git"
cat >"$work/mono/services/pay/pay.tm.yaml" <<'EOF'
tmc: 1
title: Two threats
elements:
  - {id: api, type: process}
threats:
  - {id: T1, title: Severe one, target: api, stride: [T], likelihood: 3, impact: 3, status: open}
  - {id: T2, title: Mild one, target: api, stride: [R], likelihood: 2, impact: 2, status: open}
EOF
(cd "$work/mono/services/pay" && "$tmc" report --today 2026-12-07 pay.tm.yaml -o "$work/pay.sarif" 2>/dev/null)
python3 - "$work/pay.sarif" <<'PY' || fail "SARIF threat rules or URIs"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
assert set(rules) >= {"TMC-THREAT-T1", "TMC-THREAT-T2"}, sorted(rules)
sev = {i: float(rules[i]["properties"]["security-severity"]) for i in ("TMC-THREAT-T1", "TMC-THREAT-T2")}
assert sev["TMC-THREAT-T1"] == 10.0 and sev["TMC-THREAT-T2"] < 5.0, sev
assert rules["TMC-THREAT-T2"]["shortDescription"]["text"] == "Mild one", rules["TMC-THREAT-T2"]
for result in run["results"]:
    where = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert where == {"uri": "services/pay/pay.tm.yaml", "uriBaseId": "%SRCROOT%"}, where
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"], result
PY
# GitLab's Code Quality report: the same items, repository-relative paths,
# a severity per bucket and the fingerprint SARIF gives the item.
(cd "$work/mono/services/pay" && "$tmc" report --today 2026-12-07 pay.tm.yaml --min-bucket all --format codequality \
  -o "$work/pay.cq.json" 2>/dev/null) || fail "report --format codequality"
python3 - "$work/pay.cq.json" "$work/pay.sarif" <<'PY' || fail "the Code Quality report"
import json, sys
cq = json.load(open(sys.argv[1]))
sarif = json.load(open(sys.argv[2]))["runs"][0]["results"]
by_rule = {e["check_name"]: e for e in cq}
assert set(by_rule) == {"TMC-THREAT-T1", "TMC-THREAT-T2"}, sorted(by_rule)
for e in cq:
    assert set(e) == {"description", "check_name", "fingerprint", "severity", "location"}, e
    assert e["severity"] in {"info", "minor", "major", "critical", "blocker"}, e
    assert e["location"]["path"] == "services/pay/pay.tm.yaml" and e["location"]["lines"]["begin"] >= 1, e
assert by_rule["TMC-THREAT-T1"]["severity"] == "critical" and by_rule["TMC-THREAT-T2"]["severity"] == "major", cq
fingerprints = {r["ruleId"]: r["partialFingerprints"]["tmc/v1"] for r in sarif}
assert all(by_rule[k]["fingerprint"] == v for k, v in fingerprints.items()), (fingerprints, cq)
PY

# Outside any repository the path stays as given.
mkdir -p "$work/loose" && cp "$work/mono/services/pay/pay.tm.yaml" "$work/loose/"
(cd "$work/loose" && "$tmc" report --today 2026-12-07 pay.tm.yaml -o "$work/loose.sarif" 2>/dev/null)
if [ ! -e "$(dirname "$work")/.git" ] && [ ! -e /.git ]; then
  grep -q '"uri": "pay.tm.yaml"' "$work/loose.sarif" && ! grep -q uriBaseId "$work/loose.sarif" ||
    fail "outside a repository the SARIF URI changed: $(grep -m1 '"uri"' "$work/loose.sarif")"
fi

# --- check --baseline: new open items below the gate are named, not silent
cat >"$work/b.tm.yaml" <<'EOF'
tmc: 1
title: Baseline
elements:
  - {id: api, type: process}
threats:
  - {id: T1, title: Known, target: api, stride: [T], likelihood: 3, impact: 3, status: open}
EOF
"$tmc" baseline --today 2026-12-07 "$work/b.tm.yaml" -o "$work/b.json" 2>/dev/null || fail "tmc baseline"
cat "$work/b.tm.yaml" - >"$work/b2.tm.yaml" <<'EOF'
  - {id: T2, title: New and small, target: api, stride: [R], likelihood: 1, impact: 2, status: open}
  - {id: T3, title: New and small too, target: api, stride: [D], likelihood: 1, impact: 1, status: open}
EOF
out=$("$tmc" check --today 2026-12-07 --baseline "$work/b.json" "$work/b2.tm.yaml" 2>&1); rc=$?
[ "$rc" = 0 ] || fail "new items below the gate fail check --baseline ($rc): $out"
grep -q "note: 2 new open items (not in the baseline .*b.json) below the gate: they do not fail it" <<<"$out" ||
  fail "no note on the new items below the gate: $out"
out=$("$tmc" check --today 2026-12-07 --baseline "$work/b.json" "$work/b.tm.yaml" 2>&1)
grep -q "new open item" <<<"$out" && fail "a note on new items when there are none: $out"

[ "$failures" = 0 ] && echo "rollout: all passed"
exit "$failures"
