#!/usr/bin/env python3
"""Compares two models as tmc normalizes them (`tmc report -o X.json`):
same elements (type, boundary), flows (ends), boundaries (parent),
assets (levels, classes) and threats (targets, status, likelihood, impact,
mitigations). Prints every difference; exits 1 when there is one.
Usage: compare_models.py ORIGINAL.json ROUNDTRIP.json"""
import json
import sys


def view(path):
    m = json.load(open(path))["model"]
    return {
        "elements": {e["id"]: (e["name"], e["type"], e["store"], e["boundary"], sorted(e["assets"]),
                               sorted(e["controls"]), e["privilege"], e["internet_facing"]) for e in m["elements"]},
        "flows": {f["id"]: (f["from"], f["to"], sorted(f["data"]), f["authentication"], f["authorization"],
                            f["validation"]) for f in m["flows"]},
        "boundaries": {b["id"]: (b["name"], b["parent"], b["trust"]) for b in m["boundaries"]},
        "assets": {a["id"]: (a["name"], a["confidentiality"], a["integrity"], a["availability"], sorted(a["classes"]))
                   for a in m["assets"]},
        "threats": {t["id"]: (t["title"], sorted(t["targets"]), t["status"], t["likelihood"], t["impact"], t["stride"],
                              t["accepted_by"], t["transferred_to"], t["reason"],
                              [(x["description"], x["status"], x["owner"], x["due"]) for x in t["mitigations"]])
                    for t in m["threats"]},
    }


a, b = view(sys.argv[1]), view(sys.argv[2])
failed = False
for section in a:
    for key in sorted(set(a[section]) | set(b[section])):
        if a[section].get(key) != b[section].get(key):
            failed = True
            print(f"{section} {key}:\n  before {a[section].get(key)}\n  after  {b[section].get(key)}")
sys.exit(1 if failed else 0)
