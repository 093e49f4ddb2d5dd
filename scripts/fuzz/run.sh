#!/usr/bin/env bash
# Runs one fuzz target from the committed seed corpus (copied, so the repo stays small).
# Usage: scripts/fuzz/run.sh TARGET SECONDS
set -euo pipefail
cd "$(dirname "$0")/../.."
target=$1
seconds=${2:-600}
work=.build-fuzz/corpus-$target
mkdir -p "$work" .build-fuzz/findings-$target
cp -n Tests/Fixtures/fuzz-corpus/$target/* "$work"/ 2>/dev/null || true
.build-fuzz/$target-fuzzer "$work" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -artifact_prefix=.build-fuzz/findings-$target/ -print_final_stats=1
