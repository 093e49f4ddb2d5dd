#!/usr/bin/env bash
# The main job: installs what is missing (scripts/setup.sh, idempotent), builds in release mode,
# then analyses and draws the calibration-trap DAG of seed 001 into ./out/ and runs the calibration-trap
# demonstration (simulate, lift tests on the truth, six fits, checks) into ./out/calibration-trap/.
# Idempotent: every run rewrites the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product causal-mmm
bin="$(swift build -c release --show-bin-path)/causal-mmm"
mkdir -p out
"$bin" check dags/calibration_trap.dot
"$bin" render dags/calibration_trap.dot --treatment impressions_x2 --outcome target -o out/calibration_trap.svg
echo "wrote out/calibration_trap.svg"
"$bin" demo calibration-trap --out out/calibration-trap
