#!/usr/bin/env bash
# Issue 24 ("Governance"): what a model can do to the organisation's gate is
# seen. Switching a rule off, lowering its score, or changing the facts so
# that findings vanish are review reasons in `tmc diff`; a setting names its
# approver; a model can require a minimum tmc version.
# Args: $1 tmc, $2 source dir, $3 build dir.
set -u  # no pipefail: `tmc ... | grep -q` would fail when grep stops reading early
tmc=$(realpath "$1")
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A small web application with an object-level hole and an XSS-prone page.
base() {
  cat <<'EOF'
tmc: 1
title: Governance
boundaries: [{id: internet, trust: 0}, {id: backend, trust: 2}]
assets: [{id: records, classes: [pii]}]
elements:
  - {id: browser, type: external, kind: browser, boundary: internet}
  - {id: web, type: process, kind: KIND, boundary: backend, internet_facing: true, accepts: [html], controls: [rate-limit, generic-errors, hsts]}
  - {id: db, type: store, store: sql, boundary: backend, multi_tenant: true, assets: [records], controls: [encryption-at-rest, retention-policy, backup]}
flows:
  - {id: get, from: browser, to: web, protocol: HTTPS, data: [records], authentication: session cookie, authorization: any signed-in user, validation: schema, controls: [csrf-token]}
  - {id: q, from: web, to: db, protocol: SQL over TLS, data: [records], authentication: db user, authorization: read-write role, validation: parameterized queries}
EOF
}
base | sed 's/KIND/web-app/' >"$work/old.tm.yaml"
"$tmc" threats --today 2026-12-07 --format json "$work/old.tm.yaml" >"$work/old.json" 2>/dev/null
grep -q '"TMC-IDOR"' "$work/old.json" || fail "the base model has no TMC-IDOR finding to switch off"

reasons() {  # old new -> the JSON reason kinds, one per line
  "$tmc" diff --today 2026-12-07 --format json "$1" "$2" 2>/dev/null |
    python3 -c 'import json,sys; [print(r["kind"]) for r in json.load(sys.stdin)["reasons"]]'
}

# 1. A rule switched off: a review reason naming who approved it.
{ cat "$work/old.tm.yaml"; printf 'rules:\n  - {rule: TMC-IDOR, enabled: false, reason: we say so}\n'; } >"$work/off.tm.yaml"
"$tmc" diff --today 2026-12-07 "$work/old.tm.yaml" "$work/off.tm.yaml" >"$work/off.out" 2>&1; rc=$?
[ "$rc" = 1 ] || fail "diff with a rule switched off exits $rc, not 1: $(head -3 "$work/off.out")"
grep -q "rule TMC-IDOR switched off for the whole model by (nobody named): we say so" "$work/off.out" ||
  fail "the switched-off rule is not a reason: $(cat "$work/off.out")"
