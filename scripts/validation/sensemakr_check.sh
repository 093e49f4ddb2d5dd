#!/usr/bin/env bash
# Cross-checks `causal-mmm sensitivity`'s OLS analysis against PySensemakr on the Darfur data.
#   usage: scripts/validation/sensemakr_check.sh [OUT_DIR]      (env: BIN, the causal-mmm binary)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT=${1:-$ROOT/out/sensemakr-check}
mkdir -p "$OUT"
python3 -c "import sensemakr" 2>/dev/null || python3 -m pip install --quiet pysensemakr
if [ -z "${BIN:-}" ]; then
  (cd "$ROOT" && swift build -c release --product causal-mmm >/dev/null)
  BIN="$ROOT/.build/release/causal-mmm"
fi
python3 "$ROOT/scripts/validation/sensemakr_check.py" "$BIN" "$OUT"
