#!/usr/bin/env bash
# Runs the adjustment-set property tests (enumeration vs brute force over every subset, validity
# of the one-minimal, minimum, canonical and optimal sets, check() vs the definition) on more
# random DAGs than the unit tests do. Usage: scripts/graph-property-sweep.sh [SEEDS] (default 20000).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-20000}"
start=$(date +%s)
CAUSALMMM_GRAPH_SEEDS="$seeds" swift test --filter AdjustmentPropertyTests 2>&1 | grep -E "✘|passed after|failed after" | grep -v "recorded an issue" || true
echo "graph-property-sweep: $seeds seeds in $(( $(date +%s) - start )) s"
