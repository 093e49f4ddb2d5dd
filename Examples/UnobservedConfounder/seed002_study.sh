#!/usr/bin/env bash
# Seed 002 as written: the seed's configuration (model_seed002.yaml: HSGP time-varying intercept, m = 100,
# 5 yearly Fourier modes, saturation_beta ~ HalfNormal(sigma = cost_share), 4 chains x (1000 + 1000),
# target_accept 0.95) on `causal-mmm simulate unobserved-confounder --seed 2`, four variants:
#   uncalibrated | the seed's marginal lift tests (its df_lift_test table) | go-dark lift tests |
#   time-slice cross-validation as the seed runs it (n_init 115, horizon 12, step 1; uncalibrated and
#   with the seed's lift tests).
# Prints one table: ROAS of x1 and x2 (mean, 94% HDI) against the simulator's truth, whether each HDI
# covers it, max R-hat, min bulk ESS, divergences, wall time.
# With a second argument, the same on the seed's own data instead of the simulation: PyMC-Marketing's public
# data/mmm_roas_data.csv (not shipped here; https://github.com/pymc-labs/pymc-marketing/tree/main/data), its
# truth and lift tables from scripts/examples/seed002_lifts.py.
#   usage: Examples/UnobservedConfounder/seed002_study.sh OUT [mmm_roas_data.csv]
#   env:   CONFIG (default: model_seed002.yaml; model_seed002_demeaned_map.yaml: demeaned HSGP basis and MAP start),
#          BIN (causal-mmm binary; default: build the release binary), SEED (2),
#          CHAINS, TUNE, DRAWS (override the configuration's sampler, e.g. for a smoke run),
#          CV_INITIAL (115), CV_HORIZON (12), CV_STEP (1), SKIP_CV=1 (fits only)
OUT=${1:?usage: seed002_study.sh OUT [mmm_roas_data.csv]}
DATA=${2:-}
source "$(dirname "$0")/../../scripts/examples/common.sh"
HERE="$ROOT/Examples/UnobservedConfounder"
CONFIG=${CONFIG:-$HERE/model_seed002.yaml}
SEED=${SEED:-2}
S=()
[ -n "${CHAINS:-}" ] && S+=(--chains "$CHAINS")
[ -n "${TUNE:-}" ] && S+=(--tune "$TUNE")
[ -n "${DRAWS:-}" ] && S+=(--draws "$DRAWS")
mkdir -p "$OUT"
: >"$OUT/wall.tsv"

if [ -n "$DATA" ]; then
  [ -f "$DATA" ] || { echo "seed002_study.sh: error: $DATA not found" >&2; exit 1; }
  echo "== the seed's own data: $DATA"
  cp "$DATA" "$OUT/data.csv"
  $PY "$ROOT/scripts/examples/seed002_lifts.py" "$OUT" "$OUT/data.csv" public
else
  echo "== simulate unobserved-confounder --seed $SEED (131 weeks) with go-dark lift tests"
  # Go-dark tests (spend set to 0 for 8 weeks) on the channels and weeks of the seed's four tests: each
  # window ends on the seed's test date (50, 30, 14 and 12 weeks before the last date).
  "$BIN" simulate unobserved-confounder --seed "$SEED" --out "$OUT/data.csv" --truth "$OUT/truth.json" \
    --lift-test x1:go-dark:73-81 --lift-test x2:go-dark:93-101 --lift-test x1:go-dark:109-117 \
    --lift-test x2:go-dark:111-119 --lift-tests-out "$OUT/lifts_go-dark.csv" --lift-test-windows >/dev/null
  # True ROAS (do(channel := 0) in every week, summed, over total spend): scripts/examples/roas_table.py.
  $PY "$ROOT/scripts/examples/roas_table.py" "$OUT/truth.json" "$OUT/data.csv" "$OUT/truth_values.json" >/dev/null
  # The seed's df_lift_test (scripts/examples/seed002_lifts.py).
  $PY "$ROOT/scripts/examples/seed002_lifts.py" "$OUT" "$OUT/data.csv"
fi
echo "marginal (the seed's table):"; cat "$OUT/lifts_marginal.csv"
echo "go-dark:"; cat "$OUT/lifts_go-dark.csv"

echo "== fit: uncalibrated, the seed's marginal lift tests, go-dark lift tests"
timed uncalibrated "$BIN" fit --config "$CONFIG" --data "$OUT/data.csv" --out "$OUT/uncalibrated" \
  --force --quiet "${S[@]}"
for kind in marginal go-dark; do
  timed "$kind" "$BIN" fit --config "$CONFIG" --data "$OUT/data.csv" --lift-tests "$OUT/lifts_$kind.csv" \
    --out "$OUT/$kind" --force --quiet "${S[@]}"
done

if [ -z "${SKIP_CV:-}" ]; then
  echo "== time-slice cross-validation (initial ${CV_INITIAL:-115}, horizon ${CV_HORIZON:-12}, step ${CV_STEP:-1})"
  TRUE=$($PY -c "import json; t=json.load(open('$OUT/truth_values.json')); print(','.join(f'{k[5:-1]}={v}' for k,v in t.items() if k.startswith('roas[')))")
  CV=(--initial "${CV_INITIAL:-115}" --horizon "${CV_HORIZON:-12}" --step "${CV_STEP:-1}" --true-roas "$TRUE")
  timed cv-uncalibrated "$BIN" cv --config "$CONFIG" --data "$OUT/data.csv" --out "$OUT/cv_uncalibrated" \
    --quiet "${CV[@]}" "${S[@]}" --title "Seed 002 cross-validation, uncalibrated"
  timed cv-marginal "$BIN" cv --config "$CONFIG" --data "$OUT/data.csv" --lift-tests "$OUT/lifts_marginal.csv" \
    --out "$OUT/cv_marginal" --quiet "${CV[@]}" "${S[@]}" --title "Seed 002 cross-validation, the seed's lift tests"
fi

echo "== ROAS against the truth (94% HDI), convergence, wall time"
$PY "$ROOT/scripts/examples/seed002_table.py" "$OUT"
