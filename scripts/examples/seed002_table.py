#!/usr/bin/env python3
"""Prints the seed-002 study's table (Examples/UnobservedConfounder/seed002_study.sh).

usage: seed002_table.py OUT
Reads OUT/truth_values.json (true ROAS, written by roas_table.py from `simulate --truth`), the fits'
roas.json and summary.json (ROAS as `causal-mmm fit` computes it: FittedMMM.roas(), total contribution
over total spend), the cross-validations' cv.json (the same ROAS per fold) and OUT/wall.tsv.
Max R-hat and min bulk ESS are taken over every parameter summary.json (or cv.json per fold) lists.
"""
import json
import os
import sys

out = sys.argv[1]
truth = json.load(open(os.path.join(out, "truth_values.json")))
channels = sorted(k[5:-1] for k in truth if k.startswith("roas["))
wall = dict(line.rstrip("\n").split("\t") for line in open(os.path.join(out, "wall.tsv")) if line.strip())


def cell(mean, lo, hi, true):
    mark = "yes" if lo <= true <= hi else "NO"
    return f"{mean:7.1f} [{lo:6.1f}, {hi:6.1f}] {mark:>3}"


def finite(values):
    return [v for v in values if v is not None]


rows = []
for label in ["uncalibrated", "marginal", "go-dark"]:
    directory = os.path.join(out, label)
    if not os.path.exists(os.path.join(directory, "summary.json")):
        continue
    summary = json.load(open(os.path.join(directory, "summary.json")))
    roas = json.load(open(os.path.join(directory, "roas.json")))
    parameters = summary["parameters"].values()
    cells = [
        cell(roas[c]["roas_mean"], roas[c]["roas_hdi_3%"], roas[c]["roas_hdi_97%"], truth[f"roas[{c}]"])
        for c in channels
    ]
    rows.append((label, cells, max(finite(p["r_hat"] for p in parameters), default=float("nan")),
                 min(finite(p["ess_bulk"] for p in parameters), default=float("nan")), summary["sampler"]["divergences"],
                 f"{float(wall.get(label, 'nan')):.1f}"))
for kind in ["uncalibrated", "marginal"]:
    path = os.path.join(out, f"cv_{kind}", "cv.json")
    if not os.path.exists(path):
        continue
    for fold in json.load(open(path))["folds"]:
        parameters = fold["parameters"].values()
        cells = [
            cell(fold["roas"][c]["mean"], fold["roas"][c]["hdi_3%"], fold["roas"][c]["hdi_97%"],
                 truth[f"roas[{c}]"])
            for c in channels
        ]
        label = f"cv {kind} fold {fold['fold']} (train {fold['training_dates']})"
        rows.append((label, cells, max(finite(p["r_hat"] for p in parameters), default=float("nan")),
                     min(finite(p["ess_bulk"] for p in parameters), default=float("nan")), fold["divergences"],
                     f"{fold['seconds']:.1f}*"))

width = max(len(r[0]) for r in rows) if rows else 10
header = f"{'variant':<{width}}  " + "  ".join(f"{'ROAS ' + c + ' [94% HDI] covers':>32}" for c in channels)
header += f"  {'max R-hat':>9}  {'min ESS':>7}  {'div.':>5}  {'wall s':>7}"
print("true ROAS: " + ", ".join(f"{c} {truth[f'roas[{c}]']:.1f}" for c in channels))
print(header)
for label, cells, rhat, ess, divergences, seconds in rows:
    print(f"{label:<{width}}  " + "  ".join(f"{c:>32}" for c in cells)
          + f"  {rhat:9.3f}  {ess:7.0f}  {divergences:5d}  {seconds:>7}")
for kind in ["cv-uncalibrated", "cv-marginal"]:
    if kind in wall:
        print(f"{kind}: {float(wall[kind]):.1f} s wall for all folds")
if any(r[0].startswith("cv ") for r in rows):
    print("* per fold: the sampler's seconds (cv.json); the cross-validations' wall times are on the lines above")
