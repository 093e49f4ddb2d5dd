#!/usr/bin/env bash
# The regret study on seed 002 (unobserved confounder: latent demand z drives x1 and y): fit the
# naive MMM, the MMM calibrated with go-dark lift tests and the causal MMM that sees z, let each allocate the last 13 weeks'
# budget over the 13 weeks after the data, and score every allocation with the scenario's SCM
# (do() with common random numbers; the true optimum is a search over the SCM itself).
# usage: scripts/decisions/regret.sh [OUTDIR]   (env: CAUSAL_MMM=binary, SEED, CHAINS, TUNE, DRAWS)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/regret}
SEED=${SEED:-2}
if [ -z "${CAUSAL_MMM:-}" ]; then
  swift build -c release --product causal-mmm >/dev/null
  CAUSAL_MMM="$(swift build -c release --show-bin-path)/causal-mmm"
fi
S=(--chains "${CHAINS:-2}" --tune "${TUNE:-500}" --draws "${DRAWS:-500}" --seed "$SEED")
mkdir -p "$OUT"
"$CAUSAL_MMM" simulate unobserved-confounder --seed "$SEED" --out "$OUT/data.csv" \
  --lift-test x1:go-dark:40-48 --lift-test x2:go-dark:60-68 --lift-test x1:go-dark:104-112 \
  --lift-tests-out "$OUT/lifts.csv" --lift-test-windows >/dev/null
"$CAUSAL_MMM" fit --config Examples/UnobservedConfounder/model.yaml --data "$OUT/data.csv" \
  --out "$OUT/naive" --force --quiet "${S[@]}"
"$CAUSAL_MMM" fit --config Examples/UnobservedConfounder/model.yaml --data "$OUT/data.csv" \
  --lift-tests "$OUT/lifts.csv" --out "$OUT/calibrated" --force --quiet "${S[@]}"
# The causal reference: z (latent in the DAG) handed to the model as a control, an oracle table.
"$CAUSAL_MMM" simulate unobserved-confounder --seed "$SEED" --out "$OUT/data_with_z.csv" --include-latent >/dev/null
"$CAUSAL_MMM" fit --config Examples/UnobservedConfounder/model_with_z.yaml --data "$OUT/data_with_z.csv" \
  --out "$OUT/causal" --force --quiet "${S[@]}"
"$CAUSAL_MMM" demo regret --scenario unobserved-confounder --seed "$SEED" --periods 13 \
  --fit "naive=$OUT/naive" --fit "calibrated (go-dark lift tests)=$OUT/calibrated" \
  --fit "causal (z observed)=$OUT/causal"
