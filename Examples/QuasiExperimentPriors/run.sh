#!/usr/bin/env bash
# Seed 004, priors from a quasi-experiment: simulate Venezuela and Colombia (dags/quasi_experiment.dot),
# measure two spend changes on Venezuela's meta channel with an interrupted time series against
# Colombia, fit the Michaelis-Menten curve to the two points, turn it into Gamma priors with the
# constrained-prior solver, and fit Venezuela's MMM with default and with informative priors.
#   usage: Examples/QuasiExperimentPriors/run.sh     (env: OUT, SEED, CHAINS, TUNE, DRAWS, BIN)
source "$(dirname "$0")/../../scripts/examples/common.sh"
HERE="$ROOT/Examples/QuasiExperimentPriors"
OUT=${OUT:-$HERE/out}
SEED=${SEED:-4}
S=(--chains "${CHAINS:-2}" --tune "${TUNE:-500}" --draws "${DRAWS:-500}" --seed "$SEED")
mkdir -p "$OUT"

echo "== simulate (dags/quasi_experiment.dot; meta boosted to 6 in weeks 60-69, cut to 0.3 in weeks 120-129)"
$PY "$ROOT/scripts/examples/simulate_quasi_experiment.py" "$OUT" "$SEED"

echo "== interrupted time series: venezuela ~ colombia on the pre-period, counterfactual on the window"
COMMON=(--data "$OUT/data.csv" --treated venezuela --control colombia --spend meta --steady-from 3
  --chains "${CHAINS:-2}" --tune "${TUNE:-500}" --draws "${DRAWS:-500}" --seed "$SEED")
echo "-- cut (the seed's experiment)"
"$BIN" its "${COMMON[@]}" --intervention-start 2023-04-24 --intervention-end 2023-06-26 \
  --pre-start 2022-05-30 --out "$OUT/its_cut.json"
echo "-- boost"
"$BIN" its "${COMMON[@]}" --intervention-start 2022-02-28 --intervention-end 2022-05-02 --out "$OUT/its_boost.json"

echo "== Michaelis-Menten curve from the two points -> Gamma priors with 94% mass in each 94% HDI"
"$BIN" saturation-prior --points "$OUT/its_cut.json,$OUT/its_boost.json" --data "$OUT/venezuela.csv" \
  --target venezuela --channel meta --family Gamma --mass 0.94 --seed "$SEED" --out "$OUT/priors.yaml"
cat "$HERE/model.yaml" "$OUT/priors.yaml" > "$OUT/model_informed.yaml"

echo "== fit Venezuela's MMM: default priors, informative priors"
"$BIN" fit --config "$HERE/model.yaml" --data "$OUT/venezuela.csv" --out "$OUT/default" --force --quiet "${S[@]}"
"$BIN" fit --config "$OUT/model_informed.yaml" --data "$OUT/venezuela.csv" --out "$OUT/informed" --force --quiet "${S[@]}"

echo "== posterior vs truth (94% HDI)"
$PY "$ROOT/scripts/examples/prior_comparison.py" "$OUT/truth.json" "$OUT/truth_values.json" \
  default="$OUT/default" informed="$OUT/informed"

echo "== report"
"$BIN" report --fit "$OUT/default" --compare "$OUT/informed" --truth "$OUT/truth_values.json" \
  --labels default,informed -o "$OUT/report.html" --title "Priors from a quasi-experiment (seed 004)"
