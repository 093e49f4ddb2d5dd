#!/usr/bin/env bash
# Seed 000 recovery: simulate the geo lift workload, fit it uncalibrated and calibrated with
# `causal-mmm fit` (release build, 4 chains x (1000 + 1000) unless overridden), print timings and the
# parameter-recovery table.  usage: scripts/mmm/geo_recovery.sh [OUTDIR] [extra fit flags...]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/geo_recovery}
shift || true
swift build -c release --product causal-mmm >/dev/null
BIN="$(swift build -c release --show-bin-path)/causal-mmm"
python3 scripts/mmm/simulate_geo_lift.py "$OUT/data"
for variant in uncalibrated calibrated; do
  lifts=()
  [ "$variant" = calibrated ] && lifts=(--lift-tests "$OUT/data/lift_tests.csv")
  /usr/bin/time -f "$variant: end-to-end %e s wall, %U s user CPU (load average before: $(cut -d' ' -f1 /proc/loadavg))" \
    "$BIN" fit --config "$OUT/data/model.yaml" --data "$OUT/data/data.csv" "${lifts[@]}" \
    --out "$OUT/$variant" --force --quiet "$@"
done
python3 scripts/mmm/compare_recovery.py "$OUT"