grep -q "No security-relevant change" "$work/off.out" && fail "a rule switched off is 'no security-relevant change'"
reasons "$work/old.tm.yaml" "$work/off.tm.yaml" | grep -qx rule-weakened || fail "the JSON reason is not rule-weakened"
# ... and the setting without an approver is a warning, an error under --strict.
out=$("$tmc" check --today 2026-12-07 "$work/off.tm.yaml" 2>&1)
grep -q "rule-setting-without-approver" <<<"$out" || fail "no warning for a setting without 'by': $out"
out=$("$tmc" check --strict --today 2026-12-07 "$work/off.tm.yaml" 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "error: .*without 'by'" <<<"$out" || fail "--strict does not refuse a setting without 'by' ($rc)"
{ cat "$work/old.tm.yaml"; printf 'rules:\n  - {rule: TMC-IDOR, enabled: false, reason: we say so, by: Dana Lee}\n'; } >"$work/off-by.tm.yaml"
out=$("$tmc" check --strict --today 2026-12-07 "$work/off-by.tm.yaml" 2>&1)
grep -q "rule-setting-without-approver" <<<"$out" && fail "a setting with 'by' still warns"
"$tmc" diff --today 2026-12-07 "$work/old.tm.yaml" "$work/off-by.tm.yaml" 2>&1 | grep -q "by Dana Lee: we say so" ||
  fail "the reason does not name the approver"

# 2. A rule down-scored: a reason; the same setting kept: none; raised: none.
{ cat "$work/old.tm.yaml"; printf 'rules:\n  - {rule: TMC-IDOR, likelihood: 1, impact: 1, reason: low value, by: Dana Lee}\n'; } >"$work/low.tm.yaml"
reasons "$work/old.tm.yaml" "$work/low.tm.yaml" | grep -qx rule-weakened || fail "a down-scored rule is not rule-weakened"
"$tmc" diff --today 2026-12-07 "$work/old.tm.yaml" "$work/low.tm.yaml" 2>&1 | grep -q "likelihood set to 1, impact set to 1" ||
  fail "the down-scoring is not described"
reasons "$work/low.tm.yaml" "$work/low.tm.yaml" | grep -q . && fail "an unchanged setting is a reason"
sed 's/likelihood: 1, impact: 1/likelihood: 2, impact: 1/' "$work/low.tm.yaml" >"$work/raised.tm.yaml"
reasons "$work/low.tm.yaml" "$work/raised.tm.yaml" | grep -qx rule-weakened && fail "raising a setting is rule-weakened"

# 3. The kind changed so that a finding vanishes, with nothing answering it
# (a web application without a WAF in front is one no longer once it is
# called a job; the missing WAF is the one reminder of the checklist item
# TMC-HARDENING): a review reason, and the kind is listed as a change.
grep -q '"TMC-HARDENING"' "$work/old.json" || fail "the base model has no TMC-HARDENING finding"
base | sed 's/KIND/job/' >"$work/kind.tm.yaml"
"$tmc" threats --today 2026-12-07 --format json "$work/kind.tm.yaml" 2>/dev/null | grep -q '"TMC-HARDENING"' &&
  fail "TMC-HARDENING still fires on a job"
out=$("$tmc" diff --today 2026-12-07 --format json "$work/old.tm.yaml" "$work/kind.tm.yaml" 2>/dev/null)
python3 - "$out" <<'PY' || fail "a changed kind that silences a finding is not finding-vanished"
import json, sys
d = json.loads(sys.argv[1])
gone = [r for r in d["reasons"] if r["kind"] == "finding-vanished"]
assert any(r["subject"] == "web" and r["message"].startswith("TMC-HARDENING on 'web'") for r in gone), d["reasons"]
assert any(f["field"] == "kind" and f["before"] == "web-app" and f["after"] == "job"
           for c in d["changes"] for f in c.get("fields", [])), d["changes"]
PY
# ... but a control added to the target answers the finding: no such reason.
base | sed 's/KIND/web-app/; s/controls: \[rate-limit, generic-errors, hsts\]/controls: [rate-limit, generic-errors, hsts, waf]/' >"$work/fixed.tm.yaml"
"$tmc" threats --today 2026-12-07 --format json "$work/fixed.tm.yaml" 2>/dev/null | grep -q '"TMC-HARDENING"' && fail "a waf leaves TMC-HARDENING"
reasons "$work/old.tm.yaml" "$work/fixed.tm.yaml" | grep -qx finding-vanished && fail "a finding fixed by a new control is finding-vanished"

# 4. A model that needs a newer tmc is refused at its line; one that an
# older or equal version satisfies loads.
version=$("$tmc" --version | cut -d' ' -f2)
{ base | sed 's/KIND/web-app/' | sed '2a requires: ">= 99.0"'; } >"$work/newer.tm.yaml"
out=$("$tmc" check --today 2026-12-07 "$work/newer.tm.yaml" 2>&1); rc=$?
[ "$rc" = 2 ] || fail "a model requiring tmc 99.0 exits $rc"
grep -q "newer.tm.yaml:3:[0-9]*: error: this model requires tmc 99.0.0 or newer; this is tmc $version" <<<"$out" ||
  fail "the refusal is not at the line: $out"
{ base | sed 's/KIND/web-app/' | sed "2a requires: \">= $version\""; } >"$work/same.tm.yaml"
"$tmc" check --today 2026-12-07 "$work/same.tm.yaml" 2>&1 | grep -q "requires" && fail "requires the running version is refused"
{ base | sed 's/KIND/web-app/' | sed '2a requires: soon'; } >"$work/bad.tm.yaml"
out=$("$tmc" check --today 2026-12-07 "$work/bad.tm.yaml" 2>&1)
grep -q "'requires' takes the oldest tmc version" <<<"$out" || fail "a bad requires: $out"

# 5. An organisation's policy (docs/policy.md), by --policy or $TMC_POLICY.
mkdir -p "$work/org"
cat >"$work/org/pack.yaml" <<'EOF'
tmc-rules: 1
rules:
  - id: ORG-AUDIT
    title: Process without an audit log
    on: process
    stride: [R]
    likelihood: 1
    impact: 1
    when:
      lacks: [audit-log]
    message: "{name} keeps no audit log"
    rationale: The organisation reviews who did what.
    mitigation: Write an audit log.
EOF
cat >"$work/org/policy.yaml" <<'EOF'
tmc-policy: 1
description: The organisation's policy
min_tmc: "0.1"
scale: 3
fail_on: fix-soon
strict: true
require: [authors, reviewed]
locked_rules: [TMC-IDOR]
rule_packs: [pack.yaml]
EOF
cat >"$work/ok.tm.yaml" <<'EOF'
tmc: 1
title: Complies
authors: [Dana Lee]
reviewed: 2026-12-01
elements:
  - {id: api, type: process, controls: [audit-log]}
threats:
  - {id: T1, title: Middling, target: api, stride: [T], likelihood: 2, impact: 2, status: open}
EOF
"$tmc" check --today 2026-12-07 "$work/ok.tm.yaml" >/dev/null 2>&1; rc=$?
[ "$rc" = 0 ] || fail "without a policy a fix-soon threat fails the gate ($rc)"
out=$("$tmc" check --today 2026-12-07 --policy "$work/org/policy.yaml" "$work/ok.tm.yaml" 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q "1 open item blocks the gate" <<<"$out" || fail "the policy's gate fix-soon does not hold ($rc): $out"
out=$(TMC_POLICY="$work/org/policy.yaml" "$tmc" check --today 2026-12-07 "$work/ok.tm.yaml" 2>&1); rc=$?
[ "$rc" = 1 ] || fail "TMC_POLICY is not read ($rc): $out"
out=$(TMC_POLICY="$work/org/policy.yaml" "$tmc" check --today 2026-12-07 --fail-on fix-now "$work/ok.tm.yaml" 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "weaker gate than the policy's (fix-soon" <<<"$out" || fail "a weaker --fail-on is allowed ($rc): $out"
out=$(TMC_POLICY="$work/org/policy.yaml" "$tmc" check --today 2026-12-07 --fail-on watch "$work/ok.tm.yaml" 2>&1); rc=$?
[ "$rc" = 1 ] || fail "a stricter --fail-on is refused ($rc): $out"
# The pack's rule runs for every model.
sed 's/, controls: \[audit-log\]//' "$work/ok.tm.yaml" >"$work/noaudit.tm.yaml"
TMC_POLICY="$work/org/policy.yaml" "$tmc" threats --today 2026-12-07 "$work/noaudit.tm.yaml" 2>/dev/null | grep -q "^ORG-AUDIT " ||
  fail "the policy's rule pack does not run"
# Violations at the model's lines.
cat >"$work/violates.tm.yaml" <<'EOF'
tmc: 1
title: Violates
scale: 5
elements:
  - {id: api, type: process, controls: [audit-log]}
rules:
  - {rule: TMC-IDOR, enabled: false, reason: not here, by: Dana Lee}
  - {rule: ORG-AUDIT, likelihood: 1, impact: 1, reason: not here, by: Dana Lee}
  - {rule: TMC-XSS, enabled: false, reason: not a web app, by: Dana Lee}
EOF
out=$(TMC_POLICY="$work/org/policy.yaml" "$tmc" check --today 2026-12-07 "$work/violates.tm.yaml" 2>&1); rc=$?
[ "$rc" = 2 ] || fail "a model violating the policy exits $rc"
for want in "violates.tm.yaml:3:8: error: the policy '.*' fixes the scale at 3; this model uses scale 5" \
    "violates.tm.yaml:1:1: error: the policy '.*' requires every model to state 'authors'" \
    "violates.tm.yaml:1:1: error: the policy '.*' requires every model to state 'reviewed'" \
    "violates.tm.yaml:7:5: error: the policy '.*' locks rule TMC-IDOR: a model may not switch it off" \
    "violates.tm.yaml:8:5: error: the policy '.*' adds, as a mandatory pack, rule ORG-AUDIT: a model may not set its score"; do
  grep -q "$want" <<<"$out" || fail "no '$want' in: $out"
done
grep -q "TMC-XSS" <<<"$out" && fail "an unlocked rule may not be switched off: $out"
# strict: a setting without 'by' is an error under the policy.
printf 'rules:\n  - {rule: TMC-XSS, enabled: false, reason: not a web app}\n' | cat "$work/ok.tm.yaml" - >"$work/noby.tm.yaml"
out=$(TMC_POLICY="$work/org/policy.yaml" "$tmc" check --today 2026-12-07 "$work/noby.tm.yaml" 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "error: .*without 'by'" <<<"$out" || fail "the policy's strict does not apply ($rc): $out"
# A policy for a newer tmc, and a broken policy, are refused at their lines.
sed 's/min_tmc: "0.1"/min_tmc: "99.0"/' "$work/org/policy.yaml" >"$work/org/newer.yaml"
out=$("$tmc" check --today 2026-12-07 --policy "$work/org/newer.yaml" "$work/ok.tm.yaml" 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "newer.yaml:3:10: error: the policy .* requires tmc 99.0 or newer" <<<"$out" ||
  fail "a policy for a newer tmc ($rc): $out"
sed 's/locked_rules:/lockd_rules:/' "$work/org/policy.yaml" >"$work/org/typo.yaml"
out=$("$tmc" check --today 2026-12-07 --policy "$work/org/typo.yaml" "$work/ok.tm.yaml" 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "typo.yaml:8:1: error: unknown key 'lockd_rules'.*did you mean 'locked_rules'" <<<"$out" ||
  fail "a policy typo ($rc): $out"
out=$("$tmc" check --policy "$work/org/missing.yaml" "$work/ok.tm.yaml" 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "cannot read the policy file" <<<"$out" || fail "a missing policy ($rc): $out"

[ "$failures" = 0 ] && echo "governance: all passed"
exit "$failures"
