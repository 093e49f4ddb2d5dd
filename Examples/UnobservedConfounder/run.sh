#!/usr/bin/env bash
# Seed 002, unobserved confounder: simulate, fit baseline / marginal-lift / go-dark-lift models,
# compare ROAS with the truth, time-slice cross-validation, HTML reports.
#   usage: Examples/UnobservedConfounder/run.sh        (env: OUT, SEED, CHAINS, TUNE, DRAWS, BIN)
source "$(dirname "$0")/../../scripts/examples/common.sh"
HERE="$ROOT/Examples/UnobservedConfounder"
OUT=${OUT:-$HERE/out}
SEED=${SEED:-2}
S=(--chains "${CHAINS:-2}" --tune "${TUNE:-500}" --draws "${DRAWS:-500}" --seed "$SEED")
mkdir -p "$OUT"

echo "== simulate (dags/unobserved_confounder.dot: z -> x1, z -> y, z latent)"
for kind in marginal go-dark; do
  if [ $kind = marginal ]; then k="scale=1.2"; else k="go-dark"; fi
  "$BIN" simulate unobserved-confounder --seed "$SEED" --out "$OUT/data.csv" --truth "$OUT/truth.json" \
    --lift-test "x1:$k:40-48" --lift-test "x2:$k:60-68" --lift-test "x1:$k:104-112" \
    --lift-tests-out "$OUT/lifts_$kind.csv" | grep -v "^truth\|rows, columns" || true
done
cat "$OUT/lifts_marginal.csv" "$OUT/lifts_go-dark.csv"

echo "== fit: baseline (no lift test), marginal lift tests (+20% spend), go-dark lift tests"
"$BIN" fit --config "$HERE/model.yaml" --data "$OUT/data.csv" --out "$OUT/baseline" --force --quiet "${S[@]}"
for kind in marginal go-dark; do
  "$BIN" fit --config "$HERE/model.yaml" --data "$OUT/data.csv" --lift-tests "$OUT/lifts_$kind.csv" \
    --out "$OUT/$kind" --force --quiet "${S[@]}"
done

echo "== ROAS against the truth (94% HDI)"
TRUE_PARAMS="saturation_lam[x1]=3,saturation_lam[x2]=2,adstock_alpha[x1]=0.5,adstock_alpha[x2]=0.5" \
  $PY "$ROOT/scripts/examples/roas_table.py" "$OUT/truth.json" "$OUT/data.csv" "$OUT/truth_values.json" \
  baseline="$OUT/baseline" marginal="$OUT/marginal" go-dark="$OUT/go-dark"
TRUE=$($PY -c "import json; t=json.load(open('$OUT/truth_values.json')); print(','.join(f'{k[5:-1]}={v}' for k,v in t.items() if k.startswith('roas[')))")

echo "== reports"
"$BIN" report --fit "$OUT/baseline" --compare "$OUT/go-dark" --truth "$OUT/truth_values.json" \
  --labels baseline,go-dark -o "$OUT/report_go_dark.html" --title "Unobserved confounder: baseline vs go-dark calibration"
"$BIN" report --fit "$OUT/baseline" --compare "$OUT/marginal" --truth "$OUT/truth_values.json" \
  --labels baseline,marginal -o "$OUT/report_marginal.html" --title "Unobserved confounder: baseline vs marginal calibration"

echo "== time-slice cross-validation (initial 100, horizon 12, step 9)"
CV=(--initial "${CV_INITIAL:-100}" --horizon "${CV_HORIZON:-12}" --step "${CV_STEP:-9}" --true-roas "$TRUE")
"$BIN" cv --config "$HERE/model.yaml" --data "$OUT/data.csv" --out "$OUT/cv_baseline" --quiet "${CV[@]}" "${S[@]}" \
  --title "Cross-validation, baseline model"
"$BIN" cv --config "$HERE/model.yaml" --data "$OUT/data.csv" --lift-tests "$OUT/lifts_go-dark.csv" \
  --out "$OUT/cv_go_dark" --quiet "${CV[@]}" "${S[@]}" --title "Cross-validation, go-dark calibrated model"
