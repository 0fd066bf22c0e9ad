#!/usr/bin/env python3
"""Writes an import input of a shape that made `tmc import` quadratic or
worse (issue 22, item 3), with N items, to stdout.

usage: generate_import_shapes.py SHAPE N
       generate_import_shapes.py --list      (the shapes, one a line)

Threat Dragon v2 JSON:
  td-same-name     N actors all named "User" (ids user, user_2, ...)
  td-boxed         N processes inside one trust-boundary box
  td-public-flows  one actor, N processes, a public-network flow to each
OTM 0.2.0 JSON:
  otm-same-name    N components all named "Service" with UUIDs for ids, in one zone
  otm-ring         N components whose parents form one ring
  otm-nested       N trust zones, each the parent of the next (refused past 32 levels)
  otm-cycle        N trust zones whose parents form one cycle (refused: one error)
CSV register:
  csv-components   N rows, each on a component of its own
  csv-rows         N minimal rows, all on one component
  csv-short        N rows of one cell each (each refused: two errors a row)
"""
import json
import sys

HEADER = "id,component,threat,description,likelihood,impact,risk_score,mitigation,owner,due,date_identified,status\n"


def box(x, y, w, h):
    return {"position": {"x": x, "y": y}, "size": {"width": w, "height": h}}


def td_cell(shape, kind, cell_id, name, x=0, y=0, w=80, h=60, **data):
    cell = {"shape": shape, "id": cell_id, **box(x, y, w, h), "data": {"type": kind, "name": name, **data}}
    return cell


def td_flow(cell_id, source, target, name, **data):
    return {"shape": "flow", "id": cell_id, "source": {"cell": source}, "target": {"cell": target},
            "data": {"type": "tm.Flow", "name": name, **data}}


def threat_dragon(cells):
    return {"version": "2.3.0", "summary": {"title": "Generated"},
            "detail": {"contributors": [], "diagrams": [{"title": "Main", "diagramType": "STRIDE", "cells": cells}]}}


def grid(i):
    return (i % 300) * 100, (i // 300) * 100


def td_same_name(n):
    return threat_dragon([td_cell("actor", "tm.Actor", f"a{i}", "User", *grid(i)) for i in range(n)])


def td_boxed(n):
    side = (n // 300 + 2) * 100
    cells = [td_cell("trust-boundary-box", "tm.BoundaryBox", "box", "Data centre", -50, -50, 30100, side)]
    cells += [td_cell("process", "tm.Process", f"p{i}", f"Process {i}", *grid(i)) for i in range(n)]
    return threat_dragon(cells)


def td_public_flows(n):
    cells = [td_cell("actor", "tm.Actor", "user", "User", 0, -200)]
    cells += [td_cell("process", "tm.Process", f"p{i}", f"Process {i}", *grid(i)) for i in range(n)]
    cells += [td_flow(f"f{i}", "user", f"p{i}", f"Request {i}", isPublicNetwork=True) for i in range(n)]
    return threat_dragon(cells)


def otm(**sections):
    return {"otmVersion": "0.2.0", "project": {"name": "Generated", "id": "generated"}, **sections}


def otm_same_name(n):
    # UUIDs are not kept as ids, so each id is made from the name.
    return otm(trustZones=[{"id": "zone", "name": "Zone", "risk": {"trustRating": 50}}],
               components=[{"id": f"00000000-0000-4000-8000-{i:012d}", "name": "Service", "type": "web-service",
                            "parent": {"trustZone": "zone"}} for i in range(n)])


def otm_ring(n):
    return otm(components=[{"id": f"c{i}", "name": f"Component {i}", "type": "web-service",
                            "parent": {"component": f"c{(i + 1) % n}"}} for i in range(n)])


def otm_nested(n):
    zones = [{"id": f"z{i}", "name": f"Zone {i}", "risk": {"trustRating": 50}} for i in range(n)]
    for i in range(1, n):
        zones[i]["parent"] = {"trustZone": f"z{i - 1}"}
    return otm(trustZones=zones)


def otm_cycle(n):
    return otm(trustZones=[{"id": f"z{i}", "name": f"Zone {i}", "risk": {"trustRating": 50},
                            "parent": {"trustZone": f"z{(i + 1) % n}"}} for i in range(n)])


def csv_components(n):
    return HEADER + "".join(f"R{i},Component {i},Threat {i},,2,2,4,,,,,open\n" for i in range(n))


def csv_rows(n):
    return HEADER + "".join(f"R{i},api,t,,1,1,,,,,,\n" for i in range(n))


def csv_short(n):
    return HEADER + "x\n" * n


SHAPES = {
    "td-same-name": td_same_name, "td-boxed": td_boxed, "td-public-flows": td_public_flows,
    "otm-same-name": otm_same_name, "otm-ring": otm_ring, "otm-nested": otm_nested, "otm-cycle": otm_cycle,
    "csv-components": csv_components, "csv-rows": csv_rows, "csv-short": csv_short,
}


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(SHAPES))
        return
    if len(sys.argv) != 3 or sys.argv[1] not in SHAPES:
        sys.exit(__doc__)
    out = SHAPES[sys.argv[1]](int(sys.argv[2]))
    sys.stdout.write(out if isinstance(out, str) else json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
