#!/usr/bin/env python3
"""Seed 003 data and experiment (dags/tv_experiment.dot): weekly sales driven by an unobserved demand,
TV, social and search, where social and search are bought when demand is high and the model only
sees a noisy demand proxy. Then the seed's experiment generator: an 8-week TV test.

Structural equations (t = week 0..103, dates weekly from 2022-01-03):
  demand_t       = 1000 (1 + 0.0025 t + 0.25 sin(2 pi t / 52)) + N(0, 40)        (latent)
  demand_proxy_t = (demand_t + N(0, 100)) / 1000   (observed; an index near 1, as the MMM's controls are unscaled)
  tv_t           = flighting: 0 in half the weeks, else Uniform(2000, 14000)       (planned, independent)
  social_t       = 4 demand_t + N(0, 600), >= 0;  search_t = 2 demand_t + N(0, 300), >= 0
  channel c: geometric adstock (l_max 8, normalised) of spend_c / max(spend_c), then logistic
             saturation (1 - e^(-lam x)) / (1 + e^(-lam x)), times beta_c
             adstock alpha tv 0.5, social 0.25, search 0.05; lam tv 1.5, social 2.5, search 3.5;
             beta tv 350 (the seed's), social and search chosen for the seed's shares
  sales_t        = k demand_t + tv_t + social_t + search_t + N(0, 2% of mean sales)
with k and the betas set so that demand, TV, social and search make 70%, 14%, 11% and 5% of the
(noise-free) sales, the seed's true contributions.

Experiment (the seed's exp_generator): TV at the mean weekly spend for 8 weeks from zero adstock,
contribution = beta * logistic(adstock(spend / max spend)); the lift per week is its mean, sigma 5%.
Lift CSV row: channel, x = 0, delta_x = mean weekly spend, delta_y, sigma (per-period levels).

usage: simulate_tv_experiment.py OUT_DIR [SEED]
Writes OUT_DIR/data.csv, OUT_DIR/lift_tests.csv, OUT_DIR/experiment.csv and OUT_DIR/truth.json.
"""
import csv
import datetime
import json
import os
import sys

import numpy as np

out = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 3
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(seed)
T, L_MAX = 104, 8
CHANNELS = ["tv_spend_raw", "social_spend_raw", "search_spend_raw"]
ADSTOCK = {"tv_spend_raw": 0.5, "social_spend_raw": 0.25, "search_spend_raw": 0.05}
LAM = {"tv_spend_raw": 1.5, "social_spend_raw": 2.5, "search_spend_raw": 3.5}
SHARES = {"demand": 0.70, "tv_spend_raw": 0.14, "social_spend_raw": 0.11, "search_spend_raw": 0.05}

t = np.arange(T)
demand = 1000 * (1 + 0.0025 * t + 0.25 * np.sin(2 * np.pi * t / 52)) + rng.normal(0, 40, T)
proxy = demand + rng.normal(0, 100, T)
spend = {
    "tv_spend_raw": np.where(rng.uniform(size=T) < 0.5, 0.0, rng.uniform(2000, 14000, T)),
    "social_spend_raw": np.maximum(4 * demand + rng.normal(0, 600, T), 0),
    "search_spend_raw": np.maximum(2 * demand + rng.normal(0, 300, T), 0),
}


def adstock(x, alpha):
    w = alpha ** np.arange(L_MAX)
    w /= w.sum()
    return np.array([sum(w[l] * x[i - l] for l in range(L_MAX) if i - l >= 0) for i in range(len(x))])


def logistic(x, lam):
    return (1 - np.exp(-lam * x)) / (1 + np.exp(-lam * x))


shape = {c: logistic(adstock(spend[c] / spend[c].max(), ADSTOCK[c]), LAM[c]) for c in CHANNELS}
beta = {"tv_spend_raw": 350.0}
total = beta["tv_spend_raw"] * shape["tv_spend_raw"].sum() / SHARES["tv_spend_raw"]
for c in CHANNELS[1:]:
    beta[c] = SHARES[c] * total / shape[c].sum()
k = SHARES["demand"] * total / demand.sum()
contribution = {c: beta[c] * shape[c] for c in CHANNELS}
mean_sales = total / T
sales = k * demand + sum(contribution.values()) + rng.normal(0, 0.02 * mean_sales, T)

day0 = datetime.date(2022, 1, 3)
dates = [(day0 + datetime.timedelta(weeks=int(i))).isoformat() for i in t]
with open(os.path.join(out, "data.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["date", "sales"] + CHANNELS + ["demand_proxy"])
    for i in t:
        w.writerow([dates[i], f"{sales[i]:.4f}"] + [f"{spend[c][i]:.4f}" for c in CHANNELS] + [f"{proxy[i] / 1000:.5f}"])

# The seed's experiment generator: 8 weeks of TV at the mean weekly spend, starting from zero adstock.
weekly_spend = spend["tv_spend_raw"].mean()
max_abs_spend = spend["tv_spend_raw"].max()
x = np.full(8, weekly_spend / max_abs_spend)
exp_adstock = adstock(x, ADSTOCK["tv_spend_raw"])
exp_sales = beta["tv_spend_raw"] * logistic(exp_adstock, LAM["tv_spend_raw"])
test_start = datetime.date(2024, 1, 1)
with open(os.path.join(out, "experiment.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["date", "tv_spend_raw", "tv_spend", "tv_adstock", "tv_sales"])
    for i in range(8):
        w.writerow([(test_start + datetime.timedelta(weeks=i)).isoformat(), f"{weekly_spend:.4f}",
                    f"{x[i]:.6f}", f"{exp_adstock[i]:.6f}", f"{exp_sales[i]:.4f}"])
weekly_sales = exp_sales.mean()
steady = beta["tv_spend_raw"] * logistic(weekly_spend / max_abs_spend, LAM["tv_spend_raw"])
with open(os.path.join(out, "lift_tests.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["channel", "x", "delta_x", "delta_y", "sigma"])
    w.writerow(["tv_spend_raw", 0, f"{weekly_spend:.4f}", f"{weekly_sales:.4f}", f"{0.05 * weekly_sales:.4f}"])

truth = {
    "shares": SHARES, "beta": beta, "lam": LAM, "adstock_alpha": ADSTOCK, "demand_coefficient": k,
    "total_sales_noise_free": float(total), "total_sales": float(sales.sum()),
    "contribution_total": {c: float(contribution[c].sum()) for c in CHANNELS},
    "channel_max": {c: float(spend[c].max()) for c in CHANNELS}, "sales_max": float(np.abs(sales).max()),
    "lift_test": {"weekly_spend": float(weekly_spend), "delta_y_8_week_mean": float(weekly_sales),
                  "delta_y_steady_state": float(steady)},
}
json.dump(truth, open(os.path.join(out, "truth.json"), "w"), indent=2)
print(f"{T} weeks; true shares: demand 70%, TV 14%, social 11%, search 5%; "
      f"corr(demand, social) {np.corrcoef(demand, spend['social_spend_raw'])[0, 1]:.2f}, "
      f"corr(demand, proxy) {np.corrcoef(demand, proxy)[0, 1]:.2f}")
print(f"TV test: {weekly_spend:.1f}/week for 8 weeks from zero adstock; lift per week "
      f"{' '.join(f'{v:.1f}' for v in exp_sales)}; mean {weekly_sales:.2f} "
      f"(steady state {steady:.2f}: the 8-week mean is {100 * (weekly_sales / steady - 1):+.0f}% because of the ramp-up)")
