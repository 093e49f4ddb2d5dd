#!/usr/bin/env python3
"""Prints the seed-000 recovery table from two `causal-mmm fit` output directories.

usage: compare_recovery.py OUTDIR   (reads OUTDIR/uncalibrated/summary.json and OUTDIR/calibrated/summary.json)
beta and sigma are reported in original units (the model's scaled value times the target scale).
"""
import json
import sys

out = sys.argv[1]
truth = {("lam", "channel_1"): 8.0, ("lam", "channel_2"): 6.0, ("beta", "channel_1"): 0.6, ("beta", "channel_2"): 0.5}
fits = {v: json.load(open(f"{out}/{v}/summary.json")) for v in ["uncalibrated", "calibrated"]}
for variant, s in fits.items():
    rhat = max(p["r_hat"] for p in s["parameters"].values() if p["r_hat"] is not None)
    ess = min(p["ess_bulk"] for p in s["parameters"].values() if p["ess_bulk"] is not None)
    sp = s["sampler"]
    print(f"{variant:>12}: max R-hat {rhat:.4f}, min bulk ESS {ess:.0f}, divergences {sp['divergences']}, "
          f"sampler {sp['seconds']:.2f} s, target_accept {sp.get('target_accept')}")
print()
print(f"{'geo_00':<18}{'truth':>6} | {'uncalibrated mean [94% HDI]':>30} cover | {'calibrated mean [94% HDI]':>30} cover | width change")
for (kind, channel), true in truth.items():
    row = f"{kind + ' ' + channel:<18}{true:>6.2f} |"
    widths = []
    for variant, s in fits.items():
        p = s["parameters"][f"saturation_{kind}[geo_00,{channel}]"]
        k = s["scales"]["target"] if kind == "beta" else 1.0
        lo, hi, mean = p["hdi_3%"] * k, p["hdi_97%"] * k, p["mean"] * k
        widths.append(hi - lo)
        row += f" {mean:>8.3f} [{lo:>7.3f}, {hi:>7.3f}]     {'yes' if lo <= true <= hi else ' no'}   |"
    row += f" {100 * (widths[1] - widths[0]) / widths[0]:+6.1f}%"
    print(row)
for variant, s in fits.items():
    print(f"{variant:>12}: y_sigma (original units) {s['parameters']['y_sigma']['mean'] * s['scales']['target']:.4f} (truth 0.15)")
for check in fits["calibrated"]["lift_checks"]:
    print(f"lift {check['geo']}: measured {check['measured_delta_y']:.4f}, model {check['model_mean']:.4f} "
          f"[{check['model_hdi_3%']:.4f}, {check['model_hdi_97%']:.4f}], z {check['z']:+.2f}")
