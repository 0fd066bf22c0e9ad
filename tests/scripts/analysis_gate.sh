#!/usr/bin/env bash
# The done gate and the analysis commands end to end: exit codes 0/1/2,
# --fail-on, --fail-on-stale, user rule files, and byte-identical output.
# Args: $1 tmc binary, $2 source dir.
set -euo pipefail
tmc=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
code() { set +e; "$@" >/dev/null 2>&1; echo $?; set -e; }

payments="$src/templates/payments.tm.yaml"   # done
login="$src/templates/web-login.tm.yaml"     # done, scale 5
printf 'tmc: 1\ntitle: t\nelements:\n  - {id: a, type: process}\nthreats:\n  - {id: T1, title: open risk, target: a, likelihood: 3, impact: 3}\n' > "$work/open.tm.yaml"
printf 'tmc: 1\ntitle: t\nscale: 7\n' > "$work/invalid.tm.yaml"

[ "$(code "$tmc" check --today 2026-11-22 "$payments")" = 0 ] || fail "a done model must exit 0"
[ "$(code "$tmc" check "$src/threat-model.tm.yaml")" = 0 ] || fail "tmc's own threat model must be done: $("$tmc" check "$src/threat-model.tm.yaml" 2>&1)"
[ "$(code "$tmc" check --today 2026-11-22 "$work/open.tm.yaml")" = 1 ] || fail "an open fix-now threat must exit 1"
[ "$(code "$tmc" check "$work/invalid.tm.yaml")" = 2 ] || fail "an invalid model must exit 2"
out=$("$tmc" check --today 2026-11-22 "$work/open.tm.yaml" 2>&1 || true); grep -q "threat T1 'open risk' is open in bucket fix-now (risk 9).*\[not-done\]" <<<"$out" || fail "not-done message"

# --fail-on
[ "$(code "$tmc" check --today 2026-11-22 --fail-on never "$work/open.tm.yaml")" = 0 ] || fail "--fail-on never"
printf 'tmc: 1\ntitle: t\nelements:\n  - {id: a, type: process}\nthreats:\n  - {id: T1, title: middling, target: a, likelihood: 2, impact: 2}\n' > "$work/soon.tm.yaml"
[ "$(code "$tmc" check --today 2026-11-22 "$work/soon.tm.yaml")" = 0 ] || fail "fix-soon passes the default gate"
[ "$(code "$tmc" check --today 2026-11-22 --fail-on fix-soon "$work/soon.tm.yaml")" = 1 ] || fail "--fail-on fix-soon"
[ "$(code "$tmc" check --today 2026-11-22 --fail-on P1 "$work/soon.tm.yaml")" = 2 ] || fail "P1 on a scale-3 model is a usage error"
out=$("$tmc" check --fail-on P1 "$work/soon.tm.yaml" 2>&1 || true); grep -q "is not a bucket of this scale-3 model" <<<"$out" || fail "--fail-on message"
[ "$(code "$tmc" check --today 2026-11-22 --fail-on P1 "$login")" = 0 ] || fail "--fail-on P1 on the done login model"

# --fail-on-stale and --today
printf 'tmc: 1\ntitle: t\nreviewed: 2026-01-01\nreview_every: 30\n' > "$work/stale.tm.yaml"
[ "$(code "$tmc" check --today 2026-01-20 "$work/stale.tm.yaml")" = 0 ] || fail "fresh model"
[ "$(code "$tmc" check --today 2026-03-01 "$work/stale.tm.yaml")" = 0 ] || fail "stale is only a warning"
out=$("$tmc" check --today 2026-03-01 "$work/stale.tm.yaml" 2>&1 || true); grep -q "warning: the model was last reviewed on 2026-01-01 and is stale since 2026-01-31" <<<"$out" || fail "stale warning"
[ "$(code "$tmc" check --today 2026-03-01 --fail-on-stale "$work/stale.tm.yaml")" = 1 ] || fail "--fail-on-stale"
[ "$(code "$tmc" check --today 2026-13-01 "$work/stale.tm.yaml")" = 2 ] || fail "a bad --today is a usage error"

# A user rule file adds a rule that fires; a bad one is diagnosed like a model.
cat > "$work/team.rules.yaml" <<'RULES'
tmc-rules: 1
rules:
  - id: TEAM-NO-OWNER-TAG
    title: Process without an owner tag
    on: process
    stride: [R]
    likelihood: 1
    impact: 1
    when: { not: { tag: [owned] } }
    message: "{name} has no 'owned' tag"
    rationale: Every process needs an owning team.
    mitigation: Tag it.
