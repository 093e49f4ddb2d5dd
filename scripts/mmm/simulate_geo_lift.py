#!/usr/bin/env python3
"""Simulates seed 000's geo lift workload (PyMC-Marketing "MMM Calibration with Geo-Level Lift Tests").

8 geos x 104 weekly dates, channel_1/channel_2 correlated ~0.99 in [0.1, 1], geometric adstock (l_max 8,
normalised, alpha 0.5), logistic saturation (lam 8 / 6, beta 0.6 / 0.5), intercept 0.3 + 0.05 g, noise sd 0.15.
As in the notebook, y is drawn in the model's units with target scale 1 (the notebook's placeholder y = 1),
so the fitted model (which divides y by max y) recovers beta * max(y) and sigma * max(y) in original units.
Lift tests: channel_1 in geos 0, 2, 4, 6 at x = the geo's mean spend, delta_x 0.1, sigma 0.02, delta_y from
the true curve.

usage: simulate_geo_lift.py OUTDIR [SEED]
"""
import os
import sys

import numpy as np

out = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else sum(map(ord, "Geo lift tests for MMM calibration"))
rng = np.random.default_rng(seed)
os.makedirs(out, exist_ok=True)

n_dates, n_geos, l_max = 104, 8, 8
geos = [f"geo_{i:02d}" for i in range(n_geos)]
dates = np.datetime64("2022-01-03") + 7 * np.arange(n_dates)
lam = np.array([8.0, 6.0])
beta = np.array([0.6, 0.5])
alpha = np.array([0.5, 0.5])
intercept = 0.3 + 0.05 * np.arange(n_geos)
sigma = 0.15

x = np.zeros((n_geos, n_dates, 2))
for g in range(n_geos):
    base = rng.uniform(0.2, 1.0, size=n_dates)
    base = base / base.max()
    scale = 0.7 + 0.3 * g / (n_geos - 1)
    for t in range(n_dates):
        x[g, t, 0] = np.clip(base[t] * scale + rng.normal(0, 0.02), 0.1, 1.0)
        x[g, t, 1] = np.clip(base[t] * scale * 0.95 + rng.normal(0, 0.02), 0.1, 1.0)

channel_scale = x.max(axis=(0, 1))  # PyMC-Marketing: max over dates and geos


def adstock(series, a):
    w = a ** np.arange(l_max)
    w = w / w.sum()
    return np.array([sum(w[l] * series[t - l] for l in range(l_max) if t - l >= 0) for t in range(len(series))])


def logistic(v, lam_):
    return (1 - np.exp(-lam_ * v)) / (1 + np.exp(-lam_ * v))


y = np.zeros((n_geos, n_dates))
for g in range(n_geos):
    mu = np.full(n_dates, intercept[g])
    for c in range(2):
        mu += beta[c] * logistic(adstock(x[g, :, c] / channel_scale[c], alpha[c]), lam[c])
    y[g] = mu + rng.normal(0, sigma, size=n_dates)

with open(os.path.join(out, "data.csv"), "w") as f:
    f.write("date,geo,channel_1,channel_2,y\n")
    for g in range(n_geos):
        for t in range(n_dates):
            f.write(f"{dates[t]},{geos[g]},{float(x[g, t, 0])!r},{float(x[g, t, 1])!r},{float(y[g, t])!r}\n")

with open(os.path.join(out, "lift_tests.csv"), "w") as f:
    f.write("channel,geo,x,delta_x,delta_y,sigma\n")
    for g in [0, 2, 4, 6]:
        xm = x[g, :, 0].mean()
        dy = beta[0] * (logistic((xm + 0.1) / channel_scale[0], lam[0]) - logistic(xm / channel_scale[0], lam[0]))
        f.write(f"channel_1,{geos[g]},{float(xm)!r},0.1,{float(dy)!r},0.02\n")

config = """date_column: date
target_column: y
geo_column: geo
channel_columns: [channel_1, channel_2]
adstock: {type: geometric, l_max: 8, normalize: true}
saturation: {type: logistic}
priors:
  adstock_alpha: {dist: Beta, alpha: 2, beta: 2}
  saturation_lam: {dist: Gamma, alpha: 4, beta: 0.5, dims: [geo, channel]}
  saturation_beta: {dist: HalfNormal, sigma: 1, dims: [geo, channel]}
sampler: {chains: 4, tune: 1000, draws: 1000, target_accept: 0.9, seed: 1}
"""
with open(os.path.join(out, "model.yaml"), "w") as f:
    f.write(config)

corr = np.corrcoef(x[:, :, 0].ravel(), x[:, :, 1].ravel())[0, 1]
print(f"wrote {out}: corr(channel_1, channel_2) = {corr:.3f}, channel scales = {channel_scale}, max y = {y.max():.4f}")
