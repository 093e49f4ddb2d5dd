#!/usr/bin/env bash
# How much the seed-002 convergence verdict depends on the sampler's seed: fits the uncalibrated variant of
# a finished seed002_study.sh run (its data.csv) once per sampler seed and prints, per seed, max R-hat and
# the parameter it is on, min bulk ESS, the HSGP lengthscale's ESS and R-hat, divergences and seconds;
# then how many seeds meet the rule (max R-hat < 1.01 and min bulk ESS > 400).
#   usage: Examples/UnobservedConfounder/seed_sweep.sh STUDY_OUT OUT [SEEDS...]   (default seeds 1-8)
#   env:   CONFIG (default model_seed002.yaml), BIN (causal-mmm binary; default: build the release binary),
#          extra `fit` flags in FIT_FLAGS (e.g. FIT_FLAGS="--metric dense")
STUDY=${1:?usage: seed_sweep.sh STUDY_OUT OUT [SEEDS...]}
OUT=${2:?usage: seed_sweep.sh STUDY_OUT OUT [SEEDS...]}
shift 2
SEEDS=("$@")
[ ${#SEEDS[@]} -eq 0 ] && SEEDS=(1 2 3 4 5 6 7 8)
source "$(dirname "$0")/../../scripts/examples/common.sh"
CONFIG=${CONFIG:-$ROOT/Examples/UnobservedConfounder/model_seed002.yaml}
[ -f "$STUDY/data.csv" ] || { echo "seed_sweep.sh: error: $STUDY/data.csv not found (run seed002_study.sh first)" >&2; exit 1; }
read -r -a EXTRA <<<"${FIT_FLAGS:-}"
mkdir -p "$OUT"
for seed in "${SEEDS[@]}"; do
  "$BIN" fit --config "$CONFIG" --data "$STUDY/data.csv" --out "$OUT/seed$seed" --force --quiet \
    --seed "$seed" "${EXTRA[@]}" >/dev/null
done
$PY - "$OUT" "${SEEDS[@]}" <<'PY'
import json, sys
out, seeds = sys.argv[1], sys.argv[2:]
passing = 0
print("seed  max R-hat  on                                   min ESS  lengthscale ESS / R-hat  div.  seconds")
for seed in seeds:
    summary = json.load(open(f"{out}/seed{seed}/summary.json"))
    rows = summary["parameters"]
    rhat, rhat_on = max((r["r_hat"], k) for k, r in rows.items() if r["r_hat"] is not None)
    ess = min(r["ess_bulk"] for r in rows.values() if r["ess_bulk"] is not None)
    ls = [r for k, r in rows.items() if k.endswith("_ls")]
    ls_text = f"{ls[0]['ess_bulk']:7.0f} / {ls[0]['r_hat']:.4f}" if ls else "      -"
    passing += rhat < 1.01 and ess > 400
    s = summary["sampler"]
    print(f"{seed:>4}  {rhat:9.4f}  {rhat_on[-35:]:<35}  {ess:7.0f}  {ls_text:>23}  {s['divergences']:4d}  {s['seconds']:7.1f}")
print(f"{passing} of {len(seeds)} seeds meet the rule (max R-hat < 1.01, min bulk ESS > 400)")
PY
