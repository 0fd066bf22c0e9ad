#!/usr/bin/env bash
# Issue 21, "also": a response's crossing shows its request's declarations,
# a what-if says "assumed done", tmc facts shows where a fact came from.
# Args: $1 tmc binary, $2 source dir.
set -euo pipefail
tmc=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cat > "$work/m.tm.yaml" <<'YAML'
tmc: 1
title: response
boundaries: [{id: a}, {id: b}]
elements:
  - {id: web, type: process, boundary: a}
  - {id: svc, type: process, boundary: b}
flows:
  - {id: ask, from: web, to: svc, protocol: HTTPS, authentication: mTLS, authorization: caller allow-list, validation: schema}
  - {id: answer, from: svc, to: web, protocol: HTTPS, response_to: ask}
threats:
  - id: T1
    title: t
    target: svc
    likelihood: 2
    impact: 2
    status: mitigating
    mitigations: [{id: M3, description: m, status: in-progress}]
attack_trees:
  - id: AT1
    goal: g
    threat: T1
    root: {or: [{title: leaf, cost: medium, mitigated_by: [M3]}, {title: other, cost: high}]}
YAML
out=$("$tmc" crossings --today 2026-12-07 "$work/m.tm.yaml")
grep -q "response to ask: mTLS" <<<"$out" || fail "a response shows its request's authentication: $out"
grep -q "(missing)" <<<"$out" && fail "a response is not '(missing)': $out"
out=$("$tmc" tree --today 2026-12-07 --assume M3 "$work/m.tm.yaml")
grep -q "M3 assumed done" <<<"$out" || fail "--assume says assumed done: $out"
out=$("$tmc" facts "$work/m.tm.yaml" ask)
grep -q "authentication     client-certificate  read: 'mtls' in authentication \"mTLS\"" <<<"$out" || fail "facts: $out"
echo "facts_also: ok"
