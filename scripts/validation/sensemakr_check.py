"""Cross-check of causal-mmm's OLS sensitivity (Cinelli & Hazlett 2020) against PySensemakr.

On sensemakr's Darfur data: OLS peacefactor ~ directlyharmed + age + farmer_dar + herder_dar +
pastvoted + hhsize_darfur + female + village (village as fixed effects, as in PySensemakr's example,
where the formula's string column becomes dummies). Compares t, partial R2, RV (q = 1) and RV at
alpha = 0.05 for directlyharmed, and the bounds for confounders 1-3x as strong as female, to 1e-6.

usage: python3 sensemakr_check.py CAUSAL_MMM_BINARY OUT_DIR
"""
import json
import subprocess
import sys

import numpy as np
import scipy.stats
import sensemakr as smkr
import statsmodels.formula.api as smf

binary, out = sys.argv[1], sys.argv[2]
darfur = smkr.load_darfur()
formula = ("peacefactor ~ directlyharmed + age + farmer_dar + herder_dar + pastvoted + hhsize_darfur"
           " + female + village")
model = smf.ols(formula=formula, data=darfur).fit()
# PySensemakr 0.0.8's benchmark path indexes a pandas Series by position, which pandas 3 refuses; its
# summary statistics work, and the benchmark bounds are computed with its own functions from the
# partial R2 of `female` (statsmodels t-statistics in the outcome and in the treatment regression),
# the route its documentation gives for published results.
stats = smkr.Sensemakr(model=model, treatment="directlyharmed", q=1.0, alpha=0.05).sensitivity_stats
treatment_model = smf.ols(formula=formula.replace("peacefactor ~ directlyharmed +", "directlyharmed ~"),
                          data=darfur).fit()
r2yxj = smkr.partial_r2(t_statistic=np.array([model.tvalues["female"]]), dof=model.df_resid)
r2dxj = smkr.partial_r2(t_statistic=np.array([treatment_model.tvalues["female"]]), dof=treatment_model.df_resid)
bounds = smkr.ovb_partial_r2_bound(r2dxj_x=r2dxj, r2yxj_dx=r2yxj, kd=[1, 2, 3], ky=[1, 2, 3])
estimate, se, dof = float(stats["estimate"]), float(stats["se"]), float(stats["dof"])
bounds["adjusted_estimate"] = smkr.adjusted_estimate(bounds["r2dz_x"], bounds["r2yz_dx"], estimate=estimate, se=se, dof=dof)
bounds["adjusted_se"] = smkr.adjusted_se(bounds["r2dz_x"], bounds["r2yz_dx"], se=se, dof=dof)
critical = abs(scipy.stats.t.ppf(0.05 / 2, dof))
bounds["adjusted_lower_CI"] = bounds["adjusted_estimate"] - critical * bounds["adjusted_se"]
bounds["adjusted_upper_CI"] = bounds["adjusted_estimate"] + critical * bounds["adjusted_se"]

covariates = ["age", "farmer_dar", "herder_dar", "pastvoted", "hhsize_darfur", "female"]
columns = ["peacefactor", "directlyharmed"] + covariates + ["village"]
path = f"{out}/darfur.csv"
darfur[columns].to_csv(path, index=False, float_format="%.17g")
ours = json.loads(subprocess.run(
    [binary, "sensitivity", "--table", path, "--outcome", "peacefactor", "--treatment", "directlyharmed",
     "--covariates", ",".join(covariates), "--fixed-effects", "village", "--benchmark", "female"],
    check=True, capture_output=True, text=True).stdout)

rows = [
    ("estimate", float(stats["estimate"]), ours["estimate"]),
    ("se", float(stats["se"]), ours["standard_error"]),
    ("t", float(stats["t_statistic"]), ours["t_statistic"]),
    ("dof", float(stats["dof"]), float(ours["degrees_of_freedom"])),
    ("partial R2", float(stats["r2yd_x"]), ours["partial_r2"]),
    ("RV (q=1)", float(stats["rv_q"]), ours["robustness_value"]),
    ("RV (q=1, alpha=0.05)", float(stats["rv_qa"]), ours["robustness_value_alpha"]),
]
for k, (_, bound) in enumerate(bounds.iterrows()):
    b = ours["bounds"][k]
    label = f"{k + 1}x female"
    rows += [
        (f"{label}: R2 d~z|x", float(bound["r2dz_x"]), b["r2_treatment_confounder"]),
        (f"{label}: R2 y~z|d,x", float(bound["r2yz_dx"]), b["r2_outcome_confounder"]),
        (f"{label}: adjusted estimate", float(bound["adjusted_estimate"]), b["adjusted_estimate"]),
        (f"{label}: adjusted se", float(bound["adjusted_se"]), b["adjusted_standard_error"]),
        (f"{label}: adjusted lower", float(bound["adjusted_lower_CI"]), b["adjusted_lower"]),
        (f"{label}: adjusted upper", float(bound["adjusted_upper_CI"]), b["adjusted_upper"]),
    ]
print(f"Darfur (n = {len(darfur)}), treatment directlyharmed, village fixed effects")
print(f"{'quantity':36s} {'PySensemakr':>16s} {'causal-mmm':>16s} {'|diff|':>10s}")
worst = 0.0
for name, theirs, mine in rows:
    diff = abs(theirs - mine)
    worst = max(worst, diff)
    print(f"{name:36s} {theirs:16.10f} {mine:16.10f} {diff:10.2e}")
print(f"largest difference {worst:.2e}: {'PASS' if worst < 1e-6 else 'FAIL'} (tolerance 1e-6)")
sys.exit(0 if worst < 1e-6 else 1)
