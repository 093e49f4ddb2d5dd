#!/usr/bin/env python3
"""Prints estimated ROAS per fit against the true ROAS and writes truth.json for `causal-mmm report`.

usage: roas_table.py TRUTH.json DATA.csv OUT_TRUTH.json LABEL=FITDIR [LABEL=FITDIR ...]
True ROAS of a channel = -(summed effect of do(channel := 0) in every period) / (summed spend),
read from `causal-mmm simulate --truth` (estimands go_dark_<channel>).
Extra parameter truths (e.g. saturation_lam[x1]=3) may be given as NAME=VALUE in TRUE_PARAMS.
"""
import csv
import json
import os
import sys

truth_path, data_path, out_truth = sys.argv[1:4]
fits = [a.split("=", 1) for a in sys.argv[4:]]
truth = json.load(open(truth_path))
rows = list(csv.DictReader(open(data_path)))
true_roas = {}
for estimand in truth["estimands"]:
    if estimand["key"].startswith("go_dark_"):
        channel = estimand["key"][len("go_dark_"):]
        spend = sum(float(r[channel]) for r in rows)
        true_roas[channel] = -estimand["total"] / spend
values = {f"roas[{c}]": v for c, v in true_roas.items()}
for pair in filter(None, os.environ.get("TRUE_PARAMS", "").split(",")):
    name, value = pair.split("=")
    values[name] = float(value)
json.dump(values, open(out_truth, "w"), indent=2, sort_keys=True)

print(f"{'channel':<8}{'true ROAS':>10} | " + " | ".join(f"{label:>28}" for label, _ in fits))
for channel, true in true_roas.items():
    cells = []
    for label, directory in fits:
        r = json.load(open(os.path.join(directory, "roas.json")))[channel]
        lo, hi = r["roas_hdi_3%"], r["roas_hdi_97%"]
        mark = "covers" if lo <= true <= hi else "misses"
        cells.append(f"{r['roas_mean']:7.2f} [{lo:6.2f},{hi:7.2f}] {mark}")
    print(f"{channel:<8}{true:>10.2f} | " + " | ".join(f"{c:>28}" for c in cells))
for label, directory in fits:
    s = json.load(open(os.path.join(directory, "summary.json")))
    rhat = max(p["r_hat"] for p in s["parameters"].values() if p["r_hat"] is not None)
    checks = s.get("lift_checks", [])
    z = ", ".join(f"{c['channel']} z {c['z']:+.2f}" for c in checks)
    print(f"{label}: {s['sampler']['divergences']} divergences, max R-hat {rhat:.3f}, "
          f"{s['sampler']['seconds']:.1f} s" + (f"; lift tests: {z}" if z else ""))
