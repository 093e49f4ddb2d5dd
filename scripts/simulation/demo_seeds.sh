#!/usr/bin/env bash
# Runs `causal-mmm demo calibration-trap` for several seeds (release build) and prints, per model and
# estimand, how often the 94% HDI covers the SCM truth and the mean error, plus how often each
# calibration check passes on the go-dark test.
# usage: scripts/simulation/demo_seeds.sh [OUTDIR] [FIRST_SEED] [LAST_SEED] [extra demo flags...]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-out/demo-seeds}
FIRST=${2:-1}
LAST=${3:-10}
shift $(( $# < 3 ? $# : 3 ))
swift build -c release --product causal-mmm >/dev/null
BIN="$(swift build -c release --show-bin-path)/causal-mmm"
mkdir -p "$OUT"
for seed in $(seq "$FIRST" "$LAST"); do
  if [ -f "$OUT/seed-$seed/results.json" ]; then
    echo "seed $seed: already done ($OUT/seed-$seed/results.json)"
    continue
  fi
  start=$(date +%s)
  "$BIN" demo calibration-trap --seed "$seed" --out "$OUT/seed-$seed" --quiet "$@" > "$OUT/seed-$seed.txt"
  echo "seed $seed: $(( $(date +%s) - start )) s"
done
python3 scripts/simulation/coverage_table.py "$OUT"/seed-*/results.json
