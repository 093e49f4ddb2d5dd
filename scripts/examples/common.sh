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

# timed LABEL COMMAND...: runs the command and appends LABEL<TAB>wall seconds to $OUT/wall.tsv (the
# seed-002 scripts' tables read it).
timed() {
  local label=$1 start end
  shift
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  printf '%s\t%s\n' "$label" "$($PY -c "print(round($end - $start, 2))")" >>"$OUT/wall.tsv"
}
