#!/usr/bin/env python3
"""Counts a Threat Dragon or OTM source the way tmc import maps it, and
compares with the imported model (`tmc report -o X.json`).
Threat Dragon: elements = actor, process and store cells plus one element
per loose flow end; flows = flow cells plus one per bidirectional flow;
boundaries = boundary boxes (plus the zones the curves make, given as
ZONES); threats = every threat of every cell.
OTM: elements = components; flows = data flows plus one per bidirectional
flow; boundaries = trust zones; threats = instances grouped by threat,
state and mitigation states.
Usage: source_counts.py threat-dragon|otm SOURCE IMPORTED.json [ZONES]"""
import json
import sys

import yaml

kind, source, imported = sys.argv[1:4]
zones = int(sys.argv[4]) if len(sys.argv) > 4 else 0
model = json.load(open(imported))["model"]
got = {k: len(model[k]) for k in ("elements", "flows", "boundaries", "threats")}
if kind == "threat-dragon":
    doc = json.load(open(source))
    cells = [c for d in doc["detail"]["diagrams"] for c in d.get("cells", d.get("diagramJson", {}).get("cells", []))]
    shape = lambda c: c.get("shape") or c.get("type", "")
    flows = [c for c in cells if shape(c) in ("flow", "tm.Flow")]
    loose = sum(1 for f in flows for end in ("source", "target") if "cell" not in f[end] and "id" not in f[end])
    want = {
        "elements": sum(1 for c in cells if shape(c) in ("actor", "process", "store", "tm.Actor", "tm.Process", "tm.Store")) + loose,
        "flows": len(flows) + sum(1 for f in flows if f.get("data", f).get("isBidirectional")),
        "boundaries": sum(1 for c in cells if shape(c) == "trust-boundary-box") + zones,
        "threats": sum(len(c.get("data", c).get("threats", [])) for c in cells),
    }
else:
    doc = yaml.safe_load(open(source))
    flows = doc.get("dataflows") or []
    groups = set()
    for owner in (doc.get("components") or []) + flows + (doc.get("trustZones") or []):
        for t in owner.get("threats") or []:
            groups.add((t["threat"], t["state"], tuple((m["mitigation"], m["state"]) for m in t.get("mitigations") or [])))
    want = {"elements": len(doc.get("components") or []),
            "flows": len(flows) + sum(1 for f in flows if f.get("bidirectional")),
            "boundaries": len(doc.get("trustZones") or []), "threats": len(groups)}
if got != want:
    sys.exit(f"{source}: imported {got}, the source has {want}")
print(f"{source}: {got}")
