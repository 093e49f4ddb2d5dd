#!/usr/bin/env bash
# Seed 003, TV experiment: simulate weekly sales with TV, social, search and a demand proxy
# (dags/tv_experiment.dot), run the seed's 8-week TV experiment generator, preprocess it into a
# lift-test row, fit the MMM without and with it, and compare contribution shares with the truth.
#   usage: Examples/TVExperiment/run.sh     (env: OUT, SEED, CHAINS, TUNE, DRAWS, BIN)
source "$(dirname "$0")/../../scripts/examples/common.sh"
HERE="$ROOT/Examples/TVExperiment"
OUT=${OUT:-$HERE/out}
SEED=${SEED:-3}
S=(--chains "${CHAINS:-2}" --tune "${TUNE:-500}" --draws "${DRAWS:-500}" --seed "$SEED")
mkdir -p "$OUT"

echo "== simulate (dags/tv_experiment.dot) and the 8-week TV experiment"
$PY "$ROOT/scripts/examples/simulate_tv_experiment.py" "$OUT" "$SEED"
cat "$OUT/lift_tests.csv"

echo "== fit: uncalibrated, calibrated with the TV lift test"
"$BIN" fit --config "$HERE/model.yaml" --data "$OUT/data.csv" --out "$OUT/uncalibrated" --force --quiet "${S[@]}"
"$BIN" fit --config "$HERE/model.yaml" --data "$OUT/data.csv" --lift-tests "$OUT/lift_tests.csv" \
  --out "$OUT/calibrated" --force --quiet "${S[@]}"

echo "== contribution shares of total sales (94% HDI) against the truth"
$PY "$ROOT/scripts/examples/share_table.py" "$OUT/truth.json" "$OUT/data.csv" "$OUT/truth_values.json" \
  uncalibrated="$OUT/uncalibrated" calibrated="$OUT/calibrated"

echo "== report"
"$BIN" report --fit "$OUT/uncalibrated" --compare "$OUT/calibrated" --truth "$OUT/truth_values.json" \
  --labels uncalibrated,calibrated -o "$OUT/report.html" --title "TV experiment calibration (seed 003)"
