"""Cross-check of `causal-mmm optimize` against scipy's SLSQP on the same problem.

Reads the problem that `optimize --export-problem FILE` wrote (per draw and decision unit the response
terms R_du(b) = c_y sum_k w_k [s(A_k + b P_k) - s(A_k)], the budget groups and bounds, and our optimal
allocation), maximises the posterior-mean objective with SLSQP from the current allocation, and prints
both allocations and objective values with their relative differences.

usage: slsqp_check.py PROBLEM.json
"""
import json
import sys

import numpy as np
from scipy.optimize import minimize


def saturation(kind, x, p):
    if kind == "logistic":
        lam, beta = p[..., 0:1], p[..., 1:2]
        e = np.exp(-lam * x)
        return beta * (1 - e) / (1 + e)
    if kind == "michaelis_menten":
        alpha, lam = p[..., 0:1], p[..., 1:2]
        return alpha * x / (lam + x)
    if kind == "hill":
        slope, kappa, beta = p[..., 0:1], p[..., 1:2], p[..., 2:3]
        xs = np.maximum(x, 1e-300)
        return np.where(x > 0, beta / (1 + (kappa / xs) ** slope), 0.0)
    raise SystemExit(f"saturation {kind} not implemented in the cross-check")


def main():
    problem = json.load(open(sys.argv[1]))
    D, U, K = problem["draws"], problem["units"], problem["terms"]
    kind = problem["saturation"]
    params = np.array(problem["parameters"]).reshape(D, U, -1)
    A = np.array(problem["base"]).reshape(D, U, K)
    P = np.array(problem["slope"]).reshape(D, U, K)
    W = np.array(problem["weight"]).reshape(D, U, K)
    cy = problem["target_scale"]
    groups = np.array(problem["group"])
    budgets = np.array(problem["budgets"])
    lower, upper = np.array(problem["lower"]), np.array(problem["upper"])
    ours = np.array(problem["optimal"])
    current = np.array(problem["current"])
    scale = budgets.sum()
    base = (W * saturation(kind, A, params)).sum(axis=2)

    def objective(b):
        values = (W * saturation(kind, A + b[None, :, None] * P, params)).sum(axis=2) - base
        return cy * values.sum(axis=1).mean()

    constraints = [
        {"type": "eq", "fun": (lambda x, g=g: (x[groups == g].sum() - budgets[g] / scale))}
        for g in range(len(budgets))
    ]
    result = minimize(
        lambda x: -objective(x * scale), current / scale, method="SLSQP",
        bounds=list(zip(lower / scale, upper / scale)), constraints=constraints,
        options={"ftol": 1e-15, "maxiter": 1000})
    theirs = result.x * scale
    f_ours, f_theirs = objective(ours), objective(theirs)
    print(f"SLSQP: {result.message} ({result.nit} iterations)")
    print(f"{'unit':<28}{'causal-mmm':>16}{'SLSQP':>16}{'rel. diff':>12}")
    for u, label in enumerate(problem["labels"]):
        diff = abs(ours[u] - theirs[u]) / max(abs(theirs[u]), 1e-12 * scale)
        print(f"{label:<28}{ours[u]:>16.8g}{theirs[u]:>16.8g}{diff:>12.2e}")
    worst = np.max(np.abs(ours - theirs)) / scale
    print(f"objective: causal-mmm {f_ours:.12g}, SLSQP {f_theirs:.12g}, "
          f"relative difference {abs(f_ours - f_theirs) / abs(f_theirs):.2e}")
    print(f"largest allocation difference / budget: {worst:.2e}")
    ok = abs(f_ours - f_theirs) <= 1e-4 * abs(f_theirs) and worst <= 1e-4
    print("AGREE to 1e-4" if ok else "DISAGREE")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
