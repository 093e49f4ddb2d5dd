#!/usr/bin/env python3
"""Coverage table over several `causal-mmm demo calibration-trap` results.json files.

Per model and estimand: how many seeds' 94% HDI covers the truth, the mean error and the mean
relative error; per model: how often the steady-state and the window-aware check pass on the
go-dark test. usage: coverage_table.py out/demo-seeds/seed-*/results.json
"""
import json
import sys

results = [json.load(open(path)) for path in sys.argv[1:]]
if not results:
    sys.exit("no results.json given")
models = [m["name"] for m in results[0]["models"]]
keys = list(results[0]["truth"].keys())
# Estimands the demo adds beyond the scenario's truth (e.g. go_dark_x1) are in the models' rows.
for model in results[0]["models"]:
    keys += [k for k in model["estimands"] if k not in keys]
n = len(results)
print(f"{n} seeds: {', '.join(str(r['seed']) for r in results)}")
share = [r["truth"]["go_dark_x2"].get("indirect_share", float("nan")) for r in results]
truth = [r["truth"]["go_dark_x2"]["total"] for r in results]
print(f"truth go_dark_x2: mean {sum(truth) / n:.0f} (range {min(truth):.0f}..{max(truth):.0f}), "
      f"indirect share {min(share):.0%}..{max(share):.0%}")
for key in keys:
    print(f"\n({key})")
    print(f"  {'model':22} {'covers':>8} {'mean error':>11} {'mean error%':>12} {'mean width':>11}")
    for name in models:
        rows = [next(m for m in r["models"] if m["name"] == name)["estimands"].get(key) for r in results]
        rows = [row for row in rows if row]
        if not rows:
            print(f"  {name:22} {'n/a':>8}")
            continue
        covers = sum(1 for row in rows if row["covers"])
        error = sum(row["error"] for row in rows) / len(rows)
        relative = sum(row["relative_error"] for row in rows) / len(rows)
        width = sum(row["width"] for row in rows) / len(rows)
        print(f"  {name:22} {covers:>4}/{len(rows):<3} {error:>11.0f} {100 * relative:>11.0f}% {width:>11.0f}")
print("\nchecks on the go-dark test (pass = |z| <= 2):")
print(f"  {'model':22} {'steady-state pass':>18} {'window-aware pass':>18}")
for name in models:
    entries = [next(m for m in r["models"] if m["name"] == name) for r in results]
    if any(not m["steady_state_check"] for m in entries):
        print(f"  {name:22} {'n/a (no lift test checked)':>37}")
        continue
    steady = sum(1 for m in entries if m["steady_state_check"][0]["passes"])
    window = sum(1 for m in entries if m["window_check"][0]["passes"])
    print(f"  {name:22} {steady:>14}/{n:<3} {window:>14}/{n:<3}")
