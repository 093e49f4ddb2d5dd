#!/usr/bin/env bash
# Timings of `curves` (21 multipliers) and `optimize` (13-week horizon, per-geo allocation) on seed 000's
# geo workload: 8 geos, 2 channels, a 4 x 1000-draw fit (as scripts/mmm/geo_recovery.sh makes it).
# Targets: curves < 1 s, optimize < 2 s (wall, release build). Prints, does not assert.
# usage: scripts/decisions/benchmark.sh [OUTDIR]   (CAUSAL_MMM=path/to/binary skips the release build)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/decisions_benchmark}
if [ -z "${CAUSAL_MMM:-}" ]; then
  swift build -c release --product causal-mmm >/dev/null
  CAUSAL_MMM="$(swift build -c release --show-bin-path)/causal-mmm"
fi
python3 scripts/mmm/simulate_geo_lift.py "$OUT/data" >/dev/null
[ -f "$OUT/fit/draws_unconstrained.csv" ] || "$CAUSAL_MMM" fit --config "$OUT/data/model.yaml" \
  --data "$OUT/data/data.csv" --out "$OUT/fit" --force --quiet
echo "draws: $(($(wc -l <"$OUT/fit/draws_unconstrained.csv") - 1)); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
TIMEFORMAT="%R s wall, %U s user CPU"
echo "curves --multipliers 0:2:0.1 (21 points, 2 channels):"
time "$CAUSAL_MMM" curves --fit "$OUT/fit" --multipliers 0:2:0.1 --format json >/dev/null
echo "optimize --budget 100 --start 2024-01-01 --periods 13 --relative-bounds 0.5:1.5 (16 geo x channel units):"
time "$CAUSAL_MMM" optimize --fit "$OUT/fit" --budget 100 --start 2024-01-01 --periods 13 \
  --relative-bounds 0.5:1.5 --format json >/dev/null
echo "the floor of both: loading the fit and one curve point (curves --multipliers 1 --channels channel_1):"
time "$CAUSAL_MMM" curves --fit "$OUT/fit" --multipliers 1 --channels channel_1 --format json >/dev/null
