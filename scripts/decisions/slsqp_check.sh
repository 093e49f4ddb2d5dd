#!/usr/bin/env bash
# Cross-checks `causal-mmm optimize` against scipy's SLSQP: fits seed 000's geo workload (short chains),
# exports the optimizer's problem (per-draw response terms, budget, bounds, our optimum) and solves it
# again with SLSQP; prints both allocations and objective values (they must agree to 1e-4 relative).
# usage: scripts/decisions/slsqp_check.sh [OUTDIR]   (CAUSAL_MMM=path/to/binary skips the release build)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/slsqp_check}
if [ -z "${CAUSAL_MMM:-}" ]; then
  swift build -c release --product causal-mmm >/dev/null
  CAUSAL_MMM="$(swift build -c release --show-bin-path)/causal-mmm"
fi
python3 scripts/mmm/simulate_geo_lift.py "$OUT/data" >/dev/null
[ -f "$OUT/fit/draws_unconstrained.csv" ] || "$CAUSAL_MMM" fit --config "$OUT/data/model.yaml" \
  --data "$OUT/data/data.csv" --out "$OUT/fit" --force --quiet --chains 2 --tune 300 --draws 200
for bounds in "--relative-bounds 0.5:1.5" "--bounds channel_2=0:6"; do
  echo "== optimize --budget 100 --start 2024-01-01 --periods 13 $bounds"
  # shellcheck disable=SC2086
  "$CAUSAL_MMM" optimize --fit "$OUT/fit" --budget 100 --start 2024-01-01 --periods 13 $bounds \
    --export-problem "$OUT/problem.json" >"$OUT/optimize.txt"
  python3 scripts/decisions/slsqp_check.py "$OUT/problem.json"
done
