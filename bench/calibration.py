#!/usr/bin/env python3
"""The judgement of tmc's findings, measured on the calibration corpus.

tests/calibration/ holds realistic models written from scratch. Beside each
model NAME.tm.yaml:
  NAME.flaws.yaml   the flaws planted in it, written before tmc first ran on it
  NAME.judged.yaml  every finding tmc raises on it, judged real, duplicate or
                    noise with a reason (real ones name the flaw they find)

For each model this prints: planted flaws found directly (a finding judged
real for that flaw is raised), the noise share (noise / findings), the share
of findings in the top bucket, and the noise in the top bucket. A finding
tmc raises that the judged file does not list is "unjudged": it is printed,
and it makes the run fail (exit 1), since the numbers would mean nothing.

Usage: calibration.py TMC [CORPUS_DIR] [--check] [--judged=SUFFIX]
  --check  also fail when a target is missed: >= 95% of flaws found, <= 10%
           noise, <= 25% in the top bucket, no noise in the top bucket.
  --judged=judged-before  read NAME.judged-before.yaml instead (the judgement
           of the rules before the facts stage, to run with that binary).
"""
import json
import os
import subprocess
import sys

import yaml

TODAY = "2026-12-07"
TARGETS = {"found": 0.95, "noise": 0.10, "top": 0.25, "top_noise": 0}


def findings_of(tmc, model):
    """Open rule findings as (rule:target, bucket), top bucket first."""
    run = subprocess.run([tmc, "threats", "--today", TODAY, "--format", "json", model],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{model}: tmc threats exited {run.returncode}: {run.stderr.strip()[:400]}")
    items = json.loads(run.stdout)
    return [(f"{i['id']}:{i['target']}", i["bucket"]) for i in items if i["status"] == "finding"]


def top_bucket(items):
    return "P0" if any(b.startswith("P") for _, b in items) else "fix-now"


def measure(tmc, corpus, name, suffix):
    model = os.path.join(corpus, name + ".tm.yaml")
    with open(os.path.join(corpus, name + ".flaws.yaml")) as f:
        flaws = [flaw["id"] for flaw in yaml.safe_load(f)["flaws"]]
    judged_path = os.path.join(corpus, name + "." + suffix + ".yaml")
    judged = {}
    if os.path.exists(judged_path):
        with open(judged_path) as f:
            for entry in (yaml.safe_load(f) or {}).get("findings") or []:
                judged[entry["item"]] = entry
    items = findings_of(tmc, model)
    top = top_bucket(items)
    found, noise, in_top, noise_top, unjudged = set(), 0, 0, 0, []
    for item, bucket in items:
        verdict = judged.get(item)
        if verdict is None:
            unjudged.append(f"{item} ({bucket})")
            continue
        if bucket == top:
            in_top += 1
        if verdict["verdict"] == "noise":
            noise += 1
            noise_top += bucket == top
        elif verdict["verdict"] == "real" and verdict.get("flaw") in flaws:
            found.add(verdict["flaw"])
    stale = sorted(set(judged) - {item for item, _ in items})
    return {
        "name": name, "flaws": len(flaws), "found": len(found), "missed": sorted(set(flaws) - found),
        "findings": len(items), "noise": noise, "top": in_top, "top_noise": noise_top,
        "unjudged": unjudged, "stale": stale,
    }


def share(part, whole):
    return part / whole if whole else 0.0


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    check = "--check" in sys.argv
    suffix = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--judged=")), "judged")
    if not args:
        sys.exit(__doc__)
    tmc = args[0]
    corpus = args[1] if len(args) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests", "calibration")
    names = sorted(f[:-len(".tm.yaml")] for f in os.listdir(corpus) if f.endswith(".tm.yaml"))
    failed = False
    total = {"flaws": 0, "found": 0, "findings": 0, "noise": 0, "top": 0, "top_noise": 0}
    print(f"{'model':<20} {'flaws found':>12} {'noise':>12} {'top bucket':>12} {'noise in top':>13}")
    for name in names:
        r = measure(tmc, corpus, name, suffix)
        for key in total:
            total[key] += r[key]
        print(f"{name:<20} {r['found']:>4}/{r['flaws']:<3} {share(r['found'], r['flaws']):>4.0%}"
              f" {r['noise']:>4}/{r['findings']:<3}{share(r['noise'], r['findings']):>4.0%}"
              f" {r['top']:>4}/{r['findings']:<3}{share(r['top'], r['findings']):>4.0%} {r['top_noise']:>13}")
        if r["missed"]:
            print(f"  missed: {', '.join(r['missed'])}")
        for item in r["unjudged"]:
            print(f"  unjudged: {item}")
            failed = True
        for item in r["stale"]:
            print(f"  judged but no longer raised: {item}")
    print(f"{'all':<20} {total['found']:>4}/{total['flaws']:<3} {share(total['found'], total['flaws']):>4.0%}"
          f" {total['noise']:>4}/{total['findings']:<3}{share(total['noise'], total['findings']):>4.0%}"
          f" {total['top']:>4}/{total['findings']:<3}{share(total['top'], total['findings']):>4.0%} {total['top_noise']:>13}")
    print(f"targets: >= {TARGETS['found']:.0%} of flaws found, <= {TARGETS['noise']:.0%} noise, "
          f"<= {TARGETS['top']:.0%} in the top bucket, {TARGETS['top_noise']} noise in the top bucket")
    if check:
        missed = (share(total["found"], total["flaws"]) < TARGETS["found"] or
                  share(total["noise"], total["findings"]) > TARGETS["noise"] or
                  share(total["top"], total["findings"]) > TARGETS["top"] or total["top_noise"] > TARGETS["top_noise"])
        failed = failed or missed
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
