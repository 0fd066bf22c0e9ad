#!/usr/bin/env python3
"""Checks an export: valid against its JSON Schema and, for Threat Dragon,
drawn without overlaps (no two element boxes overlap, every element lies
inside its boundary's box, boundary boxes nest or are apart).
Usage: check_export.py threat-dragon|otm FILE SCHEMA"""
import json
import sys

import jsonschema

kind, path, schema_path = sys.argv[1:4]
document = json.load(open(path))
jsonschema.validate(document, json.load(open(schema_path)))
if kind == "threat-dragon":
    cells = document["detail"]["diagrams"][0]["cells"]
    box = lambda c: (c["position"]["x"], c["position"]["y"], c["size"]["width"], c["size"]["height"])
    elements = [c for c in cells if c["shape"] in ("actor", "process", "store")]
    boundaries = {c["data"]["tmc"]["id"]: c for c in cells if c["shape"] == "trust-boundary-box"}

    def overlap(a, b):
        return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]

    def inside(a, b):
        return a[0] >= b[0] and a[1] >= b[1] and a[0] + a[2] <= b[0] + b[2] and a[1] + a[3] <= b[1] + b[3]

    for i, a in enumerate(elements):
        for b in elements[i + 1:]:
            if overlap(box(a), box(b)):
                sys.exit(f"{path}: elements {a['data']['name']} and {b['data']['name']} overlap")
    boxes = list(boundaries.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if overlap(box(a), box(b)) and not (inside(box(a), box(b)) or inside(box(b), box(a))):
                sys.exit(f"{path}: boundary boxes {a['data']['name']} and {b['data']['name']} cross")
        for e in elements:
            if overlap(box(e), box(a)) and not inside(box(e), box(a)):
                sys.exit(f"{path}: element {e['data']['name']} straddles boundary {a['data']['name']}")
print(f"{path}: valid")
