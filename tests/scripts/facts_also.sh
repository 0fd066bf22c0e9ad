#!/usr/bin/env bash
# Issue 21, "also": a response's crossing shows its request's declarations,
# a what-if says "assumed done", tmc facts shows where a fact came from,
# coverage --path shows the open findings of each hop and its receiver.
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
cat > "$work/path.tm.yaml" <<'YAML'
tmc: 1
title: Path with findings
boundaries: [{id: internet, trust: 0}, {id: app, trust: 2}]
assets: [{id: orders, classes: [pii]}]
elements:
  - {id: shopper, type: external, kind: browser, boundary: internet}
  - {id: api, type: process, kind: api, boundary: app, internet_facing: true, controls: [rate-limit, generic-errors]}
  - {id: db, type: store, store: sql, boundary: app, assets: [orders], controls: [encryption-at-rest, retention-policy, backup]}
  - {id: other, type: process, kind: worker, boundary: app}
flows:
  - {id: order, from: shopper, to: api, protocol: HTTP, data: [orders], authentication: session cookie, authorization: per-object owner check, validation: schema, controls: [csrf-token]}
  - {id: save, from: api, to: db, protocol: SQL over TLS, data: [orders], authentication: db user, authorization: writer role, validation: parameterized queries}
  - {id: poll, from: other, to: db, protocol: HTTP, data: [orders]}
paths:
  - {id: buy, name: A shopper orders, flows: [order, save]}
YAML
out=$("$tmc" coverage --today 2026-12-07 --path buy "$work/path.tm.yaml")
grep -q "open finding TMC-CROSSING-UNENCRYPTED:order \[TI\] Unencrypted crossing (risk" <<<"$out" || fail "coverage --path shows a hop's open finding: $out"
grep -q "INTERNAL-UNENCRYPTED" <<<"$out" && fail "coverage --path shows a finding off the path: $out"
"$tmc" coverage --today 2026-12-07 --format json --path buy "$work/path.tm.yaml" >"$work/path.json"
python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["paths"][0]["hops"]; assert [x["findings"][0].split(" ")[0] for x in h if x["findings"]]==["TMC-CROSSING-UNENCRYPTED:order"], h' "$work/path.json" \
  || fail "coverage --format json --path lists the hop's findings"
echo "facts_also: ok"
