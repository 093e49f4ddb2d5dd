#!/usr/bin/env bash
# Runs the graph property tests on more random DAGs than the unit tests do: the adjustment-set
# tests (enumeration vs brute force over every subset, validity of the one-minimal, minimum,
# canonical and optimal sets, check() vs the definition), the roles tests (colliders, mediators,
# confounders and precision variables vs path listings), the linear-time collider search vs one
# max-flow per node, and the shared-separator instrument search vs one search per candidate.
# CAUSALMMM_GRAPH_SEEDS scales the suites that read it (the roles path listing keeps its 600).
# Usage: scripts/graph-property-sweep.sh [SEEDS] (default 20000). Exits non-zero when any test fails.
set -uo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-20000}"
start=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
CAUSALMMM_GRAPH_SEEDS="$seeds" swift test \
  --filter 'AdjustmentPropertyTests|RolesPropertyTests|ColliderSearchPropertyTests|InstrumentSearchPropertyTests' \
  >"$log" 2>&1 || status=$?
grep -E "✘|passed after|failed after" "$log" | grep -v "recorded an issue" || true
echo "graph-property-sweep: $seeds seeds in $(($(date +%s) - start)) s"
if [ "$status" -ne 0 ] || grep -q "✘" "$log" || ! grep -q "Test run with .* passed" "$log"; then
  grep "recorded an issue" "$log" | head -20
  [ "$status" -ne 0 ] || tail -20 "$log"
  echo "graph-property-sweep: FAILED (swift test exit status $status)" >&2
  exit 1
fi
