#!/usr/bin/env bash
# End-to-end checks of CVSS: `tmc cvss` for v4.0 and v3.x vectors, and
# `cvss:` vectors inside a model. Args: $1 tmc binary, $2 source dir, $3 build dir.
set -euo pipefail
tmc=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# v4.0 Base vector: the CVSS-B score and its severity, one line.
out=$("$tmc" cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N)
[ "$out" = "9.3 Critical" ] || fail "v4 base: $out"

# v4.0 with Threat and Environmental metrics: the base line, then the
# whole vector's score under its nomenclature (FIRST's examples document,
# log4shell "immutable containers": 5.5).
out=$("$tmc" cvss CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/MAC:L/MAT:N/MVC:N/MVI:N/MVA:L)
[ "$out" = $'9.2 Critical\nCVSS-BTE 5.5 Medium' ] || fail "v4 BTE: $out"
out=$("$tmc" cvss CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U)
[ "$out" = $'7.7 High\nCVSS-BT 5.2 Medium' ] || fail "v4 BT: $out"

# v3.x output is unchanged.
out=$("$tmc" cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C)
[ "$out" = $'9.8 Critical\ntemporal 8.8 High' ] || fail "v3.1: $out"

# An invalid v4.0 vector: exit 2, the reason, a caret under the metric.
set +e; err=$("$tmc" cvss CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N 2>&1 >/dev/null); rc=$?; set -e
[ $rc -eq 2 ] || fail "invalid v4 exited $rc"
grep -q "^tmc: error: metric 'AV' must come before 'AC'" <<<"$err" || fail "order message: $err"
[ "$(tail -1 <<<"$err")" = "                ^" ] || fail "caret: $err"

# In a model: a valid v4.0 vector passes, a bad one is invalid-cvss at the metric.
cat > "$work/m.tm.yaml" <<'YAML'
tmc: 1
title: t
elements: [{id: api, type: process}]
threats:
  - {id: T1, title: Attacker runs code on the API, target: api, likelihood: 1, impact: 1, status: mitigated,
     cvss: CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A}
YAML
"$tmc" check "$work/m.tm.yaml" >/dev/null 2>&1 || fail "valid v4 vector in a model: $("$tmc" check "$work/m.tm.yaml" 2>&1)"
sed -i 's#/E:A}#/U:red}#' "$work/m.tm.yaml"
set +e; out=$("$tmc" check --excerpt "$work/m.tm.yaml" 2>&1); rc=$?; set -e
[ $rc -eq 2 ] || fail "bad v4 vector in a model exited $rc"
grep -qF "m.tm.yaml:6:78: error: CVSS v4.0 metric 'U' has no value 'red' (expected X, Clear, Green, Amber or Red) [invalid-cvss]" <<<"$out" || fail "model diagnostic: $out"
grep -q '^      |  *\^~~$' <<<"$out" || fail "model caret: $out"
echo "cvss: ok"
