"""Reference numbers for CausalMMM's HSGP term, computed once with PyMC and committed as
Tests/Fixtures/reference/hsgp_reference.json (the numbers, not PyMC).

    python3 -m venv /tmp/pymcenv && /tmp/pymcenv/bin/pip install pymc
    /tmp/pymcenv/bin/python scripts/reference/hsgp_reference.py > Tests/Fixtures/reference/hsgp_reference.json

What it records, per case: the basis phi (points x m) and sqrt_psd (m) that `pm.gp.HSGP.prior_linearized`
returns for the time index 0..T-1 shifted by PyMC-Marketing's `_time_index_mid = T // 2` (as
`pymc_marketing.mmm.tvp` passes it; PyMC then centres on the midpoint of the range), with covariance
eta**2 * cov(ls); and PyMC's InverseGamma(mu, sigma) -> (alpha, beta) with its log density at a few points (PyMC's and SciPy's).
"""

import json
import sys

import numpy as np
import pymc as pm
from scipy.stats import invgamma

cases = []
for T, m, L, cov, eta, ls in [
    (20, 7, 25.0, "expquad", 1.3, 4.0),
    (20, 7, 25.0, "matern52", 0.7, 6.5),
    (31, 9, 40.5, "matern32", 2.0, 3.0),
    (104, 12, 154.0, "matern52", 1.0, 20.0),
]:
    kernels = {
        "expquad": pm.gp.cov.ExpQuad,
        "matern52": pm.gp.cov.Matern52,
        "matern32": pm.gp.cov.Matern32,
    }
    t = np.arange(T)
    X = (t - T // 2).astype(float)[:, None]
    cov_func = eta**2 * kernels[cov](input_dim=1, ls=ls)
    gp = pm.gp.HSGP(m=[m], L=[L], cov_func=cov_func, drop_first=False)
    phi, sqrt_psd = gp.prior_linearized(X)
    phi = np.asarray(phi.eval() if hasattr(phi, "eval") else phi)
    sqrt_psd = np.asarray(sqrt_psd.eval() if hasattr(sqrt_psd, "eval") else sqrt_psd)
    cases.append(
        {
            "T": T,
            "m": m,
            "L": L,
            "cov_func": cov,
            "eta": eta,
            "ls": ls,
            "phi": phi.tolist(),
            "sqrt_psd": sqrt_psd.tolist(),
        }
    )

inverse_gamma = []
for mu, sigma in [(5.0, 10.0), (5.0, 5.0), (104.0, 30.0)]:
    dist = pm.InverseGamma.dist(mu=mu, sigma=sigma)
    alpha, beta = [float(v.eval()) for v in dist.owner.inputs[-2:]]
    points = [0.5 * mu, mu, 3.0 * mu]
    logp = [float(pm.logp(dist, x).eval()) for x in points]
    # PyMC's log density agrees with SciPy's to ~1e-7 only (its gammaln); SciPy's is the tight reference.
    logp_scipy = [float(v) for v in invgamma(alpha, scale=beta).logpdf(points)]
    inverse_gamma.append(
        {
            "mu": mu,
            "sigma": sigma,
            "alpha": alpha,
            "beta": beta,
            "points": points,
            "logp": logp,
            "logp_scipy": logp_scipy,
        }
    )

json.dump(
    {"pymc_version": pm.__version__, "hsgp": cases, "inverse_gamma": inverse_gamma},
    sys.stdout,
    indent=1,
)
sys.stdout.write("\n")
