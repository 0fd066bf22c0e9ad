#!/usr/bin/env python3
"""Writes a synthetic Open Threat Model 0.2.0 file (JSON) to stdout: N
components in N/50 trust zones (nested two deep), about 1.5 data flows per
component (one in ten bidirectional), an asset per 20 components and a
threat instance on every tenth component, with diagram positions.
usage: generate_otm.py N"""
import json
import sys

n = int(sys.argv[1])
zones = max(1, n // 50)
doc = {
    "otmVersion": "0.2.0",
    "project": {"name": f"Generated {n}", "id": f"generated-{n}", "description": "Synthetic OTM for the import benchmark."},
    "representations": [{"name": "Diagram", "id": "diagram", "type": "diagram", "size": {"width": 10000, "height": 10000}}],
    "assets": [{"id": f"asset-{a}", "name": f"Asset {a}", "risk": {"confidentiality": 100, "integrity": 50, "availability": 10}}
               for a in range(max(1, n // 20))],
    "trustZones": [],
    "components": [],
    "dataflows": [],
    "threats": [{"id": f"threat-{t}", "name": f"Threat {t}", "categories": ["Tampering", "Spoofing"],
                 "risk": {"likelihood": 50, "impact": 100}} for t in range(10)],
    "mitigations": [{"id": f"mitigation-{m}", "name": f"Mitigation {m}", "riskReduction": 50} for m in range(10)],
}
for z in range(zones):
    zone = {"id": f"zone-{z}", "name": f"Zone {z}", "risk": {"trustRating": z % 100}}
    if z % 2 == 1:
        zone["parent"] = {"trustZone": f"zone-{z - 1}"}
    doc["trustZones"].append(zone)
types = ["web-service", "database", "web-client", "message-queue", "backend"]
for c in range(n):
    component = {"id": f"component-{c}", "name": f"Component {c}", "type": types[c % len(types)],
                 "parent": {"trustZone": f"zone-{c % zones}"}, "tags": ["generated"],
                 "assets": {"processed": [f"asset-{c % len(doc['assets'])}"]},
                 "representations": [{"representation": "diagram", "id": f"shape-{c}",
                                      "position": {"x": (c % 100) * 100, "y": (c // 100) * 100},
                                      "size": {"width": 80, "height": 60}}]}
    if c % 10 == 0:
        component["threats"] = [{"threat": f"threat-{c % 10}", "state": "exposed",
                                 "mitigations": [{"mitigation": f"mitigation-{c % 10}", "state": "required"}]}]
    doc["components"].append(component)
for f in range(n + n // 2):
    doc["dataflows"].append({"id": f"flow-{f}", "name": f"Flow {f}", "source": f"component-{f % n}",
                             "destination": f"component-{(f * 7 + 1) % n}", "bidirectional": f % 10 == 0,
                             "assets": [f"asset-{f % len(doc['assets'])}"]})
json.dump(doc, sys.stdout, indent=1)
