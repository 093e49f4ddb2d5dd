#!/usr/bin/env python3
"""Writes seed 002's lift-test tables for Examples/UnobservedConfounder/seed002_study.sh.

usage: seed002_lifts.py OUT DATA.csv [public]
Always writes OUT/lifts_marginal.csv, the seed's df_lift_test: x = delta_x = 0.25, 0.1, 0.8, 0.25 on x1, x2,
x1, x2; delta_y = true ROAS x delta_x; sigma 3; dated 50, 30, 14 and 12 weeks before DATA's last date. The
true ROAS is read from OUT/truth_values.json, except with `public`.

With `public`, DATA is PyMC-Marketing's data/mmm_roas_data.csv (the seed's own data) and the script first
writes OUT/truth_values.json, the true ROAS as the seed computes it, sum(y - y01) / sum(x), and
OUT/lifts_go-dark.csv: on the same channels, each window the 8 weeks ending on that test's date,
delta_x = -(mean spend over the window), delta_y = -(the window's mean true weekly lift), sigma 10% of it.
The true lift is the file's own process (y = 100 (... + x1_effect + x2_effect + ...), x_effect = beta x
logistic(lam, geometric adstock(x))), with alpha, l_max, normalisation, lam and beta read back from its
x_adstock, x_adstock_saturated and x_effect columns; it stops unless they reproduce those columns to 1e-9.
"""
import csv
import datetime
import json
import math
import sys

out, data = sys.argv[1:3]
public = sys.argv[3:] == ["public"]
rows = list(csv.DictReader(open(data)))
dates = [datetime.date.fromisoformat(r["date"]) for r in rows]
TESTS = [("x1", 0.25, 50), ("x2", 0.1, 30), ("x1", 0.8, 14), ("x2", 0.25, 12)]
try:
    test_ends = [dates.index(dates[-1] - datetime.timedelta(weeks=weeks)) for _, _, weeks in TESTS]
except ValueError:
    sys.exit(f"seed002_lifts.py: error: {data}: not weekly up to the last date (the seed's test dates, 50, 30,"
             " 14 and 12 weeks before it, must be rows)")


def adstock(x, alpha, l_max, normalize):
    w = [alpha**k for k in range(l_max)]
    total = sum(w) if normalize else 1.0
    return [sum(w[k] * x[t - k] for k in range(min(l_max, t + 1))) / total for t in range(len(x))]


def logistic(x, lam):
    return [(1 - math.exp(-lam * v)) / (1 + math.exp(-lam * v)) for v in x]


def read_process(col, c):
    """alpha, l_max, normalize, lam, beta of channel c's effect column, checked against the file."""
    x, a = col[c], col[f"{c}_adstock"]
    best = None
    for l_max in range(1, 25):
        for normalize in (True, False):
            def error(alpha):
                return sum((u - v) ** 2 for u, v in zip(adstock(x, alpha, l_max, normalize), a))
            lo, hi = 0.0, 1.0  # golden-section search for alpha on (0, 1)
            for _ in range(200):
                m1, m2 = lo + (hi - lo) * 0.382, lo + (hi - lo) * 0.618
                lo, hi = (lo, m2) if error(m1) < error(m2) else (m1, hi)
            alpha = (lo + hi) / 2
            worst = max(abs(u - v) for u, v in zip(adstock(x, alpha, l_max, normalize), a))
            if best is None or worst < best[0]:
                best = (worst, alpha, l_max, normalize)
    _, alpha, l_max, normalize = best
    saturated = col[f"{c}_adstock_saturated"]
    informative = [(s, v) for s, v in zip(saturated, a) if v > 1e-6]
    lam = sum(2 * math.atanh(s) / v for s, v in informative) / len(informative)
    beta = sum(col[f"{c}_effect"]) / sum(saturated)
    effect = [beta * s for s in logistic(adstock(x, alpha, l_max, normalize), lam)]
    worst = max(best[0], max(abs(u - v) for u, v in zip(effect, col[f"{c}_effect"])),
                max(abs(100 * e - (y - y0)) for e, y, y0 in zip(effect, col["y"], col[f"y0{c[-1]}"])))
    if worst > 1e-9:
        sys.exit(f"seed002_lifts.py: error: {data}: {c}'s process not reproduced (max error {worst:.2e})")
    print(f"{c}: alpha {alpha:.6f}, l_max {l_max}, normalize {normalize}, lam {lam:.6f}, beta {beta:.6f}"
          f" (reproduces the file's columns to {worst:.1e})")
    return alpha, l_max, normalize, lam, beta


if public:
    need = ["x1", "x2", "y", "y01", "y02", "x1_adstock", "x2_adstock", "x1_adstock_saturated",
            "x2_adstock_saturated", "x1_effect", "x2_effect"]
    missing = [c for c in need if c not in rows[0]]
    if missing:
        sys.exit(f"seed002_lifts.py: error: {data}: missing column(s) {', '.join(missing)}")
    col = {c: [float(r[c]) for r in rows] for c in need}
    truth = {f"roas[{c}]": sum(y - y0 for y, y0 in zip(col["y"], col[f"y0{c[-1]}"])) / sum(col[c])
             for c in ["x1", "x2"]}
    json.dump(truth, open(f"{out}/truth_values.json", "w"), indent=2, sort_keys=True)
    process = {c: read_process(col, c) for c in ["x1", "x2"]}
    with open(f"{out}/lifts_go-dark.csv", "w") as f:
        f.write("channel,x,delta_x,delta_y,sigma,start,end\n")
        for (c, _, _), end in zip(TESTS, test_ends):
            alpha, l_max, normalize, lam, beta = process[c]
            window = range(end - 7, end + 1)
            dark = [0.0 if t in window else v for t, v in enumerate(col[c])]
            on = logistic(adstock(col[c], alpha, l_max, normalize), lam)
            off = logistic(adstock(dark, alpha, l_max, normalize), lam)
            lift = sum(100 * beta * (on[t] - off[t]) for t in window) / len(window)
            spend = sum(col[c][t] for t in window) / len(window)
            f.write(f"{c},{spend:.6f},{-spend:.6f},{-lift:.6f},{0.1 * lift:.6f},{dates[window[0]]},{dates[end]}\n")

truth = json.load(open(f"{out}/truth_values.json"))
with open(f"{out}/lifts_marginal.csv", "w") as f:
    f.write("channel,x,delta_x,delta_y,sigma,date\n")
    for (c, x, _), end in zip(TESTS, test_ends):
        f.write(f"{c},{x},{x},{truth[f'roas[{c}]'] * x:.6f},3,{dates[end]}\n")
