#!/usr/bin/env python3
"""Writes the hostile-input corpus of issue 15 into DIR (large files are
generated, never committed). Each case is NAME.tm.yaml (plus companions);
tests/scripts/hostile_inputs.sh runs tmc on each and checks time and memory.

usage: generate.py DIR
"""
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)


# 1. "Did you mean" against thousands of ids: 4,000 elements, 4,000 flows
# to unknown ids.
n = 4000
lines = ["tmc: 1", "title: unknown references", "elements:"]
lines += [f"  - {{id: element-{i:05d}, type: process}}" for i in range(n)]
lines.append("flows:")
lines += [f"  - {{id: f{i}, from: elemnt-{i:05d}, to: unknown-{i:05d}x}}" for i in range(n)]
write("unknown-refs.tm.yaml", "\n".join(lines) + "\n")

# 2. 10,000 attack trees of two leaves each.
lines = ["tmc: 1", "title: many trees", "elements: [{id: app, type: process}]", "attack_trees:"]
for i in range(10000):
    lines.append(f"  - {{id: AT{i}, goal: g{i}, root: {{and: [{{title: a{i}, cost: low}}, {{title: b{i}, cost: medium}}]}}}}")
write("many-trees.tm.yaml", "\n".join(lines) + "\n")

# 3. A small rule file whose quantifiers nest 6 deep, on a complete graph
# of 25 elements (600 flows): naive evaluation is n^7.
rules = """tmc-rules: 1
rules:
  - id: X-NESTED
    title: Nested quantifiers
    on: process
    stride: [S]
    likelihood: 1
    impact: 1
    when:
      inbound:
        from:
          inbound:
            from:
              inbound:
                from:
                  inbound:
                    from:
                      inbound:
                        from:
                          inbound: { from: { type: store } }
    message: "{name} {assets} {assets} {assets}"
    rationale: r
    mitigation: m
"""
write("nested.rules.yaml", rules)
m = 25
lines = ["tmc: 1", "title: complete graph", "elements:"]
lines += [f"  - {{id: e{i}, type: process}}" for i in range(m)]
lines.append("flows:")
lines += [f"  - {{id: f{i}_{j}, from: e{i}, to: e{j}}}" for i in range(m) for j in range(m) if i != j]
write("complete-graph.tm.yaml", "\n".join(lines) + "\n")

# 4. 10,000 boundaries, each inside the previous one.
lines = ["tmc: 1", "title: deep boundaries", "boundaries:", "  - {id: b0}"]
lines += [f"  - {{id: b{i}, parent: b{i - 1}}}" for i in range(1, 10000)]
lines.append("elements: [{id: app, type: process, boundary: b9999}]")
write("deep-boundaries.tm.yaml", "\n".join(lines) + "\n")

# 5. An 8 MB flow sequence of small integers.
write("int-flows.tm.yaml", "tmc: 1\ntitle: ints\nflows: [" + ",".join(["1"] * 4_000_000) + "]\n")

# 6. Three included files just under the 16 MiB default limit.
part = "flows: [" + ",".join(["1"] * 8_300_000) + "]\n"
for name in ("part-a.yaml", "part-b.yaml", "part-c.yaml"):
    write(name, part)
write("three-includes.tm.yaml", "tmc: 1\ntitle: includes\ninclude: [part-a.yaml, part-b.yaml, part-c.yaml]\n")

# 7. Rule-message placeholders: a 160 KB message of {assets} on every
# element of a model whose elements carry 50 assets.
assets = [f"  - {{id: asset{i}, name: A fairly long asset name number {i}, classes: [pii]}}" for i in range(50)]
names = ", ".join(f"asset{i}" for i in range(50))
lines = ["tmc: 1", "title: placeholders", "assets:"] + assets + ["elements:"]
lines += [f"  - {{id: e{i}, type: process, assets: [{names}]}}" for i in range(200)]
write("placeholders.tm.yaml", "\n".join(lines) + "\n")
message = "{assets}" * 20000
write("placeholders.rules.yaml", f"""tmc-rules: 1
rules:
  - id: X-PLACEHOLDERS
    title: Placeholders
    on: process
    stride: [I]
    likelihood: 1
    impact: 1
    when: {{ type: process }}
    message: "{message}"
    rationale: r
    mitigation: m
""")
