#!/usr/bin/env python3
"""Seed 004: default-prior vs informative-prior MMM fits against the true curve, in data units.

usage: prior_comparison.py TRUTH.json OUT_TRUTH.json LABEL=FITDIR [LABEL=FITDIR ...]
The MMM's saturation_alpha is in units of max|y| and saturation_lam in units of max spend; both are
multiplied back here. Writes OUT_TRUTH.json (scaled true values) for `causal-mmm report --truth`.
"""
import json
import os
import sys

truth_path, out_truth = sys.argv[1:3]
fits = [a.split("=", 1) for a in sys.argv[3:]]
truth = json.load(open(truth_path))
scale = {"saturation_alpha[meta]": truth["venezuela_max_abs"], "saturation_lam[meta]": truth["meta_max"],
         "adstock_alpha[meta]": 1.0}
true = {"saturation_alpha[meta]": truth["alpha"], "saturation_lam[meta]": truth["lam"],
        "adstock_alpha[meta]": truth["adstock_alpha"]}
json.dump({k: v / scale[k] for k, v in true.items()}, open(out_truth, "w"), indent=2, sort_keys=True)

print(f"{'parameter (data units)':<24}{'true':>6} | " + " | ".join(f"{label:>32}" for label, _ in fits))
widths = {}
for name in true:
    cells = []
    for label, directory in fits:
        p = json.load(open(os.path.join(directory, "summary.json")))["parameters"][name]
        m, lo, hi = (p[k] * scale[name] for k in ("mean", "hdi_3%", "hdi_97%"))
        widths.setdefault(name, []).append(hi - lo)
        mark = "covers" if lo <= true[name] <= hi else "misses"
        cells.append(f"{m:6.3f} [{lo:6.3f}, {hi:6.3f}] {mark}")
    print(f"{name:<24}{true[name]:>6.2f} | " + " | ".join(f"{c:>32}" for c in cells))
for name, w in widths.items():
    if len(w) == 2:
        print(f"94% HDI width {name}: {w[0]:.3f} -> {w[1]:.3f} ({100 * (w[1] / w[0] - 1):+.0f}%)")
for label, directory in fits:
    s = json.load(open(os.path.join(directory, "summary.json")))
    rhat = max(p["r_hat"] for p in s["parameters"].values() if p["r_hat"] is not None)
    print(f"{label}: {s['sampler']['divergences']} divergences, max R-hat {rhat:.3f}, {s['sampler']['seconds']:.1f} s")
