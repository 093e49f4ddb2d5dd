#!/usr/bin/env bash
# Cross-check of speed (not a product dependency): builds release, writes graph-benchmark's
# 20,000-node DAG as DOT, and times in the same run `causal-mmm adjust --format json` end to end
# (process start, DOT parse through libgraphviz, every set and role, JSON out) and networkx's
# find_minimal_d_separator on the same graph (its proper back-door graph, restricted to the
# nodes an adjustment set may hold). Prints both times and their ratio.
# Usage: scripts/graph/networkx_compare.sh [RUNS [NETWORKX_RUNS]] (defaults 5 and 1; medians are
# reported; one networkx call takes about a minute here).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
networkx_runs="${2:-1}"
python3 -c "import networkx" 2>/dev/null || python3 -m pip install --quiet networkx
swift build -c release --product graph-benchmark
swift build -c release --product causal-mmm
bin="$(swift build -c release --show-bin-path)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin/graph-benchmark" --write-dot "$work/benchmark-20000.dot"
python3 scripts/graph/networkx_compare.py "$bin/causal-mmm" "$work/benchmark-20000.dot" "$runs" "$networkx_runs"
