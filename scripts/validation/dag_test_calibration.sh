#!/usr/bin/env bash
# Level and power of `causal-mmm test-dag`'s pcor and hac tests on AR(1) time series
# (rho = 0, 0.5, 0.9; T = 104, 520; 500 replications each).
#   usage: scripts/validation/dag_test_calibration.sh [REPLICATIONS] [GAMMA] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build --product dag-test-calibration >/dev/null   # debug: the study takes seconds
time .build/debug/dag-test-calibration "${1:-500}" "${2:-0.1}" "${3:-20261127}"