RULES
"$tmc" check --today 2026-11-22 --format json --rules "$work/team.rules.yaml" "$work/open.tm.yaml" > "$work/out.json" || true
grep -q '"rule": "TEAM-NO-OWNER-TAG"' "$work/out.json" || fail "user rule did not fire"
printf 'tmc-rules: 1\nrules:\n  - id: BAD\n    title: t\n    on: proces\n    stride: [S]\n    likelihood: 1\n    impact: 1\n    when: { typ: process }\n    message: m\n    rationale: r\n    mitigation: m\n' > "$work/bad.rules.yaml"
set +e; out=$("$tmc" check --rules "$work/bad.rules.yaml" "$payments" 2>&1); rc=$?; set -e
[ $rc = 2 ] || fail "a bad rule file must exit 2"
grep -q "bad.rules.yaml:5:9: error: 'on' must be one of element, process, store, external, flow, crossing; did you mean 'process'? \[rule-invalid-value\]" <<<"$out" || fail "rule diagnostic: $out"
grep -q "bad.rules.yaml:9:13: error: unknown predicate 'typ'; did you mean 'type'? \[rule-unknown-predicate\]" <<<"$out" || fail "predicate diagnostic: $out"
# A user rule folds another (one root cause): the folded finding is a part of its item.
cat > "$work/fold.rules.yaml" <<'RULES'
tmc-rules: 1
rules:
  - id: TEAM-UNOWNED-CRITICAL
    title: Unowned process in the payment path
    on: process
    stride: [R]
    likelihood: 2
    impact: 2
    folds: [TEAM-NO-OWNER-TAG]
    when: { not: { tag: [owned] } }
    message: "{name} has no owner"
    rationale: Nobody answers for it.
    mitigation: Name the owning team.
RULES
"$tmc" check --today 2026-11-22 --format json --rules "$work/team.rules.yaml" --rules "$work/fold.rules.yaml" "$work/open.tm.yaml" > "$work/fold.json" || true
grep -q '"rule": "TEAM-UNOWNED-CRITICAL"' "$work/fold.json" || fail "folding rule did not fire"
! grep -q '"rule": "TEAM-NO-OWNER-TAG"' "$work/fold.json" || fail "a folded finding stayed an item of its own"
grep -q 'The same root cause: [^"]* (TEAM-NO-OWNER-TAG)' "$work/fold.json" || fail "the item does not name its part"
# A fold that names no rule is a warning with a suggestion; folding itself or a scalar is an error.
sed 's/folds: \[TEAM-NO-OWNER-TAG\]/folds: [TEAM-NO-OWNER-TAGS]/' "$work/fold.rules.yaml" > "$work/fold-typo.rules.yaml"
out=$("$tmc" check --today 2026-11-22 --rules "$work/team.rules.yaml" --rules "$work/fold-typo.rules.yaml" "$work/open.tm.yaml" 2>&1 || true)
grep -q "fold-typo.rules.yaml:3:5: warning: rule TEAM-UNOWNED-CRITICAL folds 'TEAM-NO-OWNER-TAGS', which is no rule; did you mean 'TEAM-NO-OWNER-TAG'? \[rule-unknown-fold\]" <<<"$out" || fail "unknown fold: $out"
sed 's/folds: \[TEAM-NO-OWNER-TAG\]/folds: [TEAM-UNOWNED-CRITICAL]/' "$work/fold.rules.yaml" > "$work/fold-self.rules.yaml"
set +e; out=$("$tmc" check --rules "$work/fold-self.rules.yaml" "$work/open.tm.yaml" 2>&1); rc=$?; set -e
[ $rc = 2 ] && grep -q "fold-self.rules.yaml:9:13: error: a rule does not fold itself \[rule-invalid-value\]" <<<"$out" || fail "self fold: $out"
sed 's/folds: \[TEAM-NO-OWNER-TAG\]/folds: TEAM-NO-OWNER-TAG/' "$work/fold.rules.yaml" > "$work/fold-scalar.rules.yaml"
set +e; out=$("$tmc" check --rules "$work/fold-scalar.rules.yaml" "$work/open.tm.yaml" 2>&1); rc=$?; set -e
[ $rc = 2 ] && grep -q "error: 'folds' takes a list of rule ids" <<<"$out" || fail "scalar fold: $out"
# check prints the items that block the gate, and says how many more are open below it.
printf 'tmc: 1\ntitle: below\nelements:\n  - {id: api, type: process}\nthreats:\n  - {id: T1, title: Urgent, target: api, stride: [S], likelihood: 3, impact: 3, status: open}\n  - {id: T2, title: Later, target: api, stride: [T], likelihood: 1, impact: 1, status: open}\n' > "$work/below.tm.yaml"
out=$("$tmc" check --today 2026-11-22 "$work/below.tm.yaml" 2>&1 || true)
grep -q "below.tm.yaml: 1 open item blocks the gate (1 more open below it: tmc threats lists all)" <<<"$out" || fail "summary of open items below the gate: $out"
[ "$(code "$tmc" rules TMC-IDR)" = 2 ] || fail "unknown rule id"
out=$("$tmc" rules TMC-IDR 2>&1 || true); grep -q "did you mean 'TMC-IDOR'" <<<"$out" || fail "rule did-you-mean"

# Determinism: the same input gives byte-identical output.
for cmd in "check --format json" "threats --all" "threats --format json" "crossings" "coverage" "coverage --format json"; do
  for m in "$payments" "$src/tests/third_party/examples/web-login.tm.yaml"; do
    [ -f "$m" ] || fail "missing model $m"
    a=$("$tmc" $cmd --today 2026-11-22 "$m" 2>&1 || true)
    b=$("$tmc" $cmd --today 2026-11-22 "$m" 2>&1 || true)
    [ "$a" = "$b" ] || fail "output of '$cmd' differs between runs"
  done
done
[ "$("$tmc" rules --format json)" = "$("$tmc" rules --format json)" ] || fail "rules output differs between runs"
a=$("$tmc" check --format json --today 2026-11-22 "$payments"); b=$("$tmc" check --format json --today 2026-11-22 "$payments")
[ "$a" = "$b" ] || fail "check --format json differs between runs"
echo "analysis_gate: all checks passed"
