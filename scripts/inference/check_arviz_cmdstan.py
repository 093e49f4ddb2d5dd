#!/usr/bin/env python3
"""Read our CmdStan CSVs with arviz.from_cmdstan and compare az.summary with our summary.json.

    swift build -c release --product inference-benchmark
    .build/release/inference-benchmark csv /tmp/eight-schools
    /tmp/azenv/bin/python scripts/inference/check_arviz_cmdstan.py /tmp/eight-schools

Prints ArviZ's summary of the draws, the sampler statistics it recovered, and the largest
relative difference between ArviZ's and our R-hat / ESS / MCSE / HDI for every parameter.
"""
import json
import pathlib
import sys

import arviz as az
import numpy as np
import pandas as pd

directory = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/eight-schools")
files = sorted(str(p) for p in directory.glob("chain-*.csv"))
idata = az.from_cmdstan(posterior=files)
print(idata.posterior)
print("sample_stats:", sorted(idata.sample_stats.data_vars))
print("divergences:", int(idata.sample_stats["diverging"].sum()))
pd.set_option("display.width", 200)
summary = az.summary(idata, hdi_prob=0.94, round_to="none")
print(summary.round(3))

ours = json.loads((directory / "summary.json").read_text())["parameters"]


def ours_name(arviz_name):
    # ArviZ names CmdStan's theta.3 as theta[2] (0-based); our labels are theta[school_3].
    if "[" not in arviz_name:
        return arviz_name
    base, index = arviz_name[:-1].split("[")
    return f"{base}[school_{int(index) + 1}]"


worst = {}
for name, row in summary.iterrows():
    mine = ours[ours_name(name)]
    for ours_key, az_key in [("r_hat", "r_hat"), ("ess_bulk", "ess_bulk"), ("ess_tail", "ess_tail"),
                             ("mcse_mean", "mcse_mean"), ("mean", "mean"), ("sd", "sd"),
                             ("hdi_3%", "hdi_3%"), ("hdi_97%", "hdi_97%")]:
        difference = abs(mine[ours_key] - row[az_key]) / max(abs(row[az_key]), 1e-12)
        worst[ours_key] = max(worst.get(ours_key, 0.0), difference)
print("largest relative difference ours vs ArviZ:", {k: f"{v:.2e}" for k, v in worst.items()})
ok = all(v < 0.01 for v in worst.values())
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
