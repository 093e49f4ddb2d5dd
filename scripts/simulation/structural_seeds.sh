#!/usr/bin/env bash
# Fits the structural model (one equation per mediator and the target, compiled from
# dags/calibration_trap.dot) on calibration-trap scenario seeds and prints, per estimand, how often its
# 94% HDI covers the SCM truth, the mean error and the mean HDI width.
# usage: scripts/simulation/structural_seeds.sh [OUTDIR] [FIRST_SEED] [LAST_SEED] [extra demo flags...]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-out/structural-seeds}
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
  "$BIN" demo calibration-trap --only-structural --seed "$seed" --out "$OUT/seed-$seed" --quiet "$@" \
    > "$OUT/seed-$seed.txt"
  echo "seed $seed: $(( $(date +%s) - start )) s"
done
python3 - "$OUT"/seed-*/results.json <<'PY'
import json, sys
keys = ["go_dark_x2", "plus_50_x2", "go_dark_x3", "go_dark_x1"]
rows = {k: [] for k in keys}
for path in sys.argv[1:]:
    result = json.load(open(path))
    model = next(m for m in result["models"] if m["name"] == "structural")
    for k in keys:
        e = model["estimands"].get(k)
        if e is not None:
            rows[k].append(e)
print(f"structural model, {len(sys.argv) - 1} seeds (94% HDI)")
print(f"{'estimand':<12}{'covered':>10}{'mean error':>12}{'mean |error|':>14}{'mean width':>12}")
for k in keys:
    r = rows[k]
    if not r:
        print(f"{k:<12}{'n/a':>10}")
        continue
    n = len(r)
    covered = sum(1 for e in r if e["covers"])
    print(f"{k:<12}{f'{covered}/{n}':>10}{sum(e['error'] for e in r) / n:>12.1f}"
          f"{sum(abs(e['error']) for e in r) / n:>14.1f}{sum(e['width'] for e in r) / n:>12.1f}")
PY
