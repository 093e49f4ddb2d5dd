#!/usr/bin/env python3
"""Seed 003: contribution shares of total sales per fit against the truth.

usage: share_table.py TRUTH.json DATA.csv OUT_TRUTH.json LABEL=FITDIR [LABEL=FITDIR ...]
A channel's share = its summed posterior contribution (roas.json) / summed observed sales; the
baseline ("demand": intercept + demand proxy) is the rest. The true shares are the simulator's
(of noise-free sales). Writes OUT_TRUTH.json with contribution[CHANNEL] (true totals rescaled to the
observed sales) and the true channel parameters, for `causal-mmm report --truth`.
"""
import csv
import json
import os
import sys

truth_path, data_path, out_truth = sys.argv[1:4]
fits = [a.split("=", 1) for a in sys.argv[4:]]
truth = json.load(open(truth_path))
rows = list(csv.DictReader(open(data_path)))
total = sum(float(r["sales"]) for r in rows)
channels = list(truth["contribution_total"])
values = {f"contribution[{c}]": truth["shares"][c] * total for c in channels}
for c in channels:
    values[f"saturation_lam[{c}]"] = truth["lam"][c]
    values[f"adstock_alpha[{c}]"] = truth["adstock_alpha"][c]
    values[f"saturation_beta[{c}]"] = truth["beta"][c] / truth["sales_max"]
json.dump(values, open(out_truth, "w"), indent=2, sort_keys=True)

print(f"{'share of sales':<18}{'true':>6} | " + " | ".join(f"{label:>26}" for label, _ in fits))
for c in channels + ["demand"]:
    cells = []
    for label, directory in fits:
        roas = json.load(open(os.path.join(directory, "roas.json")))
        if c == "demand":
            mean = 1 - sum(roas[k]["contribution_mean"] for k in channels) / total
            cells.append(f"{100 * mean:5.1f}%{'':>20}")
        else:
            r = roas[c]
            m, lo, hi = (100 * r[k] / total for k in ("contribution_mean", "contribution_hdi_3%", "contribution_hdi_97%"))
            cells.append(f"{m:5.1f}% [{lo:5.1f}, {hi:5.1f}]{'covers' if lo <= 100 * truth['shares'][c] <= hi else 'misses':>7}")
    print(f"{c:<18}{100 * truth['shares'][c]:>5.1f}% | " + " | ".join(f"{x:>26}" for x in cells))
for label, directory in fits:
    s = json.load(open(os.path.join(directory, "summary.json")))
    rhat = max(p["r_hat"] for p in s["parameters"].values() if p["r_hat"] is not None)
    checks = s.get("lift_checks", [])
    z = ", ".join(f"{c['channel']} z {c['z']:+.2f}" for c in checks)
    print(f"{label}: {s['sampler']['divergences']} divergences, max R-hat {rhat:.3f}, "
          f"{s['sampler']['seconds']:.1f} s" + (f"; lift test: {z}" if z else ""))
