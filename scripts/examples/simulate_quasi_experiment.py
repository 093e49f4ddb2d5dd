#!/usr/bin/env python3
"""Seed 004 data: Venezuela and Colombia weekly sales sharing weather, seasonality and the company's
marketing plan (dags/quasi_experiment.dot), with two spend interventions on Venezuela's meta channel:
a boost (weeks 60-69, spend set to 6) and the seed's cut (weeks 120-129, spend set to 0.3).

Structural equations (t = week 0..155, dates weekly from 2021-01-04):
  seasonality_t = sin(2 pi t / 52) + 0.5 cos(2 pi t / 52)
  weather_t     = 0.7 weather_{t-1} + N(0, 0.3)
  plan_t        = 3 + 0.25 sin(2 pi t / 26) + N(0, 0.1)          (marketing: the shared plan)
  meta_ve_t     = plan_t + N(0, 0.1), replaced by do(meta_ve := 6) / do(meta_ve := 0.3) in the windows
  meta_co_t     = 0.9 plan_t + N(0, 0.1)
  s(x)          = 2.75 x / (2.5 + x)  on geometric adstock (alpha 0.5, l_max 4, normalised)
  venezuela_t   = 5.0 + 1.0 seasonality_t + 0.8 weather_t + s(adstock(meta_ve))_t + N(0, 0.12)
  colombia_t    = 6.0 + 1.1 seasonality_t + 0.9 weather_t + s(adstock(meta_co))_t + N(0, 0.12)

usage: simulate_quasi_experiment.py OUT_DIR [SEED]
Writes OUT_DIR/data.csv (date, venezuela, colombia, meta, weather), OUT_DIR/venezuela.csv (the MMM's
columns: date, venezuela, meta, weather) and OUT_DIR/truth.json with the
true per-week effects of each intervention (do(meta_ve := planned spend) vs the intervention).
"""
import csv
import datetime
import json
import os
import sys

import numpy as np

out = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 4
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(seed)
T = 156
ALPHA, LAM, DECAY, L_MAX = 2.75, 2.5, 0.5, 4
WINDOWS = {"boost": (60, 69, 6.0), "cut": (120, 129, 0.3)}
STEADY_FROM = 3  # rows of a window before the adstock (l_max 4) has fully switched

t = np.arange(T)
seasonality = np.sin(2 * np.pi * t / 52) + 0.5 * np.cos(2 * np.pi * t / 52)
weather = np.zeros(T)
for i in range(1, T):
    weather[i] = 0.7 * weather[i - 1] + rng.normal(0, 0.3)
plan = 3 + 0.25 * np.sin(2 * np.pi * t / 26) + rng.normal(0, 0.1, T)
planned_ve = plan + rng.normal(0, 0.1, T)
meta_co = 0.9 * plan + rng.normal(0, 0.1, T)
noise_ve = rng.normal(0, 0.12, T)
noise_co = rng.normal(0, 0.12, T)
meta_ve = planned_ve.copy()
for start, end, level in WINDOWS.values():
    meta_ve[start:end + 1] = level

weights = DECAY ** np.arange(L_MAX)
weights /= weights.sum()


def adstock(x):
    return np.array([sum(weights[l] * x[i - l] for l in range(L_MAX) if i - l >= 0) for i in range(T)])


def saturation(x):
    return ALPHA * x / (LAM + x)


def venezuela(spend):
    return 5.0 + 1.0 * seasonality + 0.8 * weather + saturation(adstock(spend)) + noise_ve


ve = venezuela(meta_ve)
ve_planned = venezuela(planned_ve)  # the counterfactual world: no intervention
co = 6.0 + 1.1 * seasonality + 0.9 * weather + saturation(adstock(meta_co)) + noise_co

day0 = datetime.date(2021, 1, 4)
dates = [(day0 + datetime.timedelta(weeks=int(i))).isoformat() for i in t]
with open(os.path.join(out, "data.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["date", "venezuela", "colombia", "meta", "weather"])
    for i in t:
        w.writerow([dates[i], f"{ve[i]:.5f}", f"{co[i]:.5f}", f"{meta_ve[i]:.5f}", f"{weather[i]:.5f}"])
with open(os.path.join(out, "venezuela.csv"), "w", newline="") as f:  # the MMM's columns only
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["date", "venezuela", "meta", "weather"])
    for i in t:
        w.writerow([dates[i], f"{ve[i]:.5f}", f"{meta_ve[i]:.5f}", f"{weather[i]:.5f}"])

truth = {"alpha": ALPHA, "lam": LAM, "adstock_alpha": DECAY, "l_max": L_MAX, "steady_from": STEADY_FROM,
         "meta_max": float(meta_ve.max()), "venezuela_max_abs": float(np.abs(ve).max()), "windows": {}}
for name, (start, end, level) in WINDOWS.items():
    effect = ve[start:end + 1] - ve_planned[start:end + 1]
    truth["windows"][name] = {
        "start": dates[start], "end": dates[end], "spend_level": level,
        "planned_spend_mean": float(planned_ve[start:end + 1].mean()),
        "true_cumulative_effect": float(effect.sum()),
        "true_mean_effect_steady": float(effect[STEADY_FROM:].mean()),
    }
json.dump(truth, open(os.path.join(out, "truth.json"), "w"), indent=2)
for name, wnd in truth["windows"].items():
    print(f"{name}: {wnd['start']}..{wnd['end']} meta := {wnd['spend_level']} (planned {wnd['planned_spend_mean']:.2f}); "
          f"true cumulative effect {wnd['true_cumulative_effect']:.3f}, "
          f"true mean effect per week (rows {STEADY_FROM + 1}-10) {wnd['true_mean_effect_steady']:.3f}")
