# Sourced by Examples/*/run.sh: resolves the causal-mmm binary and the sampler settings.
#   BIN=path      use this binary (default: build and use the release binary)
#   CHAINS, TUNE, DRAWS   sampler settings (defaults per example); tiny values for smoke tests
#   OUT=dir       where to write (default: the example's out/ folder)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ -z "${BIN:-}" ]; then
  (cd "$ROOT" && swift build -c release --product causal-mmm >/dev/null)
  BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/causal-mmm"
fi
PY=${PYTHON:-python3}
