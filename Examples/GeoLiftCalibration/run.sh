#!/usr/bin/env bash
# Seed 000, geo lift calibration: 8 geos, 2 channels correlated ~0.99, 4 geo lift tests on channel_1.
# Reuses the MMM engineer's seed-000 scripts (scripts/mmm/simulate_geo_lift.py, compare_recovery.py,
# the same workload as scripts/mmm/geo_recovery.sh) and adds the HTML report.
#   usage: Examples/GeoLiftCalibration/run.sh          (env: OUT, CHAINS, TUNE, DRAWS, BIN)
source "$(dirname "$0")/../../scripts/examples/common.sh"
HERE="$ROOT/Examples/GeoLiftCalibration"
OUT=${OUT:-$HERE/out}
S=(--chains "${CHAINS:-2}" --tune "${TUNE:-500}" --draws "${DRAWS:-500}")
mkdir -p "$OUT"
echo "== simulate (dags/geo_lift.dot)"
$PY "$ROOT/scripts/mmm/simulate_geo_lift.py" "$OUT/data"
cat "$OUT/data/lift_tests.csv"
for variant in uncalibrated calibrated; do
  lifts=()
  [ "$variant" = calibrated ] && lifts=(--lift-tests "$OUT/data/lift_tests.csv")
  "$BIN" fit --config "$OUT/data/model.yaml" --data "$OUT/data/data.csv" "${lifts[@]}" \
    --out "$OUT/$variant" --force --quiet "${S[@]}"
done
echo "== recovery (geo_00; beta and sigma in original units)"
$PY "$ROOT/scripts/mmm/compare_recovery.py" "$OUT"
cat > "$OUT/truth.json" <<JSON
{"saturation_lam[geo_00,channel_1]": 8, "saturation_lam[geo_00,channel_2]": 6,
 "adstock_alpha[channel_1]": 0.5, "adstock_alpha[channel_2]": 0.5}
JSON
echo "== report"
"$BIN" report --fit "$OUT/uncalibrated" --compare "$OUT/calibrated" --truth "$OUT/truth.json" \
  --labels uncalibrated,calibrated -o "$OUT/report.html" --title "Geo lift calibration (seed 000)"
