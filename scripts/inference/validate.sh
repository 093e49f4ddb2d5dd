#!/usr/bin/env bash
# Heavy validation of the Inference module (not part of the unit suite):
#   1. throughput benchmark (gradient evals/s, ESS/s) on the 100-d normal, eight schools and an
#      MMM-sized regression;
#   2. simulation-based calibration with 500 replicates (chi-square p-value per parameter);
#   3. eight-schools CmdStan CSVs read back with arviz.from_cmdstan and compared with our summary.
# Needs a Python with ArviZ for step 3 (PYTHON, default /tmp/azenv/bin/python; create it with
#   python3 -m venv /tmp/azenv && /tmp/azenv/bin/pip install arviz).
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-/tmp/azenv/bin/python}"
OUT="${OUT:-/tmp/inference-validation}"
swift build -c release --product inference-benchmark
BIN=.build/release/inference-benchmark
echo "== benchmark"; "$BIN" bench
echo "== simulation-based calibration"; "$BIN" sbc "${REPLICATES:-500}" 4
echo "== CmdStan CSV read by ArviZ"; "$BIN" csv "$OUT"
"$PYTHON" scripts/inference/check_arviz_cmdstan.py "$OUT"
